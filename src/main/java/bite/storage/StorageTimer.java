package bite.storage;

import java.util.concurrent.locks.LockSupport;

/**
 * Wakes the storage loop at its next deadline (everysec fsync, snapshot, retry after a disk failure) by posting a
 * {@link StorageThread.Tick}, so that the loop itself only ever waits with an untimed {@code take()}.
 *
 * <p>Why a thread of its own: bite-storage is a virtual thread (see {@link Storage}), and a virtual thread's timed
 * wait arms and cancels a timer in the JDK's shared scheduler on every call, which here meant a futex wake-up and a
 * context switch per batch of writes. This platform thread sleeps until the deadline the loop last set; the loop
 * only wakes it when a deadline moves earlier, which is rare (deadlines are a second or an interval away).
 */
final class StorageTimer {

    private final Runnable tick;
    private final Thread thread;
    private volatile long deadline;
    private volatile boolean armed;
    private volatile boolean stopped;

    /** @param tick what to do at a deadline: post a message to the loop; never blocks */
    StorageTimer(Runnable tick) {
        this.tick = tick;
        this.thread = Thread.ofPlatform().name("bite-storage-timer").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Ticks once at {@code nanoTime} (a {@link System#nanoTime()} value), replacing any earlier request. */
    void at(long nanoTime) {
        boolean wasArmed = armed;
        long old = deadline;
        deadline = nanoTime;
        armed = true;
        if (!wasArmed || nanoTime - old < 0) LockSupport.unpark(thread); // it sleeps longer than this one
    }

    /** No tick until the next {@link #at}. */
    void cancel() {
        armed = false;
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    /** For tests: whether the timer thread is asleep, waiting, or running. */
    Thread.State state() {
        return thread.getState();
    }

    private void run() {
        while (!stopped) {
            if (!armed) {
                LockSupport.park(this);
                continue;
            }
            long wait = deadline - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
                continue; // woken early, or a new deadline: look again
            }
            armed = false;
            tick.run();
        }
    }
}
