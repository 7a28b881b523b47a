package bite.storage;

import java.io.IOException;
import java.util.List;

/** What reaches the bite-storage loop's queue, from bite-db, the bite-disk helpers, bite-timer and the closer. */
sealed interface StorageMessage {

    /** Batch {@code batch}'s changes, from bite-db. */
    record Batch(long batch, List<Change> changes) implements StorageMessage {}

    /** A bite-disk helper wrote (or failed to write) the snapshot started at log generation {@code startGen}. */
    record SnapshotDone(long startGen, long seq, long createdMillis, long bytes, Throwable error)
            implements StorageMessage {}

    /** A bite-disk helper forced log generation {@code gen} ({@code periodic}: the everysec fsync). */
    record SyncDone(long gen, boolean periodic, IOException error) implements StorageMessage {}

    /** {@link Storage#close}: write the final snapshot and stop. */
    record Stop() implements StorageMessage {}

    /** A deadline has come (from bite-timer): the round's timers look at the clock. */
    record Tick() implements StorageMessage {}
}
