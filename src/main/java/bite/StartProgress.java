package bite;

import bite.util.Deadlines;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

/**
 * Logs, once a second while the server loads, which step it is in: indexing a million keys or importing a large
 * file takes seconds with no other sign of life. Recovery logs its own progress through a large snapshot or log, so
 * that step is not repeated here. Its ticks run on bite-timer (the server's one timer thread: no thread of its own),
 * from the bind to the start of serving; the thread that starts the server hands it the current step through one
 * volatile field.
 */
final class StartProgress implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("bite");
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final long startedNanos = System.nanoTime();
    private final Deadlines timers;
    private volatile String step = null; // null: a step that logs its own progress
    private volatile boolean done;

    StartProgress(Deadlines timers) {
        this.timers = timers;
        timers.after(SECOND, this::tick);
    }

    /** The step now under way, as it reads after "loading: ", or null while one that logs itself runs. */
    void step(String now) {
        step = now;
    }

    /** On bite-timer, once a second until closed: log the step, ask for the next tick. */
    private void tick() {
        if (done) return;
        String now = step;
        if (now != null) {
            LOG.log(Level.INFO, "loading: " + now + ", " + (System.nanoTime() - startedNanos) / SECOND
                    + " s since the bind");
        }
        timers.after(SECOND, this::tick);
    }

    @Override
    public void close() {
        done = true;
    }
}
