package bite.storage;

import bite.util.Deadlines;
import bite.util.Deadlines.Deadline;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.LongConsumer;

/**
 * The bite-storage loop. Everything in this class runs on the bite-storage thread, except {@link #post} (any
 * thread) and the tasks it gives the bite-disk helpers, which only read what they are handed and answer by posting a
 * message.
 *
 * <p>Each round: take every queued message, apply the change-sets to our own copy of the data, write them to the
 * log in one write, fsync once if the policy is {@code always} (group commit), then report the highest batch number
 * now durable to bite-db (one report per round, covering every batch before it). A snapshot freezes the copy and
 * lets a bite-disk helper write it while new changes go to a small overlay map; the log is rotated at that same
 * point, so the snapshot is exact and names the log generation to replay after it. With {@code everysec} a bite-disk
 * helper forces the log once a second.
 *
 * <p>Disk failures: a failed log write or fsync closes that log; change-sets go on being applied to the copy and
 * their reports are held. Every second the loop tries to start a new log and write a snapshot; once one lands, it
 * covers everything held, and the report goes out. A failed snapshot is retried a second later.
 */
final class StorageThread {

    private static final System.Logger LOG = System.getLogger("bite.storage");
    private static final long SECOND = 1_000_000_000L;
    private static final int FLUSH_BYTES = 8 * 1024 * 1024;

    private final BlockingQueue<StorageMessage> inbox = new LinkedBlockingQueue<>();
    private final DataDir dir;
    private final FsyncPolicy fsync;
    private final long intervalNanos;
    /**
     * bite-disk: two platform threads for the calls that block on the disk (snapshot writes, the everysec fsyncs),
     * so that bite-storage, a virtual thread with everysec and no, never holds a carrier in them. Two, because a
     * snapshot write can take seconds and the once-a-second fsync must not wait behind it. Created and shut down here.
     */
    private final ExecutorService disk;
    private final LogChain logs;
    private Deadline timer;                  // null when never started (close() runs the final round itself)
    private LongConsumer durableUpTo = batch -> { };
    private volatile StorageStats stats;

    private final DataCopy copy;
    private final RecordFormat.Encoder out = new RecordFormat.Encoder();
    private final DurableBatches durable = new DurableBatches();
    private boolean dirty;
    private boolean urgent;           // something on disk is not trusted: snapshot as soon as possible
    private boolean snapshotRunning;
    private long snapshotStartNanos;
    private long nextSnapshotAt;
    private long retryAt;             // earliest retry after a failure
    private long lastSnapshotMillis;
    private long lastSnapshotBytes;
    private long logRecords;
    private long snapshots;
    private final DiskFailures failures;

