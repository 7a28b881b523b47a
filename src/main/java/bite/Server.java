package bite;

import bite.db.DatabaseStats;
import bite.db.DatabaseThread;
import bite.db.Request;
import bite.net.Acceptor;
import bite.storage.ChangeSink;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
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
    private boolean stopped;

    public Server(Config config) {
        this.config = config;
    }

    /** Recovers the data, binds, and starts serving. Throws when the data cannot be loaded or the port bound. */
    public synchronized Server start() throws IOException {
        if (database != null) throw new IllegalStateException("already started");
        // storage: recovery, then the storage thread, replace ChangeSink.NONE
        Map<String, String> initial = Map.of();
        ChangeSink sink = ChangeSink.NONE;
        database = new DatabaseThread(initial, config.maxValueBytes(), sink);
        try {
            acceptor = new Acceptor(new InetSocketAddress(config.host(), config.port()), database,
                    new Acceptor.Limits(config.maxLineBytes(), config.maxKeyBytes(), config.maxOutputBytes()));
        } catch (IOException e) {
            throw new IOException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        database.start();
        acceptor.start();
        InetSocketAddress bound = address();
        LOG.log(Level.INFO, "Bite listening on " + bound.getHostString() + ":" + bound.getPort());
        return this;
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
            // storage: close after the database thread has handed over its last changes
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
