package bite.net;

import bite.Config;
import bite.db.DatabaseThread;
import bite.http.HttpHeadParser;
import bite.http.HttpLimits;
import bite.http.HttpPages;
import bite.protocol.CommandParser;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The HTTP listener ({@code --http-port}): accepts on its own virtual thread, {@code bite-http-acceptor}, and runs
 * each connection on a virtual thread of its own, {@code bite-http-N} ({@link HttpConnection}: one request, or a
 * WebSocket at {@code /ws} for the rest of the connection's life, then {@code bite-ws-N}). Keeps the set of open
 * connections, so that a stop can end them and the {@code --max-clients} limit counts them with the TCP ones.
 */
public final class HttpListener {

    private static final System.Logger LOG = System.getLogger("bite.net");

    private final ServerSocketChannel server;
    private final HttpConnection.Shared shared;
    private final IntSupplier tcpConnections;
    private final Set<HttpConnection> open = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private final ThreadStarter starter = new ThreadStarter();
    private long nextId; // the accept loop's

    /**
     * Takes over a bound socket.
     *
     * @param tcpConnections the TCP listener's open connections, counted with these against {@code --max-clients}
     */
    public HttpListener(ServerSocketChannel bound, Config config, DatabaseThread database, Access access,
                        HttpPages pages, IntSupplier tcpConnections) {
        this.server = bound;
        this.tcpConnections = tcpConnections;
        this.shared = new HttpConnection.Shared(config, database, new CommandParser(config.maxKeyBytes()), access,
                new HttpHeadParser(HttpLimits.DEFAULTS), config.httpOrigins(), pages, starter, open::remove,
                this::full);
        this.thread = Thread.ofVirtual().name("bite-http-acceptor").unstarted(this::run);
    }

    public InetSocketAddress address() {
        return Sockets.localAddress(server);
    }

    public void start() {
        thread.start();
    }

    /** Open HTTP connections, WebSockets included. */
    public int connectionCount() {
        return open.size();
    }

    /** Open WebSocket connections by the protocol they chose ({@code [2]}, {@code [3]}; other slots unused). */
    public int[] webSocketsByProtocol() {
        return Sockets.countByProtocol(open, HttpConnection::webSocketProtocol);
    }

    private boolean full() {
        return open.size() + tcpConnections.getAsInt() > shared.config().maxClients();
    }

    private void run() {
        for (SocketChannel channel; (channel = Sockets.acceptNext(server, "http")) != null; ) {
            long id = ++nextId;
            HttpConnection connection = null;
            try {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                connection = new HttpConnection(id, channel, shared);
                open.add(connection);
                starter.start(connection, "bite-http-" + id);
            } catch (IOException | RuntimeException | OutOfMemoryError e) {
                LOG.log(Level.WARNING, "could not start an http connection from " + Sockets.peer(channel) + ": " + e);
                if (connection != null) open.remove(connection);
                Sockets.closeQuietly(channel);
            }
        }
    }

    /** Closes every WebSocket now (bite-db died: nothing would answer them); the pages go on being served. */
    public void closeWebSockets() {
        for (HttpConnection c : open) c.closeIfWebSocket();
    }

    /** Stops accepting, lets WebSockets answer what they read, waits up to {@code graceMillis}, closes the rest. */
    public void stop(long graceMillis) throws InterruptedException {
        Sockets.closeQuietly(server);
        thread.join();
        starter.stop();
        for (HttpConnection c : open) c.shutdownInput();
        Sockets.awaitEmpty(open, graceMillis);
        for (HttpConnection c : open) c.close();
    }
}
