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

    private final Config config;
    private DatabaseThread database;
    private Acceptor acceptor;
    private Storage storage;
    private boolean stopped;

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
            database = new DatabaseThread(initial, config.maxValueBytes(), sink);
            try {
                acceptor = new Acceptor(new InetSocketAddress(config.host(), config.port()), database,
                        new Acceptor.Limits(config.maxLineBytes(), config.maxKeyBytes(), config.maxOutputBytes()));
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