    StorageThread(DataDir dir, FsyncPolicy fsync, long intervalNanos, Recovery.Result recovered,
                  HashMap<String, String> copy, LogFile.Writer log) {
        this.dir = dir;
        this.fsync = fsync;
        this.intervalNanos = intervalNanos;
        this.copy = new DataCopy(copy);
        this.failures = new DiskFailures(dir.path());
        this.disk = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("bite-disk-", 1).daemon().factory());
        this.logs = new LogChain(dir, fsync, log, recovered.logSizes(), this::post, disk);
        this.dirty = recovered.records() > 0; // fold the replayed logs into a snapshot soon
        this.lastSnapshotMillis = recovered.snapshotMillis();
        this.lastSnapshotBytes = recovered.snapshotBytes();
        this.nextSnapshotAt = System.nanoTime() + intervalNanos;
        this.retryAt = System.nanoTime();
        publishStats();
    }

    /** Queues a message for the loop; never blocks. */
    void post(StorageMessage msg) {
        inbox.add(msg);
    }

    /**
     * Before the thread starts: where deadlines come from, and who hears "durable up to batch N" (on bite-storage;
     * it must only queue the report).
     */
    void attach(Deadlines timers, LongConsumer durableUpTo) {
        this.timer = timers.deadline(() -> post(new StorageMessage.Tick()));
        this.durableUpTo = durableUpTo;
    }

    StorageStats stats() {
        return stats;
    }

    void run() {
        try {
            doRun();
        } catch (InterruptedException e) {
            LOG.log(Level.ERROR, "storage thread interrupted; writes are no longer being persisted");
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "storage thread failed; writes are no longer being persisted", t);
        }
    }

    private void doRun() throws InterruptedException {
        try {
            loop();
        } finally {
            if (timer != null) timer.cancel();
        }
    }

    private void loop() throws InterruptedException {
        List<StorageMessage> msgs = new ArrayList<>();
        boolean stopping = false;
        while (true) {
            if (timer == null) {
                // never started: the final round runs on the closing thread, with no deadlines
            } else if (stopping) {
                timer.cancel(); // stopping: only the snapshot's end matters now
            } else {
                long deadline = nextDeadline();
                if (deadline == Long.MAX_VALUE) timer.cancel(); else timer.at(deadline);
            }
            msgs.add(inbox.take());
            inbox.drainTo(msgs);
            for (StorageMessage msg : msgs) {
                switch (msg) {
                    case StorageMessage.Batch b -> accept(b);
                    case StorageMessage.SnapshotDone d -> onSnapshotDone(d);
                    case StorageMessage.SyncDone s -> {
                        IOException e = logs.onSyncDone(s);
                        if (e != null) {
                            logFailed(e); // acknowledged writes of the last second may not be on disk
                        }
                    }
                    case StorageMessage.Stop s -> stopping = true;
                    case StorageMessage.Tick t -> { } // the timers below run every round
                }
            }
            msgs.clear();
            writeLog();
            release();
            if (stopping && !snapshotRunning) {
                shutdown();
                return;
            }
            if (!stopping) {
                timers(System.nanoTime());
            }
            publishStats();
        }
    }

    private void accept(StorageMessage.Batch b) {
        copy.apply(b.changes());
        durable.accepted(b.batch());
        if (!b.changes().isEmpty()) {
            dirty = true;
            if (logs.healthy()) {
                try {
                    LogFile.encode(out, b.changes());
                    logRecords++;
                    if (out.size() >= FLUSH_BYTES) {
                        logs.append(out.view()); // a long round: write as we go, fsync once at its end
                        out.clear();
                    }
                } catch (IOException | IllegalStateException e) { // the latter: one change-set over 2 GB
                    out.clear();
                    logFailed(e instanceof IOException io ? io : new IOException(e.getMessage(), e));
                }
            }
        }
    }

    /** Writes what this round encoded in one write; with {@code always}, one fsync covers all of it. */
    private void writeLog() {
        if (!logs.healthy()) {
            out.clear();
            return;
        }
        try {
            if (out.size() > 0) {
                logs.append(out.view());
                out.clear();
            }
            logs.commit();
            durable.committed();
        } catch (IOException e) {
            out.clear();
            logFailed(e);
        }
    }

    /** Reports the last batch whose change-set is durable, with every one before it; once per round at most. */
    private void release() {
        long upTo = durable.release(logs.healthy());
        if (upTo < 0) return;
        try {
            durableUpTo.accept(upTo);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "reporting durable batches failed", e);
        }
    }

    private void timers(long now) {
        if (!logs.healthy() && now - retryAt >= 0) {
            try {
                rotate();
                LOG.log(Level.INFO, "started a new log, " + dir.log(logs.gen())
                        + "; writing a snapshot to cover the failed one");
            } catch (IOException e) {
                retryAt = now + SECOND;
                failures.report("cannot start a new log; retrying every second", e);
                return;
            }
        }
        logs.syncIfDue(now);
        if (!snapshotRunning && (dirty || urgent) && logs.healthy() && now - snapshotDue() >= 0) {
            startSnapshot(now);
        }
    }

    /** The {@link System#nanoTime()} at which {@link #timers} next has work, or {@code Long.MAX_VALUE}. */
    private long nextDeadline() {
        long next = logs.healthy() ? logs.syncDue() : retryAt;
        if (!snapshotRunning && (dirty || urgent) && logs.healthy()) {
            long snapshot = snapshotDue();
            if (next == Long.MAX_VALUE || snapshot - next < 0) next = snapshot;
        }
        return next;
    }

    /** When the next snapshot may start: after the interval, or, when urgent, as soon as a retry is allowed. */
    private long snapshotDue() {
        return urgent ? retryAt : nextSnapshotAt;
    }

    private void rotate() throws IOException {
        logs.rotate();
        durable.rotated();
    }

    private void startSnapshot(long now) {
        try {
            if (!logs.empty()) { // an empty log (just repaired) can start the snapshot as it is
                rotate();
            }
        } catch (IOException e) {
            nextSnapshotAt = now + SECOND;
            retryAt = now + SECOND;
            failures.report("cannot start a new log for a snapshot; retrying in a second", e);
            return;
        }
        Map<String, String> frozen = copy.freeze();
        long startGen = logs.gen();
        long coveredSeq = durable.accepted();
        long created = System.currentTimeMillis();
        dirty = false;
        urgent = false;
        snapshotRunning = true;
        snapshotStartNanos = now;
        disk.execute(() -> {
            try {
                long bytes = SnapshotFile.write(dir.path(), frozen, startGen, created);
                post(new StorageMessage.SnapshotDone(startGen, coveredSeq, created, bytes, null));
            } catch (Throwable e) {
                post(new StorageMessage.SnapshotDone(startGen, coveredSeq, created, 0, e));
            }
        });
    }

    private void onSnapshotDone(StorageMessage.SnapshotDone d) {
        copy.thaw();
        snapshotRunning = false;
        long now = System.nanoTime();
        if (d.error() != null) {
            dirty = true;
            nextSnapshotAt = now + SECOND;
            retryAt = now + SECOND;
            failures.report("snapshot failed; retrying in a second", d.error());
            return;
        }
        // at most every interval, and never busier than half the time when snapshots take long
        nextSnapshotAt = urgent ? now
                : Math.max(snapshotStartNanos + intervalNanos, now + (now - snapshotStartNanos));
        covered(d.startGen(), d.seq(), d.createdMillis(), d.bytes());
        LOG.log(Level.DEBUG, () -> "snapshot written: " + d.bytes() + " bytes in "
                + (now - snapshotStartNanos) / 1_000_000 + " ms, log generation " + d.startGen());
    }

    /** A snapshot is durable: it covers change-sets up to {@code coveredSeq}, older logs can go. */
    private void covered(long startGen, long coveredSeq, long createdMillis, long bytes) {
        durable.covered(coveredSeq);
        lastSnapshotMillis = createdMillis;
        lastSnapshotBytes = bytes;
        snapshots++;
        logs.deleteBefore(startGen);
        if (logs.healthy()) failures.recovered();
    }

    private void logFailed(IOException e) {
        failures.report("log write failed; holding acks and retrying every second with a new log and a snapshot", e);
        logs.broken();
        urgent = true;
        dirty = true;
        retryAt = System.nanoTime();
    }

    /** The final round: everything in memory goes into a snapshot, so the next start reads one file. */
    private void shutdown() {
        try {
            boolean needed = dirty || urgent || durable.waiting() > 0 || !logs.healthy();
            long startGen = logs.nextGen(); // no log of this generation exists yet: the next start creates it
            long created = System.currentTimeMillis();
            long bytes = -1;
            if (needed) {
                try {
                    bytes = SnapshotFile.write(dir.path(), copy.current(), startGen, created);
                } catch (Exception e) {
                    LOG.log(Level.ERROR, "final snapshot failed; the next start replays the logs instead", e);
                }
            }
            logs.close();
            if (bytes >= 0) {
                covered(startGen, durable.accepted(), created, bytes);
                release();
            }
            if (durable.waiting() > 0) {
                LOG.log(Level.ERROR, durable.waiting() + " change-sets were never made durable; their writes were"
                        + " not acknowledged");
            }
        } finally {
            disk.shutdown();
            publishStats();
        }
    }

    private void publishStats() {
        stats = new StorageStats(lastSnapshotMillis, lastSnapshotBytes, logs.bytes(), fsync, logRecords,
                logs.fsyncs(), snapshots, durable.waiting(), failures.error());
    }
}
