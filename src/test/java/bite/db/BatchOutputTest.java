package bite.db;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchOutputTest {

    private final RecordingClient a = new RecordingClient("a");
    private final RecordingClient b = new RecordingClient("b");
    private final BatchOutput output = new BatchOutput();

    private static byte[] line(String s) {
        return (s + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Files, for two clients: a's replies around a push to a, a push to b, then b's reply. */
    private void fileSample() {
        output.replies(a).line("OK");
        output.replies(a).line("1");
        output.push(a, line("pushed to a"));
        output.replies(a).line("after the push");
        output.push(b, line("pushed to b"));
        output.replies(b).line("b's reply");
    }

    @Test
    void everyDrainDeliversInTheOrderFiled() {
        fileSample();
        output.drain().deliver();
        var drainedA = a.take();
        var drainedB = b.take();

        fileSample();
        output.drain().deliver();
        assertThat(a.take()).isEqualTo(drainedA)
                .containsExactly("reply OK", "reply 1", "push pushed to a", "reply after the push");
        assertThat(b.take()).isEqualTo(drainedB).containsExactly("push pushed to b", "reply b's reply");
    }

    @Test
    void nothingIsDeliveredTwice() {
        fileSample();
        output.drain().deliver();
        assertThat(a.take()).hasSize(4);
        assertThat(b.take()).hasSize(2);

        output.drain().deliver();
        assertThat(output.drain().isEmpty()).isTrue();
        output.replies(b).line("later");
        output.drain().deliver();
        assertThat(a.take()).isEmpty();
        assertThat(b.take()).containsExactly("reply later");
    }

    @Test
    void aBurstBiggerThanTheKeptCapacityIsDeliveredWhole() {
        for (int i = 0; i < 10_000; i++) output.push(a, line("p" + i));
        output.drain().deliver();
        var events = a.take();
        assertThat(events).hasSize(10_000);
        assertThat(events.get(9_999)).isEqualTo("push p9999");
        output.push(a, line("next"));
        output.drain().deliver();
        assertThat(a.take()).containsExactly("push next");
    }

    @Test
    void aConnectionThatThrowsDoesNotGetItsBatchDeliveredAgainLater() {
        RecordingClient broken = new RecordingClient("broken");
        broken.failReplies();
        output.replies(broken).line("OK");
        output.push(a, line("p"));
        assertThatThrownBy(() -> output.drain().deliver()).hasMessageContaining("broken connection");
        assertThat(a.take()).containsExactly("push p"); // filed before the broken reply, which was still pending

        output.replies(a).line("next");
        output.drain().deliver();
        assertThat(a.take()).containsExactly("reply next");
    }

    @Test
    void aHeldBatchIsUntouchedByWhatIsFiledAndRecycledAfterIt() {
        fileSample();
        BatchOutput.Deliveries held = output.drain();
        for (int i = 0; i < 3; i++) { // later batches go out at once, through recycled arrays
            output.replies(b).line("later " + i);
            BatchOutput.Deliveries later = output.drain();
            later.deliver();
            output.recycle(later);
        }
        assertThat(b.take()).containsExactly("reply later 0", "reply later 1", "reply later 2");
        held.deliver();
        assertThat(a.take()).containsExactly("reply OK", "reply 1", "push pushed to a", "reply after the push");
        assertThat(b.take()).containsExactly("push pushed to b", "reply b's reply");
    }

    @Test
    void aRecycledBatchCarriesOnlyTheNextOutput() {
        fileSample();
        BatchOutput.Deliveries first = output.drain();
        first.deliver();
        output.recycle(first);
        a.take();
        b.take();
        output.replies(b).line("next");
        output.drain().deliver();
        assertThat(a.take()).isEmpty();
        assertThat(b.take()).containsExactly("reply next");
    }
}
