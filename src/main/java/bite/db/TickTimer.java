package bite.db;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The {@link TickScheduler} behind bite-db until the server's shared timer takes the role: one platform thread,
 * {@code bite-ticks}, started with the first tick asked for, that only puts each tick on bite-db's queue when its
 * time comes. It touches no subscription state. {@link #schedule} is called on bite-db.
 */
final class TickTimer implements TickScheduler {

    private final Consumer<Request.Tick> submit;
    private volatile ScheduledThreadPoolExecutor executor; // created on bite-db, at the first tick

    TickTimer(Consumer<Request.Tick> submit) {
        this.submit = submit;
    }

    @Override
    public void schedule(long delayMillis, Request.Tick tick) {
        if (executor == null) {
            executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "bite-ticks");
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
        }
        executor.schedule(() -> submit.accept(tick), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    }

    /** Drops the ticks not yet due. Called on the thread that stops the server. */
    void stop() {
        ScheduledThreadPoolExecutor e = executor; // at worst a tick still comes, and is dropped by submit
        if (e != null) e.shutdownNow();
    }
}
