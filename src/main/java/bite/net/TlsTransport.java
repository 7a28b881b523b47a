package bite.net;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * TLS over an accepted connection ({@code --tls-cert}, {@code --tls-key}): an {@link SSLSocket} layered over the
 * channel's socket, whose streams the reader and the writer use. The acceptor only wraps the socket (no I/O); the
 * handshake runs in {@link #open}, on the connection's reader thread, bounded by a timeout so that a client that
 * never finishes it holds nothing but its own thread. A plaintext client fails the handshake and is closed. Safe for
 * one reading and one writing thread at once, as {@link SSLSocket} is.
 */
final class TlsTransport implements Transport {

    private final SocketChannel channel;
    private final SSLSocket socket;
    private final SocketAddress peer;
    private volatile OutputStream out;

    TlsTransport(SocketChannel channel, SSLContext context) throws IOException {
        this.channel = channel;
        this.peer = Sockets.peer(channel);
        this.socket = TlsContexts.overAccepted(context, channel.socket());
    }

    @Override
    public void open(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        socket.startHandshake();
        socket.setSoTimeout(0);
        out = socket.getOutputStream();
    }

    @Override
    public InputStream input() throws IOException {
        return socket.getInputStream();
    }

    /** Writes all of {@code buf} (heap buffers only, as the writer's are) as TLS records. */
    @Override
    public int write(ByteBuffer buf) throws IOException {
        int n = buf.remaining();
        OutputStream o = out != null ? out : (out = socket.getOutputStream());
        o.write(buf.array(), buf.arrayOffset() + buf.position(), n);
        buf.position(buf.limit());
        return n;
    }

    @Override
    public void readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Ends the reader's read: the plain socket's input reaches end of stream under the TLS layer. */
    @Override
    public void shutdownInput() throws IOException {
        channel.shutdownInput();
    }

    /** Sends TLS's close_notify, then the plain socket's FIN. */
    @Override
    public void shutdownOutput() throws IOException {
        try {
            socket.shutdownOutput();
        } finally {
            if (channel.isOpen()) channel.shutdownOutput();
        }
    }

    /** Closes the plain socket first: a close_notify to a client that does not read must not block the close. */
    @Override
    public void close() {
        Sockets.closeQuietly(channel);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed anyway
        }
    }

    @Override
    public SocketAddress peer() {
        return peer;
    }
}
