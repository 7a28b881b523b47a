package bite.storage;

/**
 * A consistent view of the storage thread's counters, published after each round of work; safe to read from any
 * thread.
 *
 * @param lastSnapshotMillis when the newest snapshot on disk was started (epoch millis); 0 when there is none
 * @param lastSnapshotBytes  its size in bytes
 * @param logBytes           bytes in the log files kept since that snapshot
 * @param fsync              the log's fsync policy
 * @param logRecords         change-sets written to the log since open
 * @param logFsyncs          fsyncs of the log since open (with {@code always}, group commit keeps this below
 *                           {@code logRecords})
 * @param snapshots          snapshots completed since open
 * @param heldAcks           change-sets whose durable report waits for the disk
 * @param diskError          the last disk failure while it lasts, else null
 */
public record StorageStats(
        long lastSnapshotMillis,
        long lastSnapshotBytes,
        long logBytes,
        FsyncPolicy fsync,
        long logRecords,
        long logFsyncs,
        long snapshots,
        int heldAcks,
        String diskError) {
}
