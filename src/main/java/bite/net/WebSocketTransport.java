package bite.net;

import bite.http.WebSocketEvent;
import bite.http.WebSocketFrameReader;
import bite.http.WebSocketFrames;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A WebSocket connection's byte stream (RFC 6455, after the handshake), as the same {@link ConnectionReader} and
 * {@link ConnectionWriter} as a TCP connection's use it: {@link #input} gives the client's text messages as request
 * bytes, each {@link #write} of complete lines goes out as one text message. Threads as in {@link Transport}; besides,
 * the reader thread answers pings itself, and every frame is written under one lock, so that a pong never lands
 * inside a message the writer is sending.
 *
 * <pre>
 *  client frames ─► WebSocketFrameReader ─┬─ Text  ─► its bytes (and a final \n) to the reader's LineFramer
 *                                         ├─ Ping  ─► pong, at once, on the reader thread
 *                                         ├─ Close ─► end of input; the close echoed after the last output
 *                                         └─ error ─► end of input; a close with its code (1002, 1003, 1007, 1009)
 * </pre>
 *
 * A message is bounded by the line limit (longer ones get 1009 before their payload is read); the framer then bounds
 * each line as on TCP. Messages that are wholly here already (buffered or in the kernel: reading them cannot block)
 * are read together, up to the reader's buffer, so that they go to bite-db as one batch, as a TCP read takes every
 * line that is there: under load a publisher's messages otherwise cost a round trip to bite-db each. The close
 * handshake ({@link #closeAfterOutput}): after the last output a close frame (the client's code echoed, or the
 * error's, else 1000; 1001 at a server stop), output shut down, the client's input drained until it closes (at most
 * 2 s), then the socket is closed.
 */
final class WebSocketTransport implements Transport {

    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private final SocketChannel channel;
    private final SocketAddress peer;
    private final InputStream buffered;
    private final CountingInput counted;
    private final WebSocketFrameReader frames;
    private final MessageInput input = new MessageInput();
    private final ReentrantLock frameLock = new ReentrantLock();
    /** The writing token's holder's: the header in front of each message, and the pair written at once. */
    private final ByteBuffer header = ByteBuffer.allocate(WebSocketFrames.MAX_HEADER_BYTES);
    private final ByteBuffer[] frame = new ByteBuffer[2];
    // the close to send: set by the reader thread (or a stop), read after the writer finished
    private volatile int closeCode = WebSocketFrames.NORMAL_CLOSURE;
    private volatile String closeReason = "";
    private volatile boolean closeSent; // under frameLock

    /**
     * @param buffered the connection's input, positioned just after the handshake's request head (it may already
     *                 hold the first frames); a {@link java.io.BufferedInputStream}
     */
    WebSocketTransport(SocketChannel channel, InputStream buffered, int maxMessageBytes) {
        this.channel = channel;
        this.peer = Sockets.peer(channel);
        this.buffered = buffered;
        this.counted = new CountingInput(buffered);
        this.frames = new WebSocketFrameReader(counted, maxMessageBytes);
    }

    @Override
    public void open(int timeoutMillis) {
        // the handshake is done: HttpConnection answered 101 before this transport existed
    }

    @Override
    public InputStream input() {
        return input;
    }

    /** One text message holding all of {@code buf}'s remaining bytes (complete lines); returns their count. */
    @Override
    public int write(ByteBuffer buf) throws IOException {
        int length = buf.remaining();
        frameLock.lock();
        try {
            header.clear();
            header.limit(WebSocketFrames.putHeader(header.array(), 0, WebSocketFrames.TEXT, length));
            frame[0] = header;
            frame[1] = buf;
            while (buf.hasRemaining()) channel.write(frame);
            return length;
        } finally {
            frame[1] = null;
            frameLock.unlock();
        }
    }

    @Override
    public void readTimeout(int millis) throws IOException {
        channel.socket().setSoTimeout(millis);
    }

    /** Server shutdown: the reader sees the end of input; the close says the server is going away. */
    @Override
    public void shutdownInput() throws IOException {
        setClose(WebSocketFrames.GOING_AWAY, "server stopping");
        channel.shutdownInput();
    }

    /** The close frame, then the half-close. */
    @Override
    public void shutdownOutput() throws IOException {
        sendClose();
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

    @Override
    public void closeAfterOutput(boolean polite) {
        if (polite && channel.isOpen() && !closeSent) {
            try {
                shutdownOutput();
                Sockets.drainInput(channel, CLOSE_WAIT_MILLIS); // until the client, having read the close, closes
            } catch (IOException e) {
                // the client went away first
            }
        }
        close();
    }

    private void setClose(int code, String reason) {
        closeCode = code;
        closeReason = reason;
    }

    private void writeControl(byte[] controlFrame) throws IOException {
        frameLock.lock();
        try {
            if (closeSent) return; // nothing may follow a close frame
            ByteBuffer b = ByteBuffer.wrap(controlFrame);
            while (b.hasRemaining()) channel.write(b);
        } finally {
            frameLock.unlock();
        }
    }

    private void sendClose() throws IOException {
        frameLock.lock();
        try {
            if (closeSent) return;
            writeControl(WebSocketFrames.close(closeCode, closeReason));
            closeSent = true;
        } finally {
            frameLock.unlock();
        }
    }

    /**
     * Whether the next frame is a final text frame whose every byte is here already (buffered, or in the kernel):
     * reading it cannot block. Looks at its header without taking it.
     */
    private boolean wholeTextFrameHere() throws IOException {
        if (!buffered.markSupported()) return false;
        int available = buffered.available();
        if (available < 6) return false;
        buffered.mark(WebSocketFrames.MAX_HEADER_BYTES);
        try {
            if (buffered.read() != (0x80 | WebSocketFrames.TEXT)) return false;
            int len7 = buffered.read() & 0x7F;
            long length = len7;
            int headerBytes = 2;
            if (len7 == 126) {
                headerBytes = 4;
                length = (buffered.read() << 8) | buffered.read();
            } else if (len7 == 127) {
                if (available < 10) return false;
                headerBytes = 10;
                length = 0;
                for (int i = 0; i < 8; i++) length = (length << 8) | buffered.read();
            }
            return length >= 0 && headerBytes + 4 + length <= available;
        } finally {
            buffered.reset();
        }
    }

    /**
     * The request bytes: the payloads of the client's text messages, each ended by a {@code \n}; the end of stream
     * after a close, a protocol error or the client's going away. The reader thread's.
     */
    private final class MessageInput extends InputStream {
        private byte[] pending = new byte[0]; // what did not fit the last read
        private int pendingAt;
        private boolean ended;

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            int n = takePending(b, off, len);
            if (n == 0) {
                if (ended || !nextMessage(true)) return -1;
                n = takePending(b, off, len);
            }
            // more messages that are wholly here join this read, as a TCP read takes every line there
            while (n < len && !ended && pendingAt == pending.length && wholeTextFrameHere() && nextMessage(false)) {
                n += takePending(b, off + n, len - n);
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        private int takePending(byte[] b, int off, int len) {
            int n = Math.min(len, pending.length - pendingAt);
            System.arraycopy(pending, pendingAt, b, off, n);
            pendingAt += n;
            return n;
        }

        /**
         * Reads frames until a text message (now pending: true) or the end (false). {@code first}: nothing was
         * read yet in this call, so a timeout between frames may reach the reader (its idle timeout).
         */
        private boolean nextMessage(boolean first) throws IOException {
            while (true) {
                long before = counted.count;
                WebSocketEvent event;
                try {
                    event = frames.next();
                } catch (SocketTimeoutException e) {
                    if (first && counted.count == before) throw e; // between frames: the reader decides
                    throw new IOException("read timeout inside a frame"); // the frame reader cannot resume
                }
                switch (event) {
                    case null -> {
                        ended = true; // the client went away without a close frame
                        return false;
                    }
                    case WebSocketEvent.Text text -> {
                        byte[] bytes = text.message().getBytes(StandardCharsets.UTF_8);
                        boolean newline = bytes.length > 0 && bytes[bytes.length - 1] != '\n';
                        pending = newline ? java.util.Arrays.copyOf(bytes, bytes.length + 1) : bytes;
                        if (newline) pending[bytes.length] = '\n';
                        pendingAt = 0;
                        if (pending.length > 0) return true;
                    }
                    case WebSocketEvent.Ping ping -> writeControl(WebSocketFrames.pong(ping.payload()));
                    case WebSocketEvent.Pong ignored -> { }
                    case WebSocketEvent.Close close -> {
                        setClose(close.code() == WebSocketFrames.NO_STATUS ? WebSocketFrames.NORMAL_CLOSURE
                                : close.code(), "");
                        ended = true;
                        return false;
                    }
                    case WebSocketEvent.ProtocolError error -> {
                        setClose(error.code(), error.why());
                        ended = true;
                        return false;
                    }
                }
                if (!first) return false; // an empty message: no more gathering in this read
            }
        }
    }

    /** Counts the bytes the frame reader took, so that a timeout can tell "between frames" from "inside one". */
    private static final class CountingInput extends FilterInputStream {
        long count; // the reader thread's

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }
}
