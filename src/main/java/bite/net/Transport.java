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

    /**
     * On the reader's thread, which ends right after a true answer: the connection waits for input without a thread
     * ({@link IdleReaders}) and {@code resume} runs on a new reader thread named {@code threadName} when input comes,
     * when the connection is closed, or at {@code deadlineNanos} ({@link System#nanoTime}; 0: none). False when this
     * transport cannot wait so (TLS and WebSocket keep their reader thread).
     */
    default boolean park(Runnable resume, String threadName, long deadlineNanos) throws IOException {
        return false;
    }

    /** Whether {@link #park} can succeed. */
    default boolean parkable() {
        return false;
    }

    /** Plaintext: the channel itself, written with {@link SocketChannel#write} (the fast path, as before TLS). */
    final class PlainTransport implements Transport {

        private final SocketChannel channel;
        private final SocketAddress peer;
        private final IdleReaders idle; // null: the reader never parks

        PlainTransport(SocketChannel channel) {
            this(channel, null);
        }

        PlainTransport(SocketChannel channel, IdleReaders idle) {
            this.channel = channel;
            this.peer = Sockets.peer(channel);
            this.idle = idle;
        }

        @Override
        public void open(int timeoutMillis) {
            // nothing to negotiate
        }

        @Override
        public InputStream input() throws IOException {
            return channel.socket().getInputStream();
        }

        /**
         * Writes some of {@code buf}. While the reader is parked the channel is in non-blocking mode; a write that
         * then finds the socket full asks for the reader to be resumed (which makes the channel block again) and
         * waits for that, so that it blocks like any other write.
         */
        @Override
        public int write(ByteBuffer buf) throws IOException {
            int n = channel.write(buf);
            while (n == 0 && buf.hasRemaining() && !channel.isBlocking()) {
                idle.wake(channel);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close(); // as an interrupted blocking write would
                    throw new java.nio.channels.ClosedByInterruptException();
                }
                n = channel.write(buf);
            }
            return n;
        }

        @Override
        public boolean parkable() {
            return idle != null;
        }

        @Override
        public boolean park(Runnable resume, String threadName, long deadlineNanos) throws IOException {
            if (idle == null) return false;
            channel.configureBlocking(false);
            if (idle.park(new IdleReaders.Parked(channel, resume, threadName, deadlineNanos))) return true;
            channel.configureBlocking(true); // parking has stopped: read on this thread
            return false;
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
            if (idle != null && !channel.isBlocking()) idle.wake(channel); // a parked reader must see the close
        }

        @Override
        public SocketAddress peer() {
            return peer;
        }
    }
}
