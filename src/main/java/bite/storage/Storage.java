package bite.storage;

import bite.util.Deadlines;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Bite's persistence: a data directory holding a snapshot and a write-ahead log, owned by the bite-storage thread.
 *
 * <p>Lifecycle: {@link #open} locks the directory and recovers the data (the caller takes it with
 * {@link #recovered}), {@link #start} starts the thread, the database thread hands it every batch's changes with
 * {@link #submit}, and {@link #close} writes a final snapshot and releases the directory. The on-disk format and
 * the guarantees of each fsync policy are in {@code docs/STORAGE.md}.
 */
public final class Storage implements ChangeSink, AutoCloseable {

    private static final System.Logger LOG = System.getLogger("bite.storage");
    private static final long STOP_TIMEOUT_MILLIS = 30_000;

    private final DataDir dir;
    private final StorageThread worker;
    private final Thread thread;
    private HashMap<String, String> recovered;
    private final List<SessionRecords.Recovered> sessions;
    private boolean started;
    private volatile boolean closed;

    private Storage(DataDir dir, FsyncPolicy fsync, StorageThread worker, HashMap<String, String> recovered,
                    List<SessionRecords.Recovered> sessions) {
        this.dir = dir;
        this.worker = worker;
        this.recovered = recovered;
        this.sessions = sessions;
        this.thread = storageThread(fsync).name("bite-storage").unstarted(worker::run);
    }

    /**
     * Why bite-storage exists: it owns the log, the snapshot schedule and its own copy of the data, so that bite-db
     * never waits on a disk. With {@code everysec} and {@code no} it is a virtual thread on the connections'
     * carriers: handing it a batch, and its reporting the batch durable to bite-db, are queue pushes rather than OS
     * wake-ups and context switches (measured: docs/BENCHMARKS.md, "bite-storage: virtual or platform thread"). Its
     * only disk call then is a {@code write} into the page cache: fsyncs and snapshots run on the bite-disk helpers,
     * platform threads. With {@code always} it calls {@code fsync} itself, which would hold a carrier for
     * milliseconds, so it is a platform thread. The trade-off is in docs/STORAGE.md.
     */
    private static Thread.Builder storageThread(FsyncPolicy fsync) {
        return fsync == FsyncPolicy.ALWAYS ? Thread.ofPlatform().daemon() : Thread.ofVirtual();
    }

    /**
     * Creates {@code dataDir} if needed, locks it, loads the snapshot and replays the log. Fails with a message
     * naming the directory, or the damaged file and offset, rather than starting empty.
     *
     * @param snapshotInterval how often a snapshot is written while there are changes
     */
    public static Storage open(Path dataDir, FsyncPolicy fsync, Duration snapshotInterval) throws IOException {
        Objects.requireNonNull(fsync, "fsync");
        if (snapshotInterval.isNegative() || snapshotInterval.isZero()) {
            throw new IllegalArgumentException("snapshot interval must be positive: " + snapshotInterval);
        }
        DataDir dir = DataDir.open(dataDir);
        try {
            Recovery.Result r = Recovery.run(dir, true);
            LogFile.Writer log;
            try {
                log = LogFile.Writer.create(dir.path(), r.nextGen());
            } catch (IOException e) {
                throw new IOException("data directory " + dir.path() + " is not writable: " + e, e);
            }
            // the storage thread keeps its own copy; the shared strings make it cost about one HashMap node a key
            HashMap<String, String> copy = new HashMap<>(r.data());
            StorageThread worker = new StorageThread(dir, fsync, snapshotInterval.toNanos(), r, copy, log);
            // the copy keeps the sessions' records (snapshots hold them); bite-db gets the client keys only
            List<SessionRecords.Recovered> sessions = SessionRecords.split(r.data());
            if (!sessions.isEmpty()) {
                int actions = sessions.stream().mapToInt(x -> x.actions().size()).sum();
                LOG.log(Level.INFO, sessions.size() + " sessions did not end before the last run stopped: their "
                        + actions + " ondisconnect records were among the keys recovered, " + r.data().size()
                        + " keys are clients'");
            }
            return new Storage(dir, fsync, worker, r.data(), sessions);
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    /** The data recovered at open. Hand-off: call once, before {@link #start}; the caller owns the map. */
    public synchronized Map<String, String> recovered() {
        if (recovered == null) {
            throw new IllegalStateException("recovered() was already called");
        }
        Map<String, String> r = recovered;
        recovered = null;
        return r;
    }

    /**
     * The sessions the last run left unended (their {@code ondisconnect} actions not yet run), from the data
     * recovered at open; empty after a clean stop.
     */
    public List<SessionRecords.Recovered> recoveredSessions() {
        return sessions;
    }

    /**
     * Starts the bite-storage thread.
     *
     * @param timers      where its deadlines (fsync every second, snapshots, retries) come from
     * @param durableUpTo hears, on bite-storage, "the changes of every batch up to N are durable" (see
     *                    {@link #submit}); it must only queue the report (for bite-db)
     */
    public synchronized void start(Deadlines timers, LongConsumer durableUpTo) {
        if (closed || started) {
            throw new IllegalStateException(closed ? "storage is closed" : "storage already started");
        }
        started = true;
        worker.attach(Objects.requireNonNull(timers, "timers"), Objects.requireNonNull(durableUpTo, "durableUpTo"));
        thread.start();
    }

    /**
     * Queues batch {@code seq}'s changes (written as one log record, so all or nothing after a crash) and returns at
     * once. Once they are durable per the fsync policy (after their fsync with {@code always}, after their write to
     * the log file, so they survive the process being killed, with {@code everysec} and {@code no}), bite-storage
     * reports {@code seq} or a later batch number to the {@code durableUpTo} given to {@link #start}: a report covers
     * every batch submitted before it. While the disk fails reports are held until the data is safe again. Numbers
     * must rise from call to call. The list is copied.
     */
    @Override
    public void submit(long seq, List<Change> changes) {
        if (closed) {
            throw new IllegalStateException("storage is closed");
        }
        worker.post(new StorageMessage.Batch(seq, List.copyOf(changes)));
    }

    /**
     * Writes a final snapshot, stops the thread and releases the directory. Call after the database thread has
     * stopped submitting. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            if (started) {
                worker.post(new StorageMessage.Stop());
                thread.join(STOP_TIMEOUT_MILLIS);
                if (thread.isAlive()) {
                    LOG.log(Level.ERROR, "storage thread did not stop within {0} ms", STOP_TIMEOUT_MILLIS);
                }
            } else {
                worker.post(new StorageMessage.Stop());
                worker.run(); // never started: do its final round here
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                dir.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot release lock of " + dir.path(), e);
            }
        }
    }

    public StorageStats stats() {
        return worker.stats();
    }

    /** The data directory, absolute. */
    public Path path() {
        return dir.path();
    }
}
