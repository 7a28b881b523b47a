package bite.db;

import java.util.PriorityQueue;

/**
 * The window ends of every {@code every=} subscription, in time order, and the one wake-up bite-db has asked of the
 * timer for the earliest of them. Owned by bite-db.
 *
 * <p>Why not a timer request per window: a game of 1,000 players subscribed with {@code every=50} has 20,000 window
 * ends a second; a request each meant 20,000 wake-ups of bite-timer (a platform thread: a futex each) and as many
 * extra turns of bite-db. Here the timer is asked only when a window end comes earlier than the wake-up already
 * asked for, all the windows due at a wake-up run in that one turn, and bite-db also runs whatever is due at the end
 * of each of its steps, when it is awake anyway. A window still ends no earlier than its time (the batching rule in
 * {@link TickBatch} decides what goes out).
 */
final class TickQueue {

    private record Due(long at, long subscription) {}

    private final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
    private final TickScheduler timer;
    private long wakeAt = Long.MAX_VALUE; // the earliest wake-up asked of the timer and not yet come

    TickQueue(TickScheduler timer) {
        this.timer = timer;
    }

    /** Subscription {@code subscription}'s window ends at {@code at}; {@link #arm} asks the timer if need be. */
    void add(long at, long subscription) {
        due.add(new Due(at, subscription));
    }

    /** The wake-up asked for {@code at} came ({@link Request.Tick}): a later one may be asked for again. */
    void woke(long at) {
        if (at == wakeAt) wakeAt = Long.MAX_VALUE;
    }

    /** The next subscription whose window has ended by {@code now}, taken off the queue; -1 when none. */
    long pollDue(long now) {
        Due d = due.peek();
        if (d == null || d.at > now) return -1;
        due.poll();
        return d.subscription;
    }

    /** Asks the timer for a wake-up at the earliest window end, unless one at or before it is asked for already. */
    void arm(long now) {
        Due d = due.peek();
        if (d == null || d.at >= wakeAt) return;
        wakeAt = d.at;
        timer.schedule(d.at - now, new Request.Tick(d.at));
    }

    /** No window end waiting. */
    boolean isEmpty() {
        return due.isEmpty();
    }
}
