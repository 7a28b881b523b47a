package bite.util;

import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The server's one timer: the bite-timer thread waits until a deadline, then runs that deadline's {@code post}, which
 * puts a message on its owner's queue (bite-storage's: fsync every second, snapshot interval, retry after a disk
 * failure; bite-db's, as a {@code Request}: {@code every=} window ends and session grace ends). The owners themselves only ever wait with an untimed
 * {@code take()} on their queue, and every timed thing reaches them as one more message, in order with the rest.
 *
 * <p>Why a thread of its own: the owners are virtual threads, and a virtual thread's timed wait arms and cancels a
 * timer in the JDK's shared scheduler on every call, a futex wake-up and a context switch per round of work (see
 * docs/BENCHMARKS.md, "Storage timer"). One platform thread sleeps until the earliest deadline instead, and an
 * owner wakes it only when a deadline appears or moves earlier, which is rare (deadlines are a second or an interval
 * away), not on every round.
 *
 * <p>Threads: {@link #deadline} and each {@link Deadline}'s {@link Deadline#at}/{@link Deadline#cancel} are called by
 * the deadline's owner (any thread); a {@link Deadline} is the hand-off object between its owner and bite-timer, its
 * two fields guarded by its monitor. New or earlier deadlines reach bite-timer through a queue; the heap of waiting
 * deadlines is bite-timer's own.
 */
public final class Deadlines implements AutoCloseable {

    /** Where the time comes from: {@link System#nanoTime()}, or a test's clock. */
    @FunctionalInterface
    public interface Clock {
        long nanoTime();

        Clock SYSTEM = System::nanoTime;
    }

    /** One waiting deadline in bite-timer's heap (which holds at most one entry per deadline). */
    private record Entry(long at, Deadline deadline) {}

    private final Clock clock;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Entry> arrivals = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Entry> waiting = new PriorityQueue<>((a, b) -> Long.compare(a.at - b.at, 0));
    private volatile boolean stopped;

    public Deadlines() {
        this(Clock.SYSTEM);
    }

    public Deadlines(Clock clock) {
        this.clock = clock;
        this.thread = Thread.ofPlatform().name("bite-timer").daemon().unstarted(this::run);
    }

    public Deadlines start() {
        thread.start();
        return this;
    }

    /**
     * A deadline, unarmed, for one owner. At each time it is armed for, bite-timer runs {@code post} once; it must
     * not block (it queues a message for the owner) and must not throw.
     */
    public Deadline deadline(Runnable post) {
        return new Deadline(this, post, false);
    }

    /**
     * Runs {@code post} once, {@code delayNanos} from now (on this timer's clock), on bite-timer: a deadline of its
     * own that cannot be moved or cancelled, for an owner with many at once (bite-db: the earliest
     * {@code every=} window end, a grace end per session). Its {@code post} must not block nor throw. Any thread.
     */
    public void after(long delayNanos, Runnable post) {
        Deadline d = new Deadline(this, post, true);
        long at = clock.nanoTime() + Math.max(0, delayNanos);
        synchronized (d) {
            d.due = at;
            d.armed = true;
        }
        arrive(d, at);
    }

    /** For a test's clock: the time moved, look at the deadlines again. */
    public void clockMoved() {
        LockSupport.unpark(thread);
    }

    /** Stops bite-timer: no deadline fires once it has seen this. Idempotent. */
    @Override
    public void close() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    /** For tests: whether bite-timer is asleep without a deadline, waiting for one, or running. */
    public Thread.State state() {
        return thread.getState();
    }

    private void arrive(Deadline d, long at) {
        arrivals.add(new Entry(at, d));
        LockSupport.unpark(thread);
    }

    private void run() {
        while (!stopped) {
            for (Entry e; (e = arrivals.poll()) != null; ) {
                Deadline d = e.deadline;
                // one entry per deadline: the newest time (a one-shot deadline arrives once: no search)
                if (!d.oneShot) waiting.removeIf(w -> w.deadline == d);
                waiting.add(e);
            }
            Entry next = waiting.peek();
            if (next == null) {
                LockSupport.park(this);
                continue;
            }
            long now = clock.nanoTime();
            long wait = next.at - now;
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
                continue; // woken early, a new deadline, or the clock moved: look again
            }
            waiting.poll();
            long later = next.deadline.fire(now);
            if (later != Long.MIN_VALUE) waiting.add(new Entry(later, next.deadline));
        }
    }

    /**
     * One owner's deadline: armed for one time at most, re-armed with {@link #at}. The hand-off object between the
     * owner and bite-timer (both fields guarded by its monitor).
     */
    public static final class Deadline {

        private final Deadlines timer;
        private final Runnable post;
        private final boolean oneShot; // made by after(): armed once, never moved
        private long due;
        private boolean armed;

        private Deadline(Deadlines timer, Runnable post, boolean oneShot) {
            this.timer = timer;
            this.post = post;
            this.oneShot = oneShot;
        }

        /**
         * Posts once at {@code nanoTime} (on the timer's clock), replacing any earlier request. Cheap when the time
         * is unchanged or later: bite-timer is woken only for a new or an earlier deadline.
         */
        public void at(long nanoTime) {
            boolean wake;
            synchronized (this) {
                wake = !armed || nanoTime - due < 0;
                due = nanoTime;
                armed = true;
            }
            if (wake) timer.arrive(this, nanoTime);
        }

        /** No post until the next {@link #at}. */
        public synchronized void cancel() {
            armed = false;
        }

        /** On bite-timer, at a time it waited for: posts if due, else returns when to look again, or MIN_VALUE. */
        private long fire(long now) {
            synchronized (this) {
                if (!armed) return Long.MIN_VALUE;
                if (due - now > 0) return due; // moved later: wait again
                armed = false;
            }
            post.run();
            return Long.MIN_VALUE;
        }
    }
}
