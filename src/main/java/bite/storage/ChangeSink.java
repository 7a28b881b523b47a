package bite.storage;

import java.util.List;

/**
 * Where the database thread hands the changes of each batch it applied, numbered.
 *
 * <p>{@link #submit} is called on the bite-db thread only and must never block: it queues the changes and returns.
 * Batch numbers rise with each call. Once the changes of every batch up to some number are as durable as the fsync
 * policy promises (with {@code --fsync always}: fsynced), the sink reports that number to the listener it was
 * started with ({@link Storage#start}), which queues it for bite-db; nothing else comes back, and no code of the
 * database's runs on the sink's thread.
 */
public interface ChangeSink {

    /**
     * Queues batch {@code seq}'s changes (possibly none: a batch held behind others is numbered too). Throws when the
     * sink cannot take them (closed): then they are not durable and nobody may be told they are.
     */
    void submit(long seq, List<Change> changes);

    /** True when nothing is kept: every batch is durable as soon as it is submitted, and no report comes. */
    default boolean keepsNothing() {
        return false;
    }

    /** Keeps nothing: for tests and for a server started without persistence. */
    ChangeSink NONE = new ChangeSink() {
        @Override
        public void submit(long seq, List<Change> changes) {
        }

        @Override
        public boolean keepsNothing() {
            return true;
        }
    };
}
