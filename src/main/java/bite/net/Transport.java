package bite.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A connection's byte stream, as its reader and writer use it: plaintext over the accepted {@link SocketChannel}
 * ({@link PlainTransport}), TLS over the same socket ({@link TlsTransport}), or WebSocket text messages after an
 * HTTP upgrade ({@link WebSocketTransport}). The reader reads
 * {@link #input}; whoever holds the writer's token (see {@link ConnectionWriter}) writes; a stop or a slow consumer
 * closes it from any thread. Implementations are safe for one reading and one writing thread at once.
 */
interface Transport {

    /** Before the first read, on the reader's thread: the TLS handshake, bounded by {@code timeoutMillis}. */
    void open(int timeoutMillis) throws IOException;

    InputStream input() throws IOException;

    /** Writes some of {@code buf}'s remaining bytes (blocking); how many. */
    int write(ByteBuffer buf) throws IOException;

    /** A read waiting longer than this throws {@link java.net.SocketTimeoutException}; 0: forever. */
    void readTimeout(int millis) throws IOException;

    void shutdownInput() throws IOException;

    void shutdownOutput() throws IOException;

    /** Closes the connection, quietly; ends a read or write blocked in another thread. */
    void close();

    /** The client's address for logs; null once closed. */
    SocketAddress peer();

    /**
     * The reader's last step, once the writer finished: closes the connection, first ending it politely when
     * {@code polite} (no slow-consumer drop) if the transport has a way to (a WebSocket's close frame).
     */
    default void closeAfterOutput(boolean polite) {
        close();
    }

    /** Plaintext: the channel itself, written with {@link SocketChannel#write} (the fast path, as before TLS). */
    final class PlainTransport implements Transport {

        private final SocketChannel channel;
        private final SocketAddress peer;

        PlainTransport(SocketChannel channel) {
            this.channel = channel;
            this.peer = Sockets.peer(channel);
        }

        @Override
        public void open(int timeoutMillis) {
            // nothing to negotiate
        }

        @Override
        public InputStream input() throws IOException {
            return channel.socket().getInputStream();
        }

        @Override
        public int write(ByteBuffer buf) throws IOException {
            return channel.write(buf);
        }

        @Override
        public void readTimeout(int millis) throws IOException {
            channel.socket().setSoTimeout(millis);
        }

        @Override
        public void shutdownInput() throws IOException {
            channel.shutdownInput();
        }

        @Override
        public void shutdownOutput() throws IOException {
            channel.shutdownOutput();
        }

        @Override
        public void close() {
            Sockets.closeQuietly(channel);
        }

        @Override
        public SocketAddress peer() {
            return peer;
        }
    }
}
