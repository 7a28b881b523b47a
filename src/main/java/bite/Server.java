package bite;

import bite.db.DatabaseStats;
import bite.db.DatabaseThread;
import bite.db.Request;
import bite.net.Acceptor;
import bite.protocol.CommandParser;
import bite.storage.BiteJsonImport;
import bite.storage.Change;
import bite.storage.ChangeSink;
import bite.storage.Storage;
import bite.storage.StorageStats;
import bite.protocol.Json;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A whole Bite server: storage, the database thread and the acceptor, started and stopped in the right order.
 * Used by {@link Main} and, with port 0, by tests.
 */
public final class Server implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("bite");
    private static final long STOP_GRACE_MILLIS = 3_000;
    private static final int LARGE_DATASET = 100_000;

    private final Config config;
    private DatabaseThread database;
    private Acceptor acceptor;
    private Storage storage;
    private boolean stopped;
    private final long startedMillis = System.currentTimeMillis();

    public Server(Config config) {
        this.config = config;
    }

    /** Recovers the data, binds, and starts serving. Throws when the data cannot be loaded or the port bound. */
    public synchronized Server start() throws IOException {
        if (database != null) throw new IllegalStateException("already started");
        Map<String, String> initial = Map.of();
        ChangeSink sink = ChangeSink.NONE;
        if (config.persist()) {
            storage = Storage.open(config.dataDir(), config.fsync(), config.snapshotInterval());
            initial = storage.recovered();
            sink = storage;
        }
        try {
            if (config.importFile() != null) initial = importFile(initial, sink);
            database = new DatabaseThread(initial, config.maxValueBytes(), sink, this::infoFields);
            if (initial.size() >= LARGE_DATASET) {
                // Settle the freshly loaded keys into the old generation now, before clients arrive: otherwise
                // the first young collection under load copies them all (a pause of hundreds of ms at 1M keys).
                System.gc();
            }
            try {
                acceptor = new Acceptor(config, database);
            } catch (IOException e) {
                throw new IOException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
            }
        } catch (IOException | RuntimeException e) {
            if (storage != null) storage.close();
            throw e;
        }
        if (storage != null) storage.start();
        database.start();
        acceptor.start();
        InetSocketAddress bound = address();
        LOG.log(Level.INFO, "Bite listening on " + bound.getHostString() + ":" + bound.getPort());
        if (config.password() == null && !bound.getAddress().isLoopbackAddress()) {
            LOG.log(Level.WARNING, "*** No password is set and Bite listens on " + bound.getHostString()
                    + ": anyone who can reach this port can read and change every key. Set --password (or"
                    + " BITE_PASSWORD), or listen on 127.0.0.1. ***");
        }
        return this;
    }

    /**
     * Loads an original BITE {@code DB.json} over the recovered data. Its keys and values must be valid Bite ones;
     * with persistence on, the whole file becomes one log record, so it is all there or none after a crash.
     */
    private Map<String, String> importFile(Map<String, String> recovered, ChangeSink sink) throws IOException {
        Path file = config.importFile();
        Map<String, String> imported = BiteJsonImport.read(file);
        CommandParser keys = new CommandParser(config.maxKeyBytes());
        List<Change> changes = new ArrayList<>(imported.size());
        for (Map.Entry<String, String> e : imported.entrySet()) {
            String bad = e.getKey().isEmpty() ? "invalid key" : keys.checkKey(e.getKey());
            if (bad == null && (e.getValue().indexOf('\0') >= 0 || e.getValue().indexOf('\n') >= 0)) bad = "invalid value";
            if (bad != null) throw new IOException(file + ": key \"" + e.getKey() + "\": " + bad);
            changes.add(new Change(e.getKey(), e.getValue()));
        }
        Map<String, String> merged = new HashMap<>(recovered);
        merged.putAll(imported);
        sink.submit(changes, () -> { });
        LOG.log(Level.INFO, "imported " + imported.size() + " keys from " + file);
        return merged;
    }

    /**
     * The server's own fields of the {@code info} reply, as JSON members. Runs on bite-db: reads only values that
     * are safe to read from any thread.
     */
    private String infoFields() {
        Runtime rt = Runtime.getRuntime();
        StringBuilder sb = new StringBuilder(256)
                .append("\"version\":").append(Json.quote(Main.version()))
                .append(",\"uptime_seconds\":").append((System.currentTimeMillis() - startedMillis) / 1000)
                .append(",\"connections\":").append(acceptor == null ? 0 : acceptor.connectionCount())
                .append(",\"rejected_connections\":").append(acceptor == null ? 0 : acceptor.rejectedConnections())
                .append(",\"memory_used_bytes\":").append(rt.totalMemory() - rt.freeMemory())
                .append(",\"memory_max_bytes\":").append(rt.maxMemory())
                .append(",\"persist\":").append(storage != null);
        if (storage != null) {
            StorageStats st = storage.stats();
            sb.append(",\"fsync\":").append(Json.quote(st.fsync().wireName()))
                    .append(",\"last_snapshot_time\":").append(st.lastSnapshotMillis() == 0 ? "null"
                            : Json.quote(java.time.Instant.ofEpochMilli(st.lastSnapshotMillis()).toString()))
                    .append(",\"last_snapshot_bytes\":").append(st.lastSnapshotBytes())
                    .append(",\"log_bytes\":").append(st.logBytes())
                    .append(",\"disk_error\":").append(st.diskError() == null ? "null" : Json.quote(st.diskError()));
        } else {
            sb.append(",\"fsync\":null,\"last_snapshot_time\":null,\"last_snapshot_bytes\":0,\"log_bytes\":0")
                    .append(",\"disk_error\":null"); // the same fields either way
        }
        return sb.toString();
    }

    public InetSocketAddress address() {
        return acceptor.address();
    }

    public int port() {
        return address().getPort();
    }

    /** The database's counters, read on its own thread. */
    public DatabaseStats stats() throws InterruptedException {
        CompletableFuture<DatabaseStats> reply = new CompletableFuture<>();
        database.submit(new Request.Stats(reply));
        try {
            return reply.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("database did not answer", e);
        }
    }

    public int connectionCount() {
        return acceptor.connectionCount();
    }

    /**
     * Stops accepting, lets connections finish the commands they sent, stops the database thread after it applied
     * them, then closes storage (the final snapshot). Idempotent.
     */
    public synchronized void stop() {
        if (stopped || database == null) return;
        stopped = true;
        try {
            acceptor.stop(STOP_GRACE_MILLIS);
            database.stop();
            if (storage != null) storage.close(); // after the database thread handed over its last changes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.log(Level.INFO, "Bite stopped");
    }

    @Override
    public void close() {
        stop();
    }
}
