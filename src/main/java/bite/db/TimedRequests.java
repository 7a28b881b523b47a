package bite.db;

import bite.util.Deadlines;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * bite-db's timed work on the server's one timer thread: the earliest {@code every=} window end ({@link Request.Tick},
 * see {@link TickQueue}) and session grace ends ({@link Request.GraceEnded}) are one-shot deadlines of
 * {@link Deadlines}, at which bite-timer puts the request on bite-db's queue; nothing else touches bite-db's state. {@link #schedule} is called on bite-db
 * and never blocks.
 */
final class TimedRequests implements TickScheduler, Sessions.GraceScheduler {

    private final Deadlines timers;
    private final boolean own;
    private final Consumer<Request> queue;

    /**
     * @param timers the server's timer; null: one of its own, closed by {@link #close}
     * @param queue  puts a request on bite-db's queue (on bite-timer: must not block; drops it after a stop)
     */
    TimedRequests(Deadlines timers, Consumer<Request> queue) {
        this.own = timers == null;
        this.timers = own ? new Deadlines().start() : timers;
        this.queue = queue;
    }

    @Override
    public void schedule(long delayMillis, Request.Tick tick) {
        later(delayMillis, tick);
    }

    @Override
    public void schedule(long delayMillis, Request.GraceEnded end) {
        later(delayMillis, end);
    }

    private void later(long delayMillis, Request request) {
        timers.after(TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis)), () -> queue.accept(request));
    }

    /** Closes the timer if it is this one's own (the server closes its own). */
    void close() {
        if (own) timers.close();
    }
}
