package bite.http;

import bite.protocol.Utf8;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static bite.http.WebSocketFrames.BINARY;
import static bite.http.WebSocketFrames.CLOSE;
import static bite.http.WebSocketFrames.CONTINUATION;
import static bite.http.WebSocketFrames.MAX_CONTROL_PAYLOAD;
import static bite.http.WebSocketFrames.PING;
import static bite.http.WebSocketFrames.PONG;
import static bite.http.WebSocketFrames.TEXT;

/**
 * Decodes a client's WebSocket frames (RFC 6455 section 5) into {@link WebSocketEvent}s. Owned by the connection's
 * reading thread, which calls {@link #next()} in a loop; it reads exactly the bytes of each frame, no further.
 *
 * <pre>
 *  header ─► checks (below) ─► payload, unmasked ─┬─ control frame ──────────────► Ping / Pong / Close
 *                                                 └─ data: append to the message ─► final? ─► UTF-8? ─► Text
 * </pre>
 *
 * A fragmented message may have control frames between its fragments. What ends the connection, as a
 * {@link WebSocketEvent.ProtocolError}, checked in this order for each frame: RSV bits set, an unknown opcode, an
 * unmasked frame (clients must mask), a fragmented control frame or one over 125 bytes, a continuation with no
 * message begun or a new message before the last one's final fragment, a 64-bit length with its top bit set: 1002;
 * a binary message: 1003 (Bite speaks text); a message over {@code maxMessageBytes}: 1009, decided from the header
 * before any of the payload is read; a text message that is not UTF-8: 1007; a close frame with a one-byte body or
 * a code no endpoint may send: 1002, with a reason that is not UTF-8: 1007.
 *
 * <p>The message buffer grows with the bytes that actually arrive (never to a length a header merely announces) and
 * goes back to small after a big message, so an idle connection holds little.
 */
public final class WebSocketFrameReader {

    private static final int INITIAL_CAPACITY = 256;
    private static final int CHUNK = 16 * 1024;

    private final InputStream in;
    private final int maxMessageBytes;
    private final byte[] header = new byte[8];
    private final byte[] mask = new byte[4];
    private byte[] message = new byte[INITIAL_CAPACITY];
    private int messageLength;
    private boolean inMessage; // a text message's first fragment came, its final one not yet
    private boolean done;  // a Close or ProtocolError was returned
    private boolean ended; // the stream ended cleanly between frames

    /** {@code in} should be buffered: headers are read a few bytes at a time. */
    public WebSocketFrameReader(InputStream in, int maxMessageBytes) {
        if (maxMessageBytes < 1) throw new IllegalArgumentException("maxMessageBytes must be at least 1");
        this.in = in;
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * The next event. Returns null when the stream ends between frames outside a message (the client went away
     * without a close frame); throws {@link EOFException} when it ends inside a frame or a fragmented message.
     *
     * @throws IllegalStateException after a {@code Close} or a {@code ProtocolError} was returned
     */
    public WebSocketEvent next() throws IOException {
        if (done) throw new IllegalStateException("the websocket is closing: nothing more to read");
        while (true) {
            WebSocketEvent event = frame();
            if (event != null) {
                if (event instanceof WebSocketEvent.Close || event instanceof WebSocketEvent.ProtocolError) done = true;
                return event;
            }
            if (ended) return null;
        }
    }

    /** One frame: its event, or null for a data fragment that is not final (or a clean end of stream). */
    private WebSocketEvent frame() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            if (inMessage) throw new EOFException("end of stream inside a fragmented message");
            ended = true;
            return null;
        }
        readFully(header, 1);
        int b1 = header[0] & 0xFF;
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        boolean masked = (b1 & 0x80) != 0;
        long length = b1 & 0x7F;

