package bite.db;

import java.lang.System.Logger.Level;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The render threads ({@code bite-render-N}): they render {@link BigRead}s, touching nothing but each read's
 * snapshot, and hand every reply (or its failure) back to bite-db through {@code back}, which queues it on
 * bite-db's queue. bite-db is thus held for an O(1) snapshot instead of the whole rendering (docs/BENCHMARKS.md,
 * "Big reads"). {@link #render} is called on bite-db; {@link #stop} by whoever stops the database.
 *
 * <p>Platform threads, one fewer than the cores (at least one): a render of a million keys takes about a second of
 * CPU, and a virtual thread would hold one of the carriers that run bite-db and the connections that whole time,
 * while the OS time-slices a platform thread with them. Reads queue here in order when all are busy.
 */
final class RenderThreads {

    private static final System.Logger LOG = System.getLogger("bite.db");

    private final ExecutorService threads = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors() - 1),
            Thread.ofPlatform().name("bite-render-", 1).daemon().factory());
    private final Consumer<Request.Rendered> back;

    RenderThreads(Consumer<Request.Rendered> back) {
        this.back = back;
    }

    /** Renders {@code read} on a render thread; its reply comes back through {@code back}. Never blocks. */
    void render(BigRead read) {
        threads.execute(() -> {
            Request.Rendered done;
            try {
                done = new Request.Rendered(read, read.render(), null);
            } catch (RuntimeException | OutOfMemoryError e) {
                LOG.log(Level.ERROR, "rendering a big read for " + read.client().name() + " failed", e);
                done = new Request.Rendered(read, null, e);
            }
            back.accept(done);
        });
    }

    /** Stops the threads (a render going on is interrupted; its reply is no longer wanted). */
    void stop() {
        threads.shutdownNow();
    }
}
