package bite.net;

import bite.protocol.LineFramer;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The byte stream under one connection, as its {@link ConnectionReader} and {@link ConnectionWriter} see it: request
 * bytes in, complete reply and push lines out. Everything above it (parse, auth, submit, the output limit, the
 * slow-consumer drop, protocols 2 and 3) is the same for every transport; only the framing differs:
 * <ul>
 *   <li>{@link TcpTransport}: the socket's bytes as they are;
 *   <li>{@link WebSocketTransport}: each text message from the client is read into the framer as lines (its last
 *       line needs no {@code \n}); each write of complete lines goes out as one text message, so a line is never
 *       split across messages; pings are answered, closes are answered with their codes.
 * </ul>
 * Who calls what: {@link #readInto}, {@link #setReadTimeout} and {@link #drainInput} run on the connection's reader
 * thread; {@link #writeLines} on whichever thread holds the output's writing token (reader or writer, one at a time:
 * {@link Outbound}); {@link #shutdownOutput} on the writer thread after the last output; {@link #closeAfterOutput}
 * on the reader thread once the writer has finished; {@link #close} and {@link #shutdownInput} on any thread.
 */
abstract sealed class Transport permits TcpTransport, WebSocketTransport {

    final SocketChannel channel;
    private final SocketAddress peer;

    Transport(SocketChannel channel) {
        this.channel = channel;
        this.peer = Sockets.peer(channel);
    }

    /** {@code tcp} or {@code websocket}: for logs and metrics. */
    abstract String kind();

    SocketAddress peer() {
        return peer;
    }

    /**
     * Moves the next request bytes into {@code framer}: what one read gave (TCP) or the next text message
     * (WebSocket). Returns how many bytes that was, or -1 at the end of the client's input. Throws
     * {@link java.net.SocketTimeoutException} when nothing came within the read timeout and reading may go on.
     */
    abstract int readInto(LineFramer framer) throws IOException;

    /**
     * Writes {@code lines} (complete lines, the buffer's remaining bytes) in full and reports each write's bytes to
     * {@code outbound} as they leave, so that they stop counting against its limit.
     */
    abstract void writeLines(ByteBuffer lines, Outbound outbound) throws IOException;

    /** No more output (the writer sent everything): the client reads what was sent, then the end. */
    abstract void shutdownOutput() throws IOException;

    /**
     * The connection is over and its writer finished: ends the transport politely when {@code polite} (a WebSocket
     * sends its close frame and waits a moment for the client's), then closes the socket.
     */
    abstract void closeAfterOutput(boolean polite);

    /** The read timeout of each wait for request bytes (0: none). */
    void setReadTimeout(int millis) throws IOException {
        channel.socket().setSoTimeout(millis);
    }

    /**
     * Reads and drops the client's input until its end, for at most {@code millis} and a bounded number of bytes:
     * after output was shut down, so that the close does not reset the connection before the client read it all.
     */
    void drainInput(long millis) {
        Sockets.drainInput(channel, millis);
    }

    /** Stops reading: the reader sees end of stream (server shutdown). */
    void shutdownInput() {
        try {
            channel.shutdownInput();
        } catch (IOException e) {
            close();
        }
    }

    /** Closes the socket now. */
    void close() {
        Sockets.closeQuietly(channel);
    }
}
