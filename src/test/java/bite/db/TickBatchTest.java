package bite.db;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** PROTOCOL.md "every=MS": the batching rule, with time given by the test (no clock, no sleeps). */
class TickBatchTest {

    private static byte[] line(String s) {
        return (s + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> text(List<byte[]> lines) {
        return lines == null ? null : lines.stream().map(b -> new String(b, StandardCharsets.UTF_8).strip()).toList();
    }

    @Test
    void theLatestEventOfEachKeyGoesOutAtTheEndOfTheWindowOrderedByRevision() {
        TickBatch b = new TickBatch(50, 1_000); // windows [1000,1050), [1050,1100), ...
        assertThat(b.offer("a", 1, line("a1"), 1_010)).as("a tick at the window's end").isEqualTo(1_050);
        assertThat(b.offer("b", 2, line("b2"), 1_020)).as("already asked for").isEqualTo(-1);
        assertThat(b.offer("a", 3, line("a3"), 1_030)).isEqualTo(-1);
        assertThat(b.offer("c", 4, line("c4"), 1_049)).isEqualTo(-1);
        assertThat(b.pending()).isEqualTo(3);
        assertThat(text(b.onTick(1_050, true))).containsExactly("b2", "a3", "c4");
        assertThat(b.tickAt()).as("nothing left: no tick").isEqualTo(-1);
        assertThat(b.pending()).isZero();
    }

    @Test
    void setThenDeleteThenSetInOneWindowSendsTheLastSetOnly() {
        TickBatch b = new TickBatch(100, 0);
        b.offer("k", 1, line("set 1"), 5);
        b.offer("k", 2, line("delete"), 6);
        b.offer("k", 3, line("set 3"), 7);
        assertThat(text(b.onTick(100, true))).containsExactly("set 3");

        b.offer("k", 4, line("set 4"), 120);
        b.offer("k", 5, line("delete"), 130);
        assertThat(text(b.onTick(200, true))).as("a later delete replaces a set").containsExactly("delete");
    }

    @Test
    void anEmptyWindowSendsNothingAndAsksForNoTick() {
        TickBatch b = new TickBatch(10, 0);
        assertThat(b.onTick(10, true)).isNull();
        assertThat(b.tickAt()).isEqualTo(-1);
    }

    @Test
    void whileThePreviousBatchHasNotLeftEventsKeepMerging() {
        TickBatch b = new TickBatch(50, 0);
        b.offer("a", 1, line("a1"), 10);
        assertThat(text(b.onTick(50, true))).containsExactly("a1");
        b.offer("a", 2, line("a2"), 60);
        b.offer("b", 3, line("b3"), 70);
        assertThat(b.onTick(100, false)).as("the socket still holds the last batch").isNull();
        assertThat(b.tickAt()).as("tried again at the next window's end").isEqualTo(150);
        assertThat(b.offer("a", 4, line("a4"), 120)).as("the tick is already asked for").isEqualTo(-1);
        assertThat(b.onTick(150, false)).isNull();
        b.offer("b", 5, line("b5"), 160);
        assertThat(b.pending()).as("bounded by the keys").isEqualTo(2);
        assertThat(text(b.onTick(200, true))).containsExactly("a4", "b5");
    }

    @Test
    void atMostOneBatchPerWindowEvenWhenATickComesLate() {
        TickBatch b = new TickBatch(50, 0);
        b.offer("a", 1, line("a1"), 10);
        assertThat(text(b.onTick(70, true))).as("late: sent in window [50,100)").containsExactly("a1");
        assertThat(b.offer("a", 2, line("a2"), 80)).as("next window's end").isEqualTo(100);
        assertThat(text(b.onTick(100, true))).containsExactly("a2");
    }

    @Test
    void aTickEarlierThanTheWindowAllowsWaitsForTheNextWindow() {
        TickBatch b = new TickBatch(50, 0);
        b.offer("a", 1, line("a1"), 10);
        assertThat(text(b.onTick(50, true))).containsExactly("a1");
        b.offer("a", 2, line("a2"), 55);
        // a stray tick inside the same window as the last batch must not send a second batch in it
        assertThat(b.onTick(60, true)).isNull();
        assertThat(b.tickAt()).isEqualTo(100);
        assertThat(text(b.onTick(100, true))).containsExactly("a2");
    }
}
