package bite.storage;

import java.util.List;

/**
 * Where the database thread hands the changes of each batch it applied.
 *
 * <p>{@link #submit} is called on the bite-db thread only and must never block: it queues the work and returns.
 * {@code onDurable} runs once the changes are as durable as the configured fsync policy promises (with
 * {@code --fsync always}: after they are fsynced); it may run on the calling thread before {@code submit} returns.
 */
public interface ChangeSink {

    void submit(List<Change> changes, Runnable onDurable);

    /** Keeps nothing: for tests and for a server started without persistence. */
    ChangeSink NONE = (changes, onDurable) -> onDurable.run();
}
