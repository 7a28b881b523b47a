package bite.it;

import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

/** Two clients of the container: one subscribes, the other writes, the first is pushed the change. */
@Testcontainers
class SubscriptionIT {

    @Container
    static final BiteContainer bite = new BiteContainer();

    @Test
    void subscriberIsPushedAnotherClientsWrite() {
        try (var subscriber = bite.connect(); var writer = bite.connect()) {
            assertThat(subscriber.call("#k room.7")).as("reply to #k room.7").isEqualTo("OK");

            assertThat(writer.call("s room.7.p1.x 10")).as("reply to the write").isEqualTo("OK");
            assertThat(subscriber.readLine()).as("push to the subscriber").isEqualTo("p1.x 10");

            // room.70 is not below room.7: no push for it, so the next push is the one for room.7 itself.
            assertThat(writer.call("s room.70.p1.x 1")).isEqualTo("OK");
            assertThat(writer.call("s room.7 open")).isEqualTo("OK");
            assertThat(subscriber.readLine()).as("push for the subscribed key itself").isEqualTo("7 open");
        }
    }
}