        if ((b0 & 0x70) != 0) return error(1002, "reserved bits set");
        boolean control = opcode >= 0x8;
        if (!(opcode == CONTINUATION || opcode == TEXT || opcode == BINARY || opcode == CLOSE || opcode == PING
                || opcode == PONG)) {
            return error(1002, "unknown opcode");
        }
        if (!masked) return error(1002, "client frame not masked");
        if (control && !fin) return error(1002, "fragmented control frame");
        if (control && length > MAX_CONTROL_PAYLOAD) return error(1002, "control frame over 125 bytes");
        if (opcode == CONTINUATION && !inMessage) return error(1002, "continuation without a message");
        if ((opcode == TEXT || opcode == BINARY) && inMessage) return error(1002, "new message inside a fragmented one");

        if (length == 126) {
            readFully(header, 2);
            length = ((header[0] & 0xFF) << 8) | (header[1] & 0xFF);
        } else if (length == 127) {
            readFully(header, 8);
            length = 0;
            for (int i = 0; i < 8; i++) length = (length << 8) | (header[i] & 0xFF);
            if (length < 0) return error(1002, "frame length over 63 bits");
        }
        if (opcode == BINARY) return error(1003, "binary messages are not supported");
        if (!control && length > maxMessageBytes - messageLength) return error(1009, "message too big");
        readFully(mask, 4);

        if (control) {
            byte[] payload = new byte[(int) length];
            readFully(payload, payload.length);
            unmask(payload, 0, payload.length);
            return switch (opcode) {
                case PING -> new WebSocketEvent.Ping(payload);
                case PONG -> new WebSocketEvent.Pong(payload);
                default -> close(payload);
            };
        }
        readPayload((int) length);
        inMessage = !fin;
        if (!fin) return null;
        boolean valid = Utf8.isValid(message, 0, messageLength);
        String text = valid ? new String(message, 0, messageLength, StandardCharsets.UTF_8) : null;
        messageLength = 0;
        if (message.length > CHUNK) message = new byte[INITIAL_CAPACITY];
        return valid ? new WebSocketEvent.Text(text) : error(1007, "text message not valid utf-8");
    }

    /** Appends a data frame's payload to the message, unmasked, growing the buffer only as bytes arrive. */
    private void readPayload(int length) throws IOException {
        int start = messageLength;
        int remaining = length;
        while (remaining > 0) {
            int want = Math.min(remaining, CHUNK);
            if (messageLength + want > message.length) {
                message = Arrays.copyOf(message, Math.max(messageLength + want,
                        (int) Math.min((long) message.length * 2, maxMessageBytes)));
            }
            int n = in.read(message, messageLength, want);
            if (n < 0) throw new EOFException("end of stream inside a frame");
            messageLength += n;
            remaining -= n;
        }
        // the mask's phase runs from the frame's first payload byte
        for (int i = start; i < messageLength; i++) message[i] ^= mask[(i - start) & 3];
    }

    private WebSocketEvent close(byte[] payload) {
        if (payload.length == 0) return new WebSocketEvent.Close(WebSocketFrames.NO_STATUS, "");
        if (payload.length == 1) return error(1002, "close frame with a one-byte body");
        int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        if (!isValidCloseCode(code)) return error(1002, "invalid close code");
        if (!Utf8.isValid(payload, 2, payload.length)) return error(1007, "close reason not valid utf-8");
        return new WebSocketEvent.Close(code, new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
    }

    /** The codes a peer may send (RFC 6455 section 7.4 and IANA's registry); 1005, 1006 and 1015 never travel. */
    static boolean isValidCloseCode(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private void unmask(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) b[i] ^= mask[(i - from) & 3];
    }

    private void readFully(byte[] b, int n) throws IOException {
        int off = 0;
        while (off < n) {
            int r = in.read(b, off, n - off);
            if (r < 0) throw new EOFException("end of stream inside a frame");
            off += r;
        }
    }

    private WebSocketEvent error(int code, String why) {
        messageLength = 0;
        return new WebSocketEvent.ProtocolError(code, why);
    }
}
