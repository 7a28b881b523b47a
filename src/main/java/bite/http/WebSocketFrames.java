package bite.http;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes the server's WebSocket frames (RFC 6455 section 5.2): always final, never masked, no RSV bits. Pure
 * functions; whichever thread writes the socket calls them.
 *
 * <p>A text message may carry several complete lines ({@link #text(List)}), and a writer that gathers queued lines
 * in a buffer of its own can put a header in front of them with {@link #putHeader} instead of copying them.
 */
public final class WebSocketFrames {

    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    /** The longest header of a server frame: 2 bytes, then an 8-byte length. */
    public static final int MAX_HEADER_BYTES = 10;
    /** A control frame's payload, at most (section 5.5). */
    public static final int MAX_CONTROL_PAYLOAD = 125;

    public static final int NORMAL_CLOSURE = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int UNSUPPORTED_DATA = 1003;
    public static final int NO_STATUS = 1005;
    public static final int INVALID_PAYLOAD = 1007;
    public static final int POLICY_VIOLATION = 1008;
    public static final int MESSAGE_TOO_BIG = 1009;
    public static final int INTERNAL_ERROR = 1011;

    private WebSocketFrames() {
        throw new AssertionError();
    }

    /** The header's length for a payload of {@code payloadLength} bytes: 2, 4 or 10. */
    public static int headerLength(long payloadLength) {
        return payloadLength <= 125 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
    }

    /** Writes a final, unmasked frame's header into {@code dst} at {@code off}; returns its length. */
    public static int putHeader(byte[] dst, int off, int opcode, long payloadLength) {
        if (payloadLength < 0) throw new IllegalArgumentException("negative length");
        dst[off] = (byte) (0x80 | opcode);
        if (payloadLength <= 125) {
            dst[off + 1] = (byte) payloadLength;
            return 2;
        }
        if (payloadLength <= 0xFFFF) {
            dst[off + 1] = 126;
            dst[off + 2] = (byte) (payloadLength >>> 8);
            dst[off + 3] = (byte) payloadLength;
            return 4;
        }
        dst[off + 1] = 127;
        for (int i = 0; i < 8; i++) dst[off + 2 + i] = (byte) (payloadLength >>> (56 - 8 * i));
        return 10;
    }

    /** One text message holding {@code payload} (UTF-8 the caller vouches for). */
    public static byte[] text(byte[] payload) {
        return frame(TEXT, payload);
    }

    /** One text message holding each line followed by {@code \n}. */
    public static byte[] text(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            if (line.indexOf('\n') >= 0) throw new IllegalArgumentException("a line holds a newline");
            sb.append(line).append('\n');
        }
        return text(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The answer to a ping: a pong with the ping's payload. */
    public static byte[] pong(byte[] payload) {
        if (payload.length > MAX_CONTROL_PAYLOAD) throw new IllegalArgumentException("control payload over 125 bytes");
        return frame(PONG, payload);
    }

    /** A ping with {@code payload} (at most 125 bytes). */
    public static byte[] ping(byte[] payload) {
        if (payload.length > MAX_CONTROL_PAYLOAD) throw new IllegalArgumentException("control payload over 125 bytes");
        return frame(PING, payload);
    }

    /**
     * A close frame with {@code code} and {@code reason}, the reason cut (at a character boundary) to the 123 bytes
     * a control frame leaves for it.
     */
    public static byte[] close(int code, String reason) {
        if (code < 1000 || code > 4999 || code == NO_STATUS || code == 1006 || code == 1015) {
            throw new IllegalArgumentException("not a close code to send: " + code);
        }
        byte[] text = truncate(reason, MAX_CONTROL_PAYLOAD - 2);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        return frame(CLOSE, payload);
    }

    /**
     * The close that answers a client's {@link WebSocketEvent.Close}: its code echoed ({@code 1000} when it sent
     * none, as the RFC's section 5.5.1 lets the answer carry any status).
     */
    public static byte[] closeEcho(WebSocketEvent.Close close) {
        return close(close.code() == NO_STATUS ? NORMAL_CLOSURE : close.code(), "");
    }

    private static byte[] frame(int opcode, byte[] payload) {
        byte[] out = new byte[headerLength(payload.length) + payload.length];
        int h = putHeader(out, 0, opcode, payload.length);
        System.arraycopy(payload, 0, out, h, payload.length);
        return out;
    }

    private static byte[] truncate(String s, int maxBytes) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= maxBytes) return utf8;
        int end = maxBytes;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) end--; // do not cut inside a character
        return java.util.Arrays.copyOf(utf8, end);
    }
}
