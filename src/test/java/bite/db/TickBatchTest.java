package bite.db;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PROTOCOL.md "every=MS": the batching rule, with time given by the test (no clock, no sleeps), and the log that
 * the every= subscriptions of one key and kind share.
 */
class TickBatchTest {

    private final TickLog log = new TickLog();

    private static byte[] line(String s) {
        return (s + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> text(byte[] chunk) {
        return chunk == null ? null : Arrays.asList(new String(chunk, StandardCharsets.UTF_8).split("\n"));
    }

    /** An event on {@code key}, as EventFanout files it: once in the log, then offered to the batch. */
    private static long event(TickBatch b, String key, long revision, String line, long now) {
        b.log().append(key, revision, line(line));
        return b.offer(now);
    }

    @Test
    void theLatestEventOfEachKeyGoesOutAtTheEndOfTheWindowOrderedByRevision() {
        TickBatch b = new TickBatch(0, 50, 1_000, log, 0); // windows [1000,1050), [1050,1100), ...
        assertThat(event(b, "a", 1, "a1", 1_010)).as("a tick at the window's end").isEqualTo(1_050);
        assertThat(event(b, "b", 2, "b2", 1_020)).as("already asked for").isEqualTo(-1);
        assertThat(event(b, "a", 3, "a3", 1_030)).isEqualTo(-1);
        assertThat(event(b, "c", 4, "c4", 1_049)).isEqualTo(-1);
        assertThat(b.pending()).isEqualTo(3);
        assertThat(text(b.onTick(1_050, true))).containsExactly("b2", "a3", "c4");
        assertThat(b.tickAt()).as("nothing left: no tick").isEqualTo(-1);
        assertThat(b.pending()).isZero();
    }

    @Test
    void setThenDeleteThenSetInOneWindowSendsTheLastSetOnly() {
        TickBatch b = new TickBatch(0, 100, 0, log, 0);
        event(b, "k", 1, "set 1", 5);
        event(b, "k", 2, "delete", 6);
        event(b, "k", 3, "set 3", 7);
        assertThat(text(b.onTick(100, true))).containsExactly("set 3");

        event(b, "k", 4, "set 4", 120);
        event(b, "k", 5, "delete", 130);
        assertThat(text(b.onTick(200, true))).as("a later delete replaces a set").containsExactly("delete");
    }

    @Test
    void anEmptyWindowSendsNothingAndAsksForNoTick() {
        TickBatch b = new TickBatch(0, 10, 0, log, 0);
        assertThat(b.onTick(10, true)).isNull();
        assertThat(b.tickAt()).isEqualTo(-1);
    }

    @Test
    void whileThePreviousBatchHasNotLeftEventsKeepMerging() {
        TickBatch b = new TickBatch(0, 50, 0, log, 0);
        event(b, "a", 1, "a1", 10);
        assertThat(text(b.onTick(50, true))).containsExactly("a1");
        event(b, "a", 2, "a2", 60);
        event(b, "b", 3, "b3", 70);
        assertThat(b.onTick(100, false)).as("the socket still holds the last batch").isNull();
        assertThat(b.tickAt()).as("tried again at the next window's end").isEqualTo(150);
        assertThat(event(b, "a", 4, "a4", 120)).as("the tick is already asked for").isEqualTo(-1);
        assertThat(b.onTick(150, false)).isNull();
        event(b, "b", 5, "b5", 160);
        assertThat(b.pending()).as("bounded by the keys").isEqualTo(2);
        assertThat(text(b.onTick(200, true))).containsExactly("a4", "b5");
    }

    @Test
    void atMostOneBatchPerWindowEvenWhenATickComesLate() {
        TickBatch b = new TickBatch(0, 50, 0, log, 0);
        event(b, "a", 1, "a1", 10);
        assertThat(text(b.onTick(70, true))).as("late: sent in window [50,100)").containsExactly("a1");
        assertThat(event(b, "a", 2, "a2", 80)).as("next window's end").isEqualTo(100);
        assertThat(text(b.onTick(100, true))).containsExactly("a2");
    }

    @Test
    void aTickEarlierThanTheWindowAllowsWaitsForTheNextWindow() {
        TickBatch b = new TickBatch(0, 50, 0, log, 0);
        event(b, "a", 1, "a1", 10);
        assertThat(text(b.onTick(50, true))).containsExactly("a1");
        event(b, "a", 2, "a2", 55);
        // a stray tick inside the same window as the last batch must not send a second batch in it
        assertThat(b.onTick(60, true)).isNull();
        assertThat(b.tickAt()).isEqualTo(100);
        assertThat(text(b.onTick(100, true))).containsExactly("a2");
    }

    @Test
    void subscriptionsSharingALogEachGetTheEventsAboveTheirOwnPosition() {
        TickBatch early = new TickBatch(0, 50, 0, log, 0);
        event(early, "a", 1, "a1", 10);
        event(early, "b", 2, "b2", 20);
        TickBatch late = new TickBatch(0, 50, 25, log, 2); // made after revision 2: its batches start above it
        assertThat(event(late, "a", 3, "a3", 30)).isEqualTo(75);
        log.append("a", 3, line("a3 again")); // the same event filed for another subscription: ignored
        assertThat(early.offer(30)).as("early's tick was asked for at the first event").isEqualTo(-1);
        assertThat(text(early.onTick(50, true))).containsExactly("b2", "a3");
        event(early, "c", 4, "c4", 60);
        late.offer(60);
        assertThat(text(late.onTick(75, true))).containsExactly("a3", "c4");
        assertThat(text(early.onTick(100, true))).containsExactly("c4");
    }

    @Test
    void theSharedLogHoldsOneEventPerKeyAndDropsWhatEverySubscriptionSent() {
        TickBatch slow = new TickBatch(0, 10, 0, log, 0);
        TickBatch fast = new TickBatch(0, 10, 0, log, 0);
        long revision = 0;
        for (int round = 0; round < 1_000; round++) {
            for (int k = 0; k < 10; k++) event(fast, "k" + k, ++revision, "v" + revision, round * 10L);
            slow.offer(round * 10L);
            fast.onTick(round * 10L + 10, true);
            slow.onTick(round * 10L + 10, false); // never leaves: keeps merging
        }
        assertThat(log.size()).as("one node per key, however far behind the slow one is").isEqualTo(10);
        assertThat(text(slow.onTick(20_000, true))).hasSize(10).last().isEqualTo("v10000");

        for (int k = 0; k < 200; k++) event(fast, "n" + k, ++revision, "n", 20_000);
        slow.offer(20_000);
        fast.onTick(20_010, true);
        slow.onTick(20_010, true);
        event(fast, "x", ++revision, "x", 20_020);
        log.trim();
        assertThat(log.size()).as("only what a subscription has yet to send").isEqualTo(1);
    }
}
