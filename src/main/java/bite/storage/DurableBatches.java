package bite.storage;

import java.util.ArrayDeque;

/**
 * Which of the change-sets bite-storage accepted are durable yet, and so which batch number to report to bite-db.
 * Change-sets are numbered here in the order they arrive (bite-db's batch numbers ride along); one is durable once
 * it is in the current, healthy log up to its last commit, or covered by the newest snapshot on disk. Owned by
 * bite-storage.
 */
final class DurableBatches {

    /** A change-set not yet durable: our number for it, and bite-db's. */
    private record Pending(long seq, long batch) {}

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long seq;                 // change-sets accepted
    private long logStartSeq = 1;     // first change-set in the current log
    private long logDurableSeq;       // last change-set durable (per the policy) in the current log
    private long snapshotSeq;         // last change-set covered by the newest snapshot on disk

    /** A change-set arrived (bite-db's batch {@code batch}). */
    void accepted(long batch) {
        pending.add(new Pending(++seq, batch));
    }

    /** Change-sets accepted so far: what a snapshot started now covers. */
    long accepted() {
        return seq;
    }

    /** Everything accepted so far is in the log and committed per the fsync policy. */
    void committed() {
        logDurableSeq = seq;
    }

    /** A new log starts: what comes next goes there. */
    void rotated() {
        logStartSeq = seq + 1;
        logDurableSeq = seq;
    }

    /** A snapshot on disk covers the change-sets up to {@code coveredSeq}. */
    void covered(long coveredSeq) {
        snapshotSeq = coveredSeq;
    }

    /** Drops the change-sets now durable and returns the last one's batch number, or -1 when none is. */
    long release(boolean logHealthy) {
        long upTo = -1;
        while (!pending.isEmpty()) {
            long s = pending.peek().seq();
            boolean inLog = logHealthy && s >= logStartSeq && s <= logDurableSeq;
            if (!inLog && s > snapshotSeq) break;
            upTo = pending.poll().batch();
        }
        return upTo;
    }

    /** Change-sets not yet durable. */
    int waiting() {
        return pending.size();
    }
}
