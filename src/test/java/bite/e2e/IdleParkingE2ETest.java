package bite.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idle plaintext connections wait without a reader thread (bite.net.IdleReaders): a subscriber silent for 2 s is
 * parked, and everything a connection does still works while and after it is: pushes reach it, its next request is
 * answered, its close releases its subscriptions, a silence limit still ends it, a subscriber that stops reading is
 * still dropped at the output limit, and a stop ends it. A request/response connection without a silence limit is
 * never parked.
 */
class IdleParkingE2ETest {

    private static Map<String, Object> awaitParked(TestClient control, long n) throws IOException {
        return Info.await(control, n + " parked", info -> (Long) info.get("parked_connections") == n);
    }

    @Test
    void aParkedSubscriberGetsItsPushesAndItsRepliesAndItsCloseReleasesItsSubscriptions() throws Exception {
        try (TestServer server = TestServer.start();
             TestClient subscriber = server.client();
             TestClient idle = server.client();
             TestClient writer = server.client()) {
            // the plain idle client speaks first: were it parkable it would park before the subscriber, and the
            // count at the end (after the subscriber left) would show it; the writer asks info every few ms
            assertThat(idle.ask("ping")).isEqualTo("PONG");
            assertThat(subscriber.ask("#g room.1")).isEqualTo("OK");
            awaitParked(writer, 1);

            assertThat(writer.ask("s room.1 hello")).isEqualTo("OK");
            assertThat(subscriber.readLine()).as("a push to a parked connection").isEqualTo("hello");
            assertThat(subscriber.ask("g room.1")).as("its next request wakes its reader").isEqualTo("hello");
            assertThat(idle.ask("ping")).isEqualTo("PONG");
            assertThat(subscriber.ask("#g room.2")).isEqualTo("OK");

            awaitParked(writer, 1);
            subscriber.close();
            Map<String, Object> info = Info.await(writer, "the subscriber's close seen",
                    i -> (Long) i.get("connections") == 2 && (Long) i.get("subscriptions") == 0);
            assertThat(info).as("the idle request/response client, silent for seconds, kept its thread")
                    .containsEntry("parked_connections", 0L);
        }
    }

    @Test
    void manyParkedSubscribersAllGetEveryPushInOrder() throws Exception {
        int n = 50;
        try (TestServer server = TestServer.start(); TestClient writer = server.client()) {
            TestClient[] subs = new TestClient[n];
            try {
                for (int i = 0; i < n; i++) {
                    subs[i] = server.client();
                    assertThat(subs[i].ask("#g game.state")).isEqualTo("OK");
                }
                awaitParked(writer, n);
                for (int round = 0; round < 20; round++) {
                    assertThat(writer.ask("s game.state v" + round)).isEqualTo("OK");
                }
                for (TestClient s : subs) {
                    for (int round = 0; round < 20; round++) assertThat(s.readLine()).isEqualTo("v" + round);
                }
            } finally {
                for (TestClient s : subs) if (s != null) s.close();
            }
        }
    }

    @Test
    void theSessionTimeoutStillEndsAParkedProtocol3Connection() throws Exception {
        try (TestServer server = TestServer.start(b -> b.sessionTimeout(Duration.ofMillis(3_500)));
             TestClient silent = server.client();
             TestClient control = server.client()) {
            assertThat(silent.ask("hello 3")).startsWith("=OK 3 ");
            assertThat(silent.ask("#g room every=50")).isEqualTo("=OK 0");
            long start = System.nanoTime();
            awaitParked(control, 1);
            silent.readTimeout(Duration.ofSeconds(10));
            assertThat(silent.readToEnd()).as("closed at its silence limit while parked").isEmpty();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).as("not before the limit").isGreaterThanOrEqualTo(3_000);
        }
    }

    @Test
    void aParkedSubscriberThatDoesNotReadIsStillDroppedAtTheOutputLimit() throws Exception {
        try (TestServer server = TestServer.start(b -> b.maxOutputBytes(256 * 1024));
             TestClient slow = TestClient.connect(server.port(), 4096);
             TestClient writer = server.client()) {
            assertThat(slow.ask("#g big")).isEqualTo("OK");
            awaitParked(writer, 1);
            String value = "x".repeat(32 * 1024);
            int sent = 0;
            while (server.stats().slowConsumerDisconnects() == 0) {
                assertThat(writer.ask("s big " + value)).isEqualTo("OK");
                assertThat(++sent).as("dropped within bounded output").isLessThan(10_000);
            }
            assertThat(writer.ask("ping")).as("the server goes on").isEqualTo("PONG");
            Info.await(writer, "the slow subscriber gone", i -> (Long) i.get("connections") == 1);
        }
    }

    @Test
    void aStopEndsParkedConnections() throws Exception {
        TestServer server = TestServer.start();
        try (TestClient subscriber = server.client(); TestClient control = server.client()) {
            assertThat(subscriber.ask("#g room")).isEqualTo("OK");
            awaitParked(control, 1);
            server.close();
            subscriber.readTimeout(Duration.ofSeconds(10));
            assertThat(subscriber.readToEnd()).as("end of stream at the stop").isEmpty();
        }
    }
}
