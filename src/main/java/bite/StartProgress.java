package bite;

import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Logs, once a second while the server loads, which step it is in: indexing a million keys or importing a large
 * file takes seconds with no other sign of life. Recovery logs its own progress through a large snapshot or log, so
 * that step is not repeated here. Runs one short-lived virtual thread, {@code bite-start-progress}, from the bind to
 * the start of serving; the thread that starts the server hands it the current step through one volatile field.
 */
final class StartProgress implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("bite");

    private final long startedNanos = System.nanoTime();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile String step = null; // null: a step that logs its own progress
    private final Thread thread;

    StartProgress() {
        thread = Thread.ofVirtual().name("bite-start-progress").start(this::run);
    }

    /** The step now under way, as it reads after "loading: ", or null while one that logs itself runs. */
    void step(String now) {
        step = now;
    }

    private void run() {
        try {
            while (!done.await(1, TimeUnit.SECONDS)) {
                String now = step;
                if (now != null) {
                    LOG.log(Level.INFO, "loading: " + now + ", " + (System.nanoTime() - startedNanos) / 1_000_000_000
                            + " s since the bind");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        done.countDown();
    }
}
