package bite.util;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** bite-timer on a test's clock: posts exactly at the deadlines the owners set, never before, once each. */
class DeadlinesTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final Deadlines timers = new Deadlines(now::get).start();
    private final BlockingQueue<String> posted = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        timers.close();
    }

    /** Moves the clock to {@code t} and lets bite-timer look at it. */
    private void clockAt(long t) {
        now.set(t);
        timers.clockMoved();
    }

    /** Waits until bite-timer sleeps (untimed or until a deadline): it has seen everything so far. */
    private void settled() {
        await(() -> timers.state() == Thread.State.WAITING || timers.state() == Thread.State.TIMED_WAITING);
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("timed out waiting").isNegative();
            Thread.onSpinWait();
        }
    }

    @Test
    void postsOnceAtTheDeadlineAndNotBefore() throws Exception {
        Deadlines.Deadline d = timers.deadline(() -> posted.add("tick"));
        d.at(2_000);
        clockAt(1_999);
        settled();
        assertThat(posted).isEmpty();
        clockAt(2_000);
        assertThat(posted.poll(10, TimeUnit.SECONDS)).isEqualTo("tick");
        clockAt(5_000);
        settled();
        assertThat(posted).as("one post per deadline").isEmpty();
    }

    @Test
    void oneShotDeadlinesPostEachAtItsOwnTime() throws Exception {
        timers.after(3_000, () -> posted.add("late"));  // due at 4000
        timers.after(1_000, () -> posted.add("early")); // due at 2000
        timers.after(1_000, () -> posted.add("early too"));
        clockAt(1_999);
        settled();
        assertThat(posted).isEmpty();
        clockAt(2_000);
        assertThat(posted.poll(10, TimeUnit.SECONDS)).isIn("early", "early too");
        assertThat(posted.poll(10, TimeUnit.SECONDS)).isIn("early", "early too");
        clockAt(3_999);
        settled();
        assertThat(posted).isEmpty();
        clockAt(4_000);
        assertThat(posted.poll(10, TimeUnit.SECONDS)).isEqualTo("late");
        clockAt(9_000);
        settled();
        assertThat(posted).isEmpty();
    }

    @Test
    void anEarlierDeadlineReplacesTheLaterOne() throws Exception {
        Deadlines.Deadline d = timers.deadline(() -> posted.add("tick@" + now.get()));
        d.at(1_000_000);
        settled();
        d.at(1_500);
        clockAt(1_500);
        assertThat(posted.poll(10, TimeUnit.SECONDS)).isEqualTo("tick@1500");
        clockAt(2_000_000);
        settled();
        assertThat(posted).isEmpty();
    }

    @Test
    void aLaterDeadlineMovesThePostBack() throws Exception {
        Deadlines.Deadline d = timers.deadline(() -> posted.add("tick@" + now.get()));
        d.at(2_000);
        d.at(3_000);
        clockAt(2_500);
        settled();
        assertThat(posted).isEmpty();
        clockAt(3_000);
        assertThat(posted.poll(10, TimeUnit.SECONDS)).isEqualTo("tick@3000");
    }

    @Test
    void cancelledMeansNoPostAndAPastDeadlinePostsAtOnce() throws Exception {
        Deadlines.Deadline d = timers.deadline(() -> posted.add("tick"));
        d.at(2_000);
        d.cancel();
        clockAt(3_000);
        settled();
        assertThat(posted).isEmpty();
        d.at(2_999);
        assertThat(posted.poll(10, TimeUnit.SECONDS)).isEqualTo("tick");
    }

    @Test
    void deadlinesOfSeveralOwnersPostInTimeOrder() throws Exception {
        Deadlines.Deadline storage = timers.deadline(() -> posted.add("storage"));
        Deadlines.Deadline db = timers.deadline(() -> posted.add("db"));
        storage.at(3_000);
        db.at(2_000);
        clockAt(10_000);
        assertThat(posted.poll(10, TimeUnit.SECONDS)).isEqualTo("db");
        assertThat(posted.poll(10, TimeUnit.SECONDS)).isEqualTo("storage");
    }

    @Test
    void onTheSystemClockItWaitsForRealTime() throws Exception {
        try (Deadlines real = new Deadlines().start()) {
            long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            real.deadline(() -> posted.add("at " + (System.nanoTime() - at >= 0))).at(at);
            assertThat(posted.poll(10, TimeUnit.SECONDS)).isEqualTo("at true");
        }
    }
}
