package bite.net;

import bite.db.DatabaseThread;
import bite.db.Request;
import bite.protocol.CommandParser;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.nio.charset.StandardCharsets;

/**
 * Accepts connections on a platform thread, {@code bite-acceptor}, and starts each on a virtual thread of its own,
 * {@code bite-conn-N}. Keeps the set of open connections so that a stop can end them.
 */
public final class Acceptor {

    private static final System.Logger LOG = System.getLogger("bite.net");

    /**
     * What the acceptor and each connection need to know.
     *
     * @param password          null: no {@code auth} needed
     * @param idleTimeoutMillis 0: connections may stay silent forever
     */
    public record Limits(int maxLineBytes, int maxKeyBytes, long maxOutputBytes, int maxClients, String password,
                         int idleTimeoutMillis, int maxAuthFailures) {

        public Limits(int maxLineBytes, int maxKeyBytes, long maxOutputBytes) {
            this(maxLineBytes, maxKeyBytes, maxOutputBytes, 10_000, null, 0, 5);
        }

        @Override
        public String toString() {
            return "Limits[maxLineBytes=" + maxLineBytes + ", maxClients=" + maxClients + "]"; // no password
        }
    }

    private static final byte[] MAX_CLIENTS = "ERR max clients reached\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocketChannel server;
    private final DatabaseThread database;
    private final Limits limits;
    private final CommandParser parser;
    private final Connection.Settings settings;
    private final AtomicLong rejected = new AtomicLong();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private final ThreadStarter starter = new ThreadStarter();
    private long nextId;

    /** Binds at once, so that the port is known (and a bind error reported) before anything starts. */
    public Acceptor(InetSocketAddress address, DatabaseThread database, Limits limits) throws IOException {
        this(bind(address), database, limits);
    }

    /**
     * Takes over a socket already bound, so that the port can be claimed before the data is loaded: connections
     * made meanwhile wait in its backlog until {@link #start}.
     */
    public Acceptor(ServerSocketChannel bound, DatabaseThread database, Limits limits) {
        this.server = bound;
        this.database = database;
        this.limits = limits;
        this.parser = new CommandParser(limits.maxKeyBytes());
        this.settings = new Connection.Settings(limits.maxLineBytes(), limits.maxOutputBytes(),
                limits.password() == null ? null : Connection.Settings.digest(limits.password()),
                limits.idleTimeoutMillis(), limits.maxAuthFailures());
        this.thread = Thread.ofPlatform().name("bite-acceptor").unstarted(this::run);
    }

    private static ServerSocketChannel bind(InetSocketAddress address) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.bind(address, 1024);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("acceptor closed", e);
        }
    }

    public void start() {
        thread.start();
    }

    public int connectionCount() {
        return open.size();
    }

    private void run() {
        while (server.isOpen()) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                break; // stop() closed the listening socket
            } catch (IOException e) {
                // e.g. out of file descriptors: say so and keep serving the connections already open
                LOG.log(Level.WARNING, "accept failed: " + e.getMessage());
                pause();
                continue;
            }
            if (open.size() >= limits.maxClients()) {
                reject(channel);
                continue;
            }
            Connection connection = null;
            try {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true); // the kernel notices dead peers
                connection = new Connection(++nextId, channel, database, parser, settings, starter, open::remove);
                open.add(connection);
                startReader(connection, channel);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "could not start a connection: " + e);
                abandon(connection, channel);
            }
        }
    }

    /** bite-db hands the connection to a reader thread, so that it starts soon even under load (ThreadStarter). */
    private void startReader(Connection connection, SocketChannel channel) {
        database.submit(new Request.StartReader(() -> {
            try {
                starter.start(connection, "bite-conn-" + connection.id());
            } catch (RuntimeException | OutOfMemoryError e) {
                LOG.log(Level.WARNING, "could not start a connection: " + e);
                abandon(connection, channel);
            }
        }));
    }

    /** A connection whose thread could not be started: nobody else will close it. */
    private void abandon(Connection connection, SocketChannel channel) {
        if (connection != null) open.remove(connection);
        closeQuietly(channel);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    /** Connections turned away because {@code maxClients} were open. */
    public long rejectedConnections() {
        return rejected.get();
    }

    /** Over the limit: tell the client why and close, on a thread of its own (a client may not read). */
    private void reject(SocketChannel channel) {
        if (rejected.getAndIncrement() % 1000 == 0) {
            LOG.log(Level.WARNING, "max clients (" + limits.maxClients() + ") reached: turning connections away"
                    + " (logged once per 1000)");
        }
        Thread.ofVirtual().name("bite-reject").start(() -> {
            try (channel) {
                channel.write(ByteBuffer.wrap(MAX_CLIENTS));
                channel.shutdownOutput();
                channel.socket().setSoTimeout(1_000);
                channel.socket().getInputStream().read(new byte[512]); // let the error arrive before the close
            } catch (IOException ignored) {
                // the client left first
            }
        });
    }

    /**
     * Stops accepting, lets every connection answer what it has read and close, and waits up to
     * {@code graceMillis} before closing the rest outright.
     */
    public void stop(long graceMillis) throws InterruptedException {
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing listener: " + e.getMessage());
        }
        thread.join();
        starter.stop();
        for (Connection connection : open) connection.shutdownInput();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        for (Connection connection : open) connection.closeQuietly();
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
