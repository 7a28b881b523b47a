package bite.storage;

import java.util.List;

/**
 * Where the database thread hands the changes of each batch it applied.
 *
 * <p>{@link #submit} is called on the bite-db thread only and must never block: it queues the work and returns.
 * {@code onDurable} runs once the changes are as durable as the configured fsync policy promises (with
 * {@code --fsync always}: after they are fsynced); it may run on the calling thread before {@code submit} returns.
 * {@link Storage} runs every {@code onDurable} on its bite-storage thread, in submit order, after the changes were
 * written to the log (and fsynced, with {@code always}); so a callback must be quick and must not block.
 */
public interface ChangeSink {

    void submit(List<Change> changes, Runnable onDurable);

    /** Keeps nothing: for tests and for a server started without persistence. */
    ChangeSink NONE = (changes, onDurable) -> onDurable.run();
}
