package bite.net;

import bite.http.WebSocketEvent;
import bite.http.WebSocketFrameReader;
import bite.http.WebSocketFrames;
import bite.protocol.LineFramer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A WebSocket connection's byte stream (RFC 6455, after the handshake): the client's text messages become request
 * lines, each write of complete lines one text message. Threads as in {@link Transport}; besides, the reader thread
 * answers pings itself, and every frame is written under one lock, so that a pong never lands inside a message the
 * writer is sending.
 *
 * <pre>
 *  client frames ─► WebSocketFrameReader ─┬─ Text  ─► its bytes (and a final \n) into the LineFramer
 *                                         ├─ Ping  ─► pong, at once, on the reader thread
 *                                         ├─ Close ─► end of input; the close echoed after the last output
 *                                         └─ error ─► end of input; a close with its code (1002, 1003, 1007, 1009)
 * </pre>
 *
 * A message is bounded by the line limit (longer ones get 1009 before their payload is read); the framer then bounds
 * each line as on TCP. Messages that are wholly here already (buffered or in the kernel: reading them cannot block)
 * are read together, up to {@link #GATHER_BYTES}, so that they go to bite-db as one batch, as a TCP read takes every
 * line that is there: under load a publisher's messages otherwise cost a round trip to bite-db each. The close handshake: after the last output a close frame (the client's code echoed, or the
 * error's, else 1000), output shut down, the client's input drained until it closes (a short bounded wait), then the
 * socket is closed.
 */
final class WebSocketTransport extends Transport {

    private static final long CLOSE_WAIT_MILLIS = 2_000;
    /** Messages already here are read into one batch up to about this many bytes. */
    private static final int GATHER_BYTES = 64 * 1024;
    private static final byte[] NEWLINE = {'\n'};

    private final InputStream buffered;
    private final CountingInput in;
    private final WebSocketFrameReader frames;
    private final ReentrantLock frameLock = new ReentrantLock();
    /** The writing token's holder's: the header in front of each message, and the pair written at once. */
    private final ByteBuffer header = ByteBuffer.allocate(WebSocketFrames.MAX_HEADER_BYTES);
    private final ByteBuffer[] frame = new ByteBuffer[2];
    // the close to send: set by the reader thread, read after the writer finished (its join orders them)
    private volatile int closeCode = WebSocketFrames.NORMAL_CLOSURE;
    private volatile String closeReason = "";
    private volatile boolean closeSent; // under frameLock
    private boolean inputEnded; // the reader thread's: the client's input is over (close, error, end of stream)

    /**
     * @param buffered the connection's input, positioned just after the handshake's request head (it may already
     *                 hold the first frames)
     */
    WebSocketTransport(SocketChannel channel, InputStream buffered, int maxMessageBytes) {
        super(channel);
        this.buffered = buffered;
        this.in = new CountingInput(buffered);
        this.frames = new WebSocketFrameReader(in, maxMessageBytes);
    }

    @Override
    String kind() {
        return "websocket";
    }

    @Override
    int readInto(LineFramer framer) throws IOException {
        if (inputEnded) return -1;
        int fed = -1;
        while (true) {
            long before = in.count;
            WebSocketEvent event;
            try {
                event = frames.next();
            } catch (SocketTimeoutException e) {
                if (in.count == before) throw e; // between frames: the reader decides whether to go on waiting
                throw new IOException("read timeout inside a frame"); // the frame reader cannot resume mid-frame
            }
            switch (event) {
                case null -> inputEnded = true; // the client went away without a close frame
                case WebSocketEvent.Text text -> {
                    byte[] bytes = text.message().getBytes(StandardCharsets.UTF_8);
                    framer.feed(bytes, 0, bytes.length);
                    if (bytes.length > 0 && bytes[bytes.length - 1] != '\n') framer.feed(NEWLINE, 0, 1);
                    fed = Math.max(fed, 0) + bytes.length;
                }
                case WebSocketEvent.Ping ping -> writeControl(WebSocketFrames.pong(ping.payload()));
                case WebSocketEvent.Pong ignored -> { }
                case WebSocketEvent.Close close -> {
                    setClose(close.code() == WebSocketFrames.NO_STATUS ? WebSocketFrames.NORMAL_CLOSURE : close.code(),
                            "");
                    inputEnded = true;
                }
                case WebSocketEvent.ProtocolError error -> {
                    setClose(error.code(), error.why());
                    inputEnded = true;
                }
            }
            if (inputEnded) return fed; // lines fed before the end are answered first; the next call says -1
            // more messages that are wholly here join this batch, as a TCP read takes all the lines that are there
            if (fed >= 0 && (fed >= GATHER_BYTES || !wholeTextFrameHere())) return fed;
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
            int header = 2;
            if (len7 == 126) {
                header = 4;
                length = (buffered.read() << 8) | buffered.read();
            } else if (len7 == 127) {
                if (available < 10) return false;
                header = 10;
                length = 0;
                for (int i = 0; i < 8; i++) length = (length << 8) | buffered.read();
            }
            return length >= 0 && header + 4 + length <= available;
        } finally {
            buffered.reset();
        }
    }

    private void setClose(int code, String reason) {
        closeCode = code;
        closeReason = reason;
    }

    /** One text message holding {@code lines}; only its payload counts as written. */
    @Override
    void writeLines(ByteBuffer lines, Outbound outbound) throws IOException {
        int length = lines.remaining();
        frameLock.lock();
        try {
            header.clear();
            int n = WebSocketFrames.putHeader(header.array(), 0, WebSocketFrames.TEXT, length);
            header.limit(n);
            frame[0] = header;
            frame[1] = lines;
            while (lines.hasRemaining()) {
                int before = lines.remaining();
                channel.write(frame);
                outbound.written(before - lines.remaining());
            }
        } finally {
            frame[1] = null;
            frameLock.unlock();
        }
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

    /** The close frame, once. */
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

    @Override
    void shutdownOutput() throws IOException {
        sendClose();
        channel.shutdownOutput();
    }

    /** Server shutdown: the reader sees the end of input; the close says the server is going away. */
    @Override
    void shutdownInput() {
        setClose(WebSocketFrames.GOING_AWAY, "server stopping");
        super.shutdownInput();
    }

    @Override
    void closeAfterOutput(boolean polite) {
        if (polite && channel.isOpen() && !closeSent) {
            try {
                shutdownOutput();
                drainInput(CLOSE_WAIT_MILLIS); // until the client, having read the close, closes its side
            } catch (IOException e) {
                // the client went away first
            }
        }
        close();
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
