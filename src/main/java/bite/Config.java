package bite;

import bite.storage.FsyncPolicy;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything an operator can set, with every default in {@link #defaults()}. Immutable; passed down through
 * constructors, never read from a static.
 *
 * @param host             address to bind ({@code --host}, {@code BITE_HOST}); default {@code 127.0.0.1}
 * @param port             TCP port ({@code --port}, {@code BITE_PORT}); default 1984; 0 picks a free port
 * @param dataDir          where snapshots and the log live ({@code --data}, {@code BITE_DATA}); default {@code ./data}
 * @param persist          false keeps everything in memory only ({@code --no-persist})
 * @param maxLineBytes     longest request line including its {@code \n}; default 1 MiB
 * @param maxKeyBytes      longest key in UTF-8 bytes; default 1024
 * @param maxOutputBytes   per-connection limit of queued replies and pushes; default 32 MiB
 * @param fsync            write-ahead log fsync policy; default {@code everysec}
 * @param snapshotInterval how often a snapshot is written while there are changes; default 1 s
 * @param logLevel         lowest level logged; default INFO
 */
public record Config(
        String host,
        int port,
        Path dataDir,
        boolean persist,
        int maxLineBytes,
        int maxKeyBytes,
        long maxOutputBytes,
        FsyncPolicy fsync,
        Duration snapshotInterval,
        System.Logger.Level logLevel) {

    public static final int DEFAULT_PORT = 1984;

    public static Config defaults() {
        return new Config("127.0.0.1", DEFAULT_PORT, Path.of("data"), true,
                1024 * 1024, 1024, 32L * 1024 * 1024,
                FsyncPolicy.EVERYSEC, Duration.ofSeconds(1), System.Logger.Level.INFO);
    }

    public Config withHost(String v) { return new Config(v, port, dataDir, persist, maxLineBytes, maxKeyBytes, maxOutputBytes, fsync, snapshotInterval, logLevel); }
    public Config withPort(int v) { return new Config(host, v, dataDir, persist, maxLineBytes, maxKeyBytes, maxOutputBytes, fsync, snapshotInterval, logLevel); }
    public Config withDataDir(Path v) { return new Config(host, port, v, persist, maxLineBytes, maxKeyBytes, maxOutputBytes, fsync, snapshotInterval, logLevel); }
    public Config withPersist(boolean v) { return new Config(host, port, dataDir, v, maxLineBytes, maxKeyBytes, maxOutputBytes, fsync, snapshotInterval, logLevel); }
    public Config withMaxLineBytes(int v) { return new Config(host, port, dataDir, persist, v, maxKeyBytes, maxOutputBytes, fsync, snapshotInterval, logLevel); }
    public Config withMaxKeyBytes(int v) { return new Config(host, port, dataDir, persist, maxLineBytes, v, maxOutputBytes, fsync, snapshotInterval, logLevel); }
    public Config withMaxOutputBytes(long v) { return new Config(host, port, dataDir, persist, maxLineBytes, maxKeyBytes, v, fsync, snapshotInterval, logLevel); }
    public Config withFsync(FsyncPolicy v) { return new Config(host, port, dataDir, persist, maxLineBytes, maxKeyBytes, maxOutputBytes, v, snapshotInterval, logLevel); }
    public Config withSnapshotInterval(Duration v) { return new Config(host, port, dataDir, persist, maxLineBytes, maxKeyBytes, maxOutputBytes, fsync, v, logLevel); }
    public Config withLogLevel(System.Logger.Level v) { return new Config(host, port, dataDir, persist, maxLineBytes, maxKeyBytes, maxOutputBytes, fsync, snapshotInterval, v); }
}
