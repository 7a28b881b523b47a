package bite.net;

import bite.Config;
import bite.db.DatabaseThread;
import bite.http.HttpException;
import bite.http.HttpHeadParser;
import bite.http.HttpHeader;
import bite.http.HttpLimits;
import bite.http.HttpPages;
import bite.http.HttpRequestHead;
import bite.http.HttpResponse;
import bite.http.OriginPolicy;
import bite.http.WebSocketHandshake;
import bite.protocol.CommandParser;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One HTTP connection, all of it on its own virtual thread {@code bite-http-N} (started by {@link HttpListener}):
 * read one request head (bounded: {@link HttpHeadParser}), then either answer it and close ({@code Connection:
 * close}), or, for {@code GET /ws}, upgrade to a WebSocket and run the same {@link ConnectionReader} as a TCP
 * connection over a {@link WebSocketTransport}, on this thread (renamed {@code bite-ws-N}).
 *
 * <pre>
 *  head ─► /ws      ─► limits, origin, handshake ─► 101 ─► ConnectionReader (until the WebSocket closes)
 *       ─► a page   ─► password? ─► HttpPages ─► 200 / 503 ... ─┐
 *       ─► else 404; a bad head 400 / 405 / 408 / 414 / 431 / 505 ─┴─► response, output shut, input drained, close
 * </pre>
 */
final class HttpConnection implements Runnable {

    private static final System.Logger LOG = System.getLogger("bite.net");
    private static final long DRAIN_MILLIS = 2_000;
    private static final int IN_BUFFER_BYTES = 1024;

    /** What every connection of a listener uses; immutable or thread-safe parts. */
    record Shared(Config config, DatabaseThread database, CommandParser parser, Access access,
                  HttpHeadParser heads, OriginPolicy origins, HttpPages pages, ThreadStarter threads,
                  Consumer<HttpConnection> onClosed, BooleanSupplier full) {}

    private final long id;
    private final SocketChannel channel;
    private final Shared shared;
    private volatile ConnectionReader webSocket; // set once upgraded: for metrics and stops on other threads

    HttpConnection(long id, SocketChannel channel, Shared shared) {
        this.id = id;
        this.channel = channel;
        this.shared = shared;
    }

    @Override
    public void run() {
        try {
            serve();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "http-" + id + " (" + Sockets.peer(channel) + "): " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "http-" + id + " (" + Sockets.peer(channel) + ") unexpected error", e);
        } finally {
            Sockets.closeQuietly(channel);
            shared.onClosed().accept(this);
        }
    }

    private void serve() throws IOException {
        // each wait for bytes is bounded by the head's whole time; the parser bounds the head as a whole
        channel.socket().setSoTimeout((int) HttpLimits.DEFAULTS.headTimeout().toMillis());
        // small: it stays with a WebSocket for its whole life (frame headers go through it; payloads bypass it)
        InputStream in = new BufferedInputStream(channel.socket().getInputStream(), IN_BUFFER_BYTES);
        HttpResponse response;
        try {
            HttpRequestHead head = shared.heads().read(in);
            if (head == null) return; // connected and left
            if (head.path().equals("/ws")) {
                upgrade(head, in);
                return;
            }
            response = page(head);
        } catch (HttpException e) {
            response = e.response();
        } catch (SocketTimeoutException e) {
            response = new HttpException(408, "request head timeout").response();
        } catch (EOFException e) {
            return; // the client left in the middle of its head
        }
        respondAndClose(response);
    }

    private HttpResponse page(HttpRequestHead head) throws HttpException {
        String path = head.path();
        if (shared.pages().needsPassword(path) && shared.access().authenticator.required() && !authorized(head)) {
            throw new HttpException(401, "password required (Authorization: Bearer ...)",
                    new HttpHeader("WWW-Authenticate", "Bearer realm=\"bite\""));
        }
        HttpResponse response = shared.pages().respond(head);
        if (response == null) throw new HttpException(404, "not found");
        return response;
    }

    /** {@code Authorization: Bearer CREDENTIALS}, checked as {@code auth CREDENTIALS} would be. */
    private boolean authorized(HttpRequestHead head) {
        var values = head.headerValues("Authorization");
        if (values.size() != 1) return false;
        String value = values.getFirst();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        return shared.access().authenticator.check(value.substring(7).strip())
                instanceof Authenticator.Result.Accepted;
    }

    private void upgrade(HttpRequestHead head, InputStream in) throws HttpException, IOException {
        HttpResponse accepted = WebSocketHandshake.accept(head, shared.origins());
        if (shared.full().getAsBoolean()) throw new HttpException(503, "max clients reached");
        write(accepted.encode());
        channel.socket().setSoTimeout(0); // from here the reader's idle timeout, if any
        Thread.currentThread().setName("bite-ws-" + id);
        Transport transport = new WebSocketTransport(channel, in, shared.config().maxLineBytes());
        ConnectionReader reader = new ConnectionReader(id, transport, shared.config(), shared.database(),
                shared.parser(), shared.access(), shared.threads(), r -> { });
        webSocket = reader;
        reader.run(); // until the WebSocket closes; it closes the socket
    }

    /**
     * Writes the response, shuts output down and drains the client's input for a bounded time before the close, so
     * that the response is not destroyed by a reset (the client may still be sending its head).
     */
    private void respondAndClose(HttpResponse response) throws IOException {
        write(response.encode());
        channel.shutdownOutput();
        Sockets.drainInput(channel, DRAIN_MILLIS);
    }

    private void write(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) channel.write(b);
    }

    /** The WebSocket's protocol (2 or 3), or -1 while this is no WebSocket. Any thread. */
    int webSocketProtocol() {
        ConnectionReader r = webSocket;
        return r == null ? -1 : r.protocol();
    }

    /** Server shutdown: a WebSocket answers what it read and closes; a plain request just closes. */
    void shutdownInput() {
        ConnectionReader r = webSocket;
        if (r != null) r.shutdownInput();
        else close();
    }

    void closeIfWebSocket() {
        if (webSocket != null) close();
    }

    void close() {
        Sockets.closeQuietly(channel);
    }
}
