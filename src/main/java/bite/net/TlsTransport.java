package bite.net;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
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
    /** TLS 1.3, whose close_notify closes one direction only: reading ahead past a request cannot lose replies. */
    private boolean readAhead;

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
        readAhead = "TLSv1.3".equals(socket.getSession().getProtocol());
        out = socket.getOutputStream();
    }

    @Override
    public InputStream input() throws IOException {
        InputStream tls = socket.getInputStream();
        return readAhead ? new RecordsArrived(tls, channel.socket().getInputStream()) : tls;
    }

    /**
     * The TLS stream, read a whole arrival at a time: the JDK hands out one TLS record per read, and a client that
     * pipelines sends a record per request, so one read would give the reader one request, and bite-db a batch of
     * one. After the first record, this reads on while more bytes have already arrived on the plain socket (a
     * later record: it does not wait for the client), up to the space the caller gave. Only with TLS 1.3: in TLS
     * 1.2 a close_notify read ahead of the replies to the requests before it would close the way back too.
     */
    private static final class RecordsArrived extends InputStream {

        private final InputStream tls;
        private final InputStream plain;

        RecordsArrived(InputStream tls, InputStream plain) {
            this.tls = tls;
            this.plain = plain;
        }

        @Override
        public int read() throws IOException {
            return tls.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = tls.read(b, off, len);
            try {
                while (n > 0 && n < len && plain.available() > 0) {
                    int more = tls.read(b, off + n, len - n);
                    if (more <= 0) break;
                    n += more;
                }
            } catch (InterruptedIOException timedOut) {
                // the rest of a record did not come within the read timeout: hand out what came; the next read
                // goes on from there
            }
            return n;
        }
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
