package bite.net;

import bite.Config;
import bite.db.DatabaseThread;
import bite.protocol.CommandParser;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Accepts connections on its own virtual thread, {@code bite-acceptor}, and starts each connection's reader
 * ({@link ConnectionReader}, thread {@code bite-conn-N}). Keeps the set of open connections so that a stop can end
 * them.
 *
 * <p>Why the accept loop is a virtual thread: a reader it starts through the {@link ThreadStarter} wakes a parked
 * spare, and a wake-up from a virtual thread is queued on its carrier, in turn with the rest of the work; from a
 * platform thread it would wait until a carrier ran out of work, which under a saturating load takes long
 * (docs/BENCHMARKS.md, "A newcomer is answered in milliseconds under load").
 */
public final class Acceptor {

    private static final System.Logger LOG = System.getLogger("bite.net");
    private static final byte[] MAX_CLIENTS = "ERR max clients reached\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocketChannel server;
    private final Config config;
    private final DatabaseThread database;
    private final CommandParser parser;
    private final Access access;
    private final AtomicLong rejected = new AtomicLong();
    private final Set<ConnectionReader> open = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private final ThreadStarter starter = new ThreadStarter();
    private final IdleReaders idle;
    private long nextId; // the accept loop's

    /** Binds at once, so that the port is known (and a bind error reported) before anything starts. */
    public Acceptor(Config config, DatabaseThread database) throws IOException {
        this(bind(new InetSocketAddress(config.host(), config.port())), config, database,
                Access.passwordOnly(config.password()));
    }

    /**
     * Takes over a socket already bound, so that the port can be claimed before the data is loaded: connections
     * made meanwhile wait in its backlog until {@link #start}.
     */
    public Acceptor(ServerSocketChannel bound, Config config, DatabaseThread database, Access access) {
        this.server = bound;
        this.config = config;
        this.database = database;
        this.parser = new CommandParser(config.maxKeyBytes());
        this.access = access;
        this.thread = Thread.ofVirtual().name("bite-acceptor").unstarted(this::run);
        try {
            this.idle = new IdleReaders(starter);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot open a selector for idle connections", e);
        }
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
        idle.start();
        thread.start();
    }

    /** Open connections whose reader is parked without a thread ({@link IdleReaders}). */
    public int parkedConnections() {
        return idle.parkedCount();
    }

    public int connectionCount() {
        return open.size();
    }

    /** Open connections by the protocol they chose ({@code [2]}, {@code [3]}; other slots unused). */
    public int[] connectionsByProtocol() {
        return Sockets.countByProtocol(open, ConnectionReader::protocol);
    }

    /** Connections turned away because {@code maxClients} were open. */
    public long rejectedConnections() {
        return rejected.get();
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
            long id = ++nextId;
            try {
                if (open.size() >= config.maxClients()) {
                    refuse(id, channel);
                } else {
                    startReader(id, channel);
                }
            } catch (IOException | RuntimeException | OutOfMemoryError e) {
                LOG.log(Level.WARNING, "could not start a connection from " + Sockets.peer(channel) + ": " + e);
                Sockets.closeQuietly(channel);
            }
        }
    }

    private void startReader(long id, SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true); // the kernel notices dead peers
        ConnectionReader reader = new ConnectionReader(id, transport(channel), config, database, parser, access,
                starter, open::remove);
        open.add(reader);
        try {
            starter.start(reader, "bite-conn-" + id); // on this virtual thread, a spare's wake-up is local
        } catch (RuntimeException | OutOfMemoryError e) {
            open.remove(reader); // its thread never ran: nobody else will close it
            throw e;
        }
    }

    /** Over the limit: the connection's reader tells the client why and closes (a client may not read). */
    private void refuse(long id, SocketChannel channel) throws IOException {
        if (rejected.getAndIncrement() % 1000 == 0) {
            LOG.log(Level.WARNING, "max clients (" + config.maxClients() + ") reached: turning connections away,"
                    + " first " + Sockets.peer(channel) + " (logged once per 1000)");
        }
        Transport transport = transport(channel);
        Thread.ofVirtual().name("bite-conn-" + id).start(() -> turnAway(transport));
    }

    /**
     * The whole life of a connection over {@code --max-clients}, on its own reader thread: it has no writer and
     * bite-db never hears of it, so this thread writes the one line itself, then shuts output down and waits a
     * moment for the client to read it before the close (a client that does not read holds only this thread).
     */
    private static void turnAway(Transport transport) {
        try {
            transport.open(1_000);
            ByteBuffer line = ByteBuffer.wrap(MAX_CLIENTS);
            while (line.hasRemaining()) transport.write(line);
            transport.shutdownOutput();
            transport.readTimeout(1_000);
            transport.input().read(new byte[512]); // let the error arrive before the close
        } catch (IOException ignored) {
            // the client left first
        } finally {
            transport.close();
        }
    }

    /** The connection's byte stream: TLS when the server has a certificate (the handshake waits for the reader). */
    private Transport transport(SocketChannel channel) throws IOException {
        return access.tls == null ? new Transport.PlainTransport(channel, idle) : new TlsTransport(channel, access.tls);
    }

    /** Who may connect and what they may do. */
    public Access access() {
        return access;
    }

    /**
     * Stops accepting, lets every connection answer what it has read and close, and waits up to
     * {@code graceMillis} before closing the rest outright.
     */
    public void stop(long graceMillis) throws InterruptedException {
        Sockets.closeQuietly(server);
        thread.join();
        starter.stop();
        for (ConnectionReader reader : open) reader.shutdownInput();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        for (ConnectionReader reader : open) reader.closeSocket();
        idle.stop(); // resumes any reader still parked: it finds its socket closed
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
