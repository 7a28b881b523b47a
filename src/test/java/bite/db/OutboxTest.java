package bite.db;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboxTest {

    private final RecordingClient a = new RecordingClient("a");
    private final RecordingClient b = new RecordingClient("b");
    private final Outbox outbox = new Outbox();

    private static byte[] line(String s) {
        return (s + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Files, for two clients: a's replies around a push to a, a push to b, then b's reply. */
    private void fileSample() {
        outbox.replies(a).line("OK");
        outbox.replies(a).line("1");
        outbox.push(a, line("pushed to a"));
        outbox.replies(a).line("after the push");
        outbox.push(b, line("pushed to b"));
        outbox.replies(b).line("b's reply");
    }

    @Test
    void deliveringAtOnceQueuesWhatADrainWouldInTheSameOrder() {
        fileSample();
        outbox.drain().deliver();
        var drainedA = a.take();
        var drainedB = b.take();

        fileSample();
        outbox.deliverNow();
        assertThat(a.take()).isEqualTo(drainedA)
                .containsExactly("reply OK", "reply 1", "push pushed to a", "reply after the push");
        assertThat(b.take()).isEqualTo(drainedB).containsExactly("push pushed to b", "reply b's reply");
    }

    @Test
    void nothingIsDeliveredTwice() {
        fileSample();
        outbox.deliverNow();
        assertThat(a.take()).hasSize(4);
        assertThat(b.take()).hasSize(2);

        outbox.deliverNow();
        assertThat(outbox.drain().isEmpty()).isTrue();
        outbox.replies(b).line("later");
        outbox.deliverNow();
        assertThat(a.take()).isEmpty();
        assertThat(b.take()).containsExactly("reply later");
    }

    @Test
    void aBurstBiggerThanTheKeptCapacityIsDeliveredWhole() {
        for (int i = 0; i < 10_000; i++) outbox.push(a, line("p" + i));
        outbox.deliverNow();
        var events = a.take();
        assertThat(events).hasSize(10_000);
        assertThat(events.get(9_999)).isEqualTo("push p9999");
        outbox.push(a, line("next"));
        outbox.deliverNow();
        assertThat(a.take()).containsExactly("push next");
    }

    @Test
    void aConnectionThatThrowsDoesNotGetItsBatchDeliveredAgainLater() {
        RecordingClient broken = new RecordingClient("broken");
        broken.failReplies();
        outbox.replies(broken).line("OK");
        outbox.push(a, line("p"));
        assertThatThrownBy(outbox::deliverNow).hasMessageContaining("broken connection");
        assertThat(a.take()).containsExactly("push p"); // filed before the broken reply, which was still pending

        outbox.replies(a).line("next");
        outbox.deliverNow();
        assertThat(a.take()).containsExactly("reply next");
    }
}
