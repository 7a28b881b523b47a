package bite;

import bite.db.DatabaseStats;
import bite.db.DatabaseThread;
import bite.db.Request;
import bite.net.Access;
import bite.http.InspectorFiles;
import bite.net.Acceptor;
import bite.net.HttpListener;
import bite.protocol.CommandParser;
import bite.storage.BiteJsonImport;
import bite.storage.Change;
import bite.storage.ChangeSink;
import bite.storage.Storage;
import bite.storage.StorageStats;
import bite.protocol.Json;
import bite.storage.SessionRecords;
import bite.util.CrashPoint;
import bite.util.Deadlines;
import bite.util.MemoryCap;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * A whole Bite server: storage, the database thread and the acceptor, started and stopped in the right order.
 * Used by {@link Main} and, with port 0, by tests. {@link #start} runs on the caller's thread (main, from Main), with
 * {@link StartProgress} logging beside it; {@link #stop} on whichever thread stops it (see {@link Signals}).
 */
public final class Server implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("bite");
    private static final long STOP_GRACE_MILLIS = 3_000;
    private static final int LARGE_DATASET = 100_000;

    private final Config config;
    private DatabaseThread database;
    private Acceptor acceptor;
    private HttpListener http; // null unless --http-port
    private volatile boolean databaseDead;
    private Storage storage;
    private Deadlines timers;
    private MemoryCap memory = MemoryCap.NONE; // set before bite-db starts, read by it (info) and by metrics
    private volatile boolean stopped;
    private final long startedMillis = System.currentTimeMillis();
    private String shownAddress;

    private final UnaryOperator<ChangeSink> storageHook;

    public Server(Config config) {
        this(config, UnaryOperator.identity());
    }

    /** For tests: {@code storageHook} wraps what bite-db hands its changes to (to inject a fault on bite-db). */
    Server(Config config, UnaryOperator<ChangeSink> storageHook) {
        this.config = config;
        this.storageHook = storageHook;
    }

    /**
     * Binds the port, recovers the data, and starts serving. The port is claimed first, so that a taken port is
     * reported at once and clients connecting during a long recovery wait in the kernel's queue (up to
     * {@link Addresses#BACKLOG} of them) instead of being refused; their requests are answered once the data is
     * loaded. Throws a {@link StartupFailure} naming the option at fault when the port cannot be bound or the data
     * cannot be loaded or imported.
     */
    public synchronized Server start() throws IOException {
        if (database != null) throw new IllegalStateException("already started");
        Access access = AccessSetup.load(config); // a bad users, rules, secret or TLS file stops the start here
        ServerSocketChannel listener = Addresses.bind(config.host(), config.port());
        InetAddress requested = ((InetSocketAddress) listener.getLocalAddress()).getAddress();
        if (requested.isAnyLocalAddress()) requested = InetAddress.getByName(config.host()); // 0.0.0.0 stays 0.0.0.0
        shownAddress = Addresses.format(requested, ((InetSocketAddress) listener.getLocalAddress()).getPort());
        ServerSocketChannel httpSocket = null;
        timers = new Deadlines().start();
        try (StartProgress progress = new StartProgress(timers)) {
            if (config.httpPort() >= 0) httpSocket = Addresses.bind(config.host(), config.httpPort(), "--http-port");
            Map<String, String> initial = Map.of();
            ChangeSink sink = ChangeSink.NONE;
            if (config.persist()) {
                LOG.log(Level.INFO, "Bite bound to " + shownAddress + "; loading " + config.dataDir()
                        + " (connections wait until it is loaded)");
                try {
                    storage = Storage.open(config.dataDir(), config.fsync(), config.snapshotInterval());
                } catch (IOException | RuntimeException e) {
                    throw new StartupFailure("--data", config.dataDir(), StartupFailure.describe(e), e);
                }
                initial = storage.recovered();
                sink = storage;
            }
            sink = storageHook.apply(sink);
            if (config.importFile() != null) {
                progress.step("importing " + config.importFile());
                initial = importFile(initial, sink);
            }
            progress.step("indexing " + initial.size() + " keys");
            memory = MemoryCap.watch(config.maxMemory(), timers);
            database = new DatabaseThread(initial, config.maxValueBytes(), sink, this::infoFields,
                    () -> timers.after(0, this::databaseDied), config.history(), timers,
                    config.sessionGrace().toMillis(), memory);
            if (initial.size() >= LARGE_DATASET) {
                // Settle the freshly loaded keys into the old generation now, before clients arrive: otherwise
                // the first young collection under load copies them all (a pause of hundreds of ms at 1M keys).
                progress.step("settling " + initial.size() + " keys in the heap");
                System.gc();
            }
            acceptor = new Acceptor(listener, config, database, access);
            if (httpSocket != null) {
                http = new HttpListener(httpSocket, config, database, access,
                        InspectorFiles.around(new StatusPages(this)),
                        acceptor::connectionCount);
            }
        } catch (IOException | RuntimeException e) {
            Addresses.closeQuietly(listener);
            Addresses.closeQuietly(httpSocket);
            if (storage != null) storage.close();
            if (timers != null) timers.close();
            throw e;
        }
        if (storage != null) storage.start(timers, database::durable);
        database.start();
        if (storage != null) runRecoveredSessions(storage.recoveredSessions());
        acceptor.start();
        LOG.log(Level.INFO, "Bite listening on " + shownAddress);
        if (http != null) {
            http.start();
            LOG.log(Level.INFO, "HTTP listening on " + Addresses.format(requested, http.address().getPort())
                    + ": WebSocket at /ws (origins: " + config.httpOrigins() + "), /metrics, /healthz");
        }
        boolean noAuth = config.password() == null && config.usersFile() == null && config.tokenSecret() == null
                && config.tokenSecretFile() == null;
        if (noAuth && !requested.isLoopbackAddress()) warnNoPassword();
        return this;
    }

    /**
     * Runs the {@code ondisconnect} actions of the sessions the last run did not end (it crashed), as bite-db's first
     * step, and waits until that step is durable: only then are connections accepted.
     */
    private void runRecoveredSessions(List<SessionRecords.Recovered> sessions) throws IOException {
        if (sessions.isEmpty()) return;
        CompletableFuture<Integer> ran = new CompletableFuture<>();
        database.runRecovered(sessions, ran);
        int actions;
        try {
            actions = ran.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running the sessions' ondisconnect actions", e);
        } catch (ExecutionException e) {
            throw new IOException("running the sessions' ondisconnect actions failed: " + e.getCause(), e);
        }
        CrashPoint.at("session-recovery-durable");
        LOG.log(Level.INFO, "ran " + actions + " ondisconnect actions of " + sessions.size()
                + " sessions the last run did not end");
    }

    private void warnNoPassword() {
        if (config.published() != null && Addresses.publishedOnLoopback(config.published())) {
            LOG.log(Level.INFO, "No password is set; Bite listens on " + shownAddress + " in a container whose port is"
                    + " published on " + config.published() + " only: reachable from this machine alone");
            return;
        }
        LOG.log(Level.WARNING, "*** No password is set and Bite listens on " + shownAddress + ": anyone who can"
                + " reach this port (in a container: wherever it is published) can read and change every key. Set"
                + " --password (or BITE_PASSWORD), or listen on 127.0.0.1. ***");
    }

    /**
     * Loads an original BITE {@code DB.json} into an empty database: a database with data refuses it, so that a
     * {@code --import} left in place (a container's {@code BITE_IMPORT}) never reverts live data at a restart. Its
     * keys and values must be valid Bite ones; with persistence on, the whole file becomes one log record, so it is
     * all there or none after a crash.
     */
    private Map<String, String> importFile(Map<String, String> recovered, ChangeSink sink) throws IOException {
        Path file = config.importFile();
        if (!recovered.isEmpty()) {
            throw new StartupFailure("--import", file, "the database in " + config.dataDir() + " already holds "
                    + recovered.size() + " keys, and --import only fills an empty one (so that a restart never"
                    + " reverts live data): remove --import / BITE_IMPORT, or start on an empty --data");
        }
        if (Files.isDirectory(file)) throw new StartupFailure("--import", file, "is a directory, not a file");
        if (!Files.exists(file)) throw new StartupFailure("--import", file, "no such file");
        Map<String, String> imported;
        try {
            imported = BiteJsonImport.read(file);
        } catch (IOException | RuntimeException e) {
            throw new StartupFailure("--import", file, StartupFailure.describe(e), e);
        }
        CommandParser keys = new CommandParser(config.maxKeyBytes());
        List<Change> changes = new ArrayList<>(imported.size());
        for (Map.Entry<String, String> e : imported.entrySet()) {
            String bad = e.getKey().isEmpty() ? "invalid key" : keys.checkKey(e.getKey());
            String value = e.getValue();
            if (bad == null && (value.indexOf('\0') >= 0 || value.indexOf('\n') >= 0)) bad = "invalid value";
            if (bad != null) throw new StartupFailure("--import", file, "key \"" + e.getKey() + "\": " + bad);
            changes.add(new Change(e.getKey(), e.getValue()));
        }
        sink.submit(0, changes); // before bite-db's first batch, number 1
        LOG.log(Level.INFO, "imported " + imported.size() + " keys from " + file);
        return new HashMap<>(imported);
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
                .append(",\"parked_connections\":").append(acceptor == null ? 0 : acceptor.parkedConnections())
                .append(",\"rejected_connections\":").append(acceptor == null ? 0 : acceptor.rejectedConnections())
                .append(",\"denied_requests\":").append(acceptor == null ? 0 : acceptor.access().deniedRequests())
                .append(",\"memory_used_bytes\":").append(rt.totalMemory() - rt.freeMemory())
                .append(",\"memory_max_bytes\":").append(rt.maxMemory())
                .append(",\"memory_after_gc_bytes\":").append(memory.used())
                .append(",\"memory_cap_bytes\":").append(memory.cap())
                .append(",\"memory_over_cap\":").append(memory.over())
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

    /** The memory cap: heap in use after GC against {@code --max-memory} (for {@code info} and metrics). */
    public MemoryCap memory() {
        return memory;
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

    /** The HTTP listener's address; null when {@code --http-port} is not given. */
    public InetSocketAddress httpAddress() {
        return http == null ? null : http.address();
    }

    /** Open HTTP connections, WebSockets included; 0 without {@code --http-port}. */
    public int httpConnectionCount() {
        return http == null ? 0 : http.connectionCount();
    }

    /** Why the server is not healthy ({@code /healthz}), or null when it is. Any thread. */
    String healthProblem() {
        if (databaseDead) return "database thread stopped";
        if (stopped) return "stopping";
        StorageStats st = storage == null ? null : storage.stats();
        if (st != null && st.diskError() != null) return "storage disk error (see the log)";
        return null;
    }

    /** Storage's counters, or null without persistence. Any thread. */
    StorageStats storageStats() {
        return storage == null ? null : storage.stats();
    }

    Acceptor acceptor() {
        return acceptor;
    }

    HttpListener http() {
        return http;
    }

    /**
     * bite-db stopped on a fatal error: every connection closes now, idle ones too, rather than wait for an answer
     * that cannot come. The process stays up for the operator to see the log and stop it. Runs on bite-timer (posted
     * by bite-db, which must not block): the one timer task that waits, briefly (the accept loop's end), once in the
     * server's life; no thread of its own for it.
     */
    private synchronized void databaseDied() {
        databaseDead = true;
        if (stopped) return;
        try {
            if (http != null) http.closeWebSockets(); // its pages stay up: /healthz says what happened
            acceptor.stop(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops accepting, lets connections finish the commands they sent, stops the database thread after it applied
     * them, then closes storage (the final snapshot). Idempotent.
     */
    public synchronized void stop() {
        if (stopped || database == null) return;
        stopped = true;
        try {
            if (http != null) http.stop(STOP_GRACE_MILLIS);
            acceptor.stop(STOP_GRACE_MILLIS);
            database.stop();
            if (storage != null) storage.close(); // after the database thread handed over its last changes
            if (timers != null) timers.close();
            memory.close();
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
