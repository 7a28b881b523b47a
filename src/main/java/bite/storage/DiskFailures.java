package bite.storage;

import java.lang.System.Logger.Level;
import java.nio.file.Path;

/**
 * The disk failure going on now, if any: what {@code info} shows as {@code disk_error}, logged loudly at once when it
 * is new and then every ten seconds while it lasts. Owned by bite-storage.
 */
final class DiskFailures {

    private static final System.Logger LOG = System.getLogger("bite.storage");
    private static final long REPEAT_NANOS = 10_000_000_000L;

    private final Path dir;
    private String error;
    private long lastLog;

    DiskFailures(Path dir) {
        this.dir = dir;
    }

    void report(String what, Throwable e) {
        String now = e.toString();
        long t = System.nanoTime();
        if (!now.equals(error) || t - lastLog >= REPEAT_NANOS) {
            LOG.log(Level.ERROR, "DISK FAILURE in " + dir + ": " + what, e);
            lastLog = t;
        }
        error = now;
    }

    /** A snapshot landed and the log is healthy: whatever failed is behind us. */
    void recovered() {
        if (error != null) {
            LOG.log(Level.INFO, "storage recovered: snapshot written, log healthy again");
            error = null;
        }
    }

    /** The current failure, or null. */
    String error() {
        return error;
    }
}
