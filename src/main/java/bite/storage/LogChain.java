package bite.storage;

import bite.util.Closing;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The write-ahead log as a chain of generations: the one being appended to, and the older ones kept until a
 * snapshot covers them. Used on the bite-storage thread only; with {@code everysec} a bite-disk helper forces the
 * current log in the background and reports back with a {@link StorageMessage.SyncDone} message. The fsyncs run one
 * after the other, in the order they were asked for, so an older log is never behind a newer one on disk.
 */
final class LogChain {

    private static final System.Logger LOG = System.getLogger("bite.storage");
    private static final long SECOND = 1_000_000_000L;

    private final DataDir dir;
    private final FsyncPolicy fsync;
    private final Consumer<StorageMessage> post;
    private final Executor disk;
    private CompletableFuture<Void> lastSync = CompletableFuture.completedFuture(null); // the fsyncs, in order
    private final NavigableMap<Long, Long> sizes; // generation -> bytes, of every log file kept
    private LogFile.Writer current;               // null while broken
    private long nextGen;
    private boolean needsDirSync = true;          // the current log's directory entry is not durable yet
    private boolean unsynced;
    private boolean syncRunning;
    private long lastSyncNanos;
    private long fsyncs;

    LogChain(DataDir dir, FsyncPolicy fsync, LogFile.Writer first, NavigableMap<Long, Long> older,
             Consumer<StorageMessage> post, Executor disk) {
        this.dir = dir;
        this.fsync = fsync;
        this.post = post;
        this.current = first;
        this.nextGen = first.gen() + 1;
        this.sizes = new TreeMap<>(older);
        this.sizes.put(first.gen(), first.size());
        this.disk = disk;
    }

    boolean healthy() {
        return current != null;
    }

    long gen() {
        return current.gen();
    }

    /** The generation the next new log gets. */
    long nextGen() {
        return nextGen;
    }

    /** Whether the current log holds no records yet. */
    boolean empty() {
        return current.size() == LogFile.FILE_HEADER;
    }

    void append(ByteBuffer bytes) throws IOException {
        current.write(bytes);
        sizes.put(current.gen(), current.size());
        unsynced = true;
    }

    /** With {@code always}: one fsync for everything appended since the last (group commit). */
    void commit() throws IOException {
        if (fsync == FsyncPolicy.ALWAYS && (unsynced || needsDirSync)) {
            current.force();
            if (needsDirSync) {
                DataDir.syncDirectory(dir.path());
                needsDirSync = false;
            }
            unsynced = false;
            fsyncs++;
        }
    }

    /** Starts a new generation; the old one is closed (after a last fsync, with everysec). */
    void rotate() throws IOException {
        LogFile.Writer next = LogFile.Writer.create(dir.path(), nextGen);
        LogFile.Writer old = current;
        current = next;
        nextGen++;
        needsDirSync = true;
        unsynced = false;
        sizes.put(next.gen(), next.size());
        if (old != null && fsync == FsyncPolicy.EVERYSEC) {
            sync(() -> {
                IOException e = force(old, false);
                Closing.closeQuietly(old, LOG);
                post.accept(new StorageMessage.SyncDone(old.gen(), false, e));
            });
        } else {
            Closing.closeQuietly(old, LOG);
        }
    }

    /** The current log failed: stop using it. What it holds past its last good fsync is not trusted. */
    void broken() {
        Closing.closeQuietly(current, LOG);
        current = null;
        unsynced = false;
    }

    /** When the next everysec fsync is due, or {@code Long.MAX_VALUE}. */
    long syncDue() {
        boolean due = fsync == FsyncPolicy.EVERYSEC && current != null && !syncRunning && (unsynced || needsDirSync);
        return due ? lastSyncNanos + SECOND : Long.MAX_VALUE;
    }

    void syncIfDue(long now) {
        long due = syncDue();
        if (due == Long.MAX_VALUE || now - due < 0) {
            return;
        }
        LogFile.Writer w = current;
        boolean syncDir = needsDirSync;
        unsynced = false;
        needsDirSync = false;
        syncRunning = true;
        lastSyncNanos = now;
        sync(() -> post.accept(new StorageMessage.SyncDone(w.gen(), true, force(w, syncDir))));
    }

    /** Takes a helper's fsync report; returns the error when it means the current log cannot be trusted. */
    IOException onSyncDone(StorageMessage.SyncDone s) {
        syncRunning &= !s.periodic();
        if (s.error() == null) {
            fsyncs++;
            return null;
        }
        if (current != null && s.gen() == current.gen()) {
            return s.error();
        }
        LOG.log(Level.WARNING, "fsync of an older log failed; the snapshot being written covers it", s.error());
        return null;
    }

    /** A snapshot starting at generation {@code gen} is durable: the logs before it are not needed. */
    void deleteBefore(long gen) {
        for (var it = sizes.headMap(gen, false).keySet().iterator(); it.hasNext(); ) {
            long old = it.next();
            if (current != null && old == current.gen()) {
                continue;
            }
            try {
                Files.deleteIfExists(dir.log(old));
                it.remove();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot delete old log " + dir.log(old), e);
            }
        }
    }

    long bytes() {
        long sum = 0;
        for (long b : sizes.values()) {
            sum += b;
        }
        return sum;
    }

    long fsyncs() {
        return fsyncs;
    }

    /** Closes the current log (forced first unless the policy is {@code no}), after the background fsyncs. */
    void close() {
        if (current != null) {
            if (fsync != FsyncPolicy.NO) {
                force(current, false);
            }
            Closing.closeQuietly(current, LOG);
            current = null;
        }
        try {
            lastSync.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "a background fsync did not finish", e);
        }
    }

    /** Runs {@code task} on a bite-disk helper after every fsync asked for before it. */
    private void sync(Runnable task) {
        lastSync = lastSync.thenRunAsync(() -> {
            try {
                task.run();
            } catch (RuntimeException e) { // a bug: logged, and the fsyncs after it still run
                LOG.log(Level.ERROR, "background fsync task failed", e);
            }
        }, disk);
    }

    private IOException force(LogFile.Writer w, boolean syncDir) {
        try {
            w.force();
            if (syncDir) {
                DataDir.syncDirectory(dir.path());
            }
            return null;
        } catch (IOException e) {
            return e;
        }
    }
}
