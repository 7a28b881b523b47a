package bite.bench;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The load tool's own small WebSocket client (RFC 6455), for {@code --ws}: the opening handshake on a connected
 * socket, then streams that frame and unframe, so that {@link LineConnection} and {@link PushReader} speak lines as
 * on TCP. Each {@code write} to the framing stream is one masked text message (a flush of pipelined requests);
 * what the server sends (unmasked text messages of complete lines) is read back as the lines' bytes. Not
 * thread-safe: one connection's thread (or the subscribers' selector thread) uses it.
 */
final class WebSocketClient {

    private WebSocketClient() {
    }

    /** Upgrades a connected socket to a WebSocket at {@code /ws}; throws unless the server answers 101. */
    static void handshake(Socket socket, String host, int port) throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET /ws HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) { // byte by byte: nothing after the head is taken
            int b = in.read();
            if (b < 0 || head.length() > 8192) throw new IOException("no WebSocket handshake answer");
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("WebSocket upgrade refused: " + head.toString().lines().findFirst().orElse(""));
        }
    }

    /** One masked text frame holding {@code payload[off, off + len)}, written into {@code out}'s scratch. */
    static int frame(byte[] payload, int off, int len, byte[] dst) {
        int h = 0;
        dst[h++] = (byte) 0x81;
        if (len <= 125) {
            dst[h++] = (byte) (0x80 | len);
        } else if (len <= 0xFFFF) {
            dst[h++] = (byte) (0x80 | 126);
            dst[h++] = (byte) (len >>> 8);
            dst[h++] = (byte) len;
        } else {
            dst[h++] = (byte) (0x80 | 127);
            for (int i = 7; i >= 0; i--) dst[h++] = (byte) (i >= 4 ? 0 : len >>> (8 * i));
        }
        int mask = ThreadLocalRandom.current().nextInt();
        byte[] m = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        System.arraycopy(m, 0, dst, h, 4);
        h += 4;
        for (int i = 0; i < len; i++) dst[h + i] = (byte) (payload[off + i] ^ m[i & 3]);
        return h + len;
    }

    /** The frame's size for a payload of {@code len} bytes: header, mask, payload. */
    static int frameSize(int len) {
        return (len <= 125 ? 2 : len <= 0xFFFF ? 4 : 10) + 4 + len;
    }

    /** A stream whose every write is one masked text message. */
    static OutputStream framing(OutputStream raw) {
        return new FilterOutputStream(raw) {
            private byte[] scratch = new byte[16 * 1024];

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                int size = frameSize(len);
                if (scratch.length < size) scratch = new byte[Math.max(size, scratch.length * 2)];
                out.write(scratch, 0, frame(b, off, len, scratch));
            }

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }
        };
    }

    /** A stream of the payload bytes of the server's text messages; a close frame ends it. */
    static InputStream unframing(InputStream raw) {
        Unframer unframer = new Unframer();
        return new FilterInputStream(raw) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                while (true) {
                    if (unframer.closed) return -1;
                    int n = in.read(b, off, len);
                    if (n < 0) return -1;
                    int kept = unframer.unframe(b, off, off + n) - off;
                    if (kept > 0) return kept;
                }
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }
        };
    }

    /**
     * Takes the frame headers out of bytes read from a server, in place, whatever the pieces they arrive in: what
     * remains is the text messages' payload. Control frames' payloads are dropped; a close frame sets
     * {@link #closed}.
     */
    static final class Unframer {
        private final byte[] header = new byte[10];
        private int headerLength;
        private long payloadLeft;
        private boolean data; // the current frame's payload is kept
        boolean closed;

        /** Unframes {@code b[from, to)} in place; returns the end of the payload bytes kept (from {@code from}). */
        int unframe(byte[] b, int from, int to) {
            int w = from;
            int i = from;
            while (i < to) {
                if (payloadLeft > 0) {
                    int n = (int) Math.min(payloadLeft, to - i);
                    if (data) {
                        System.arraycopy(b, i, b, w, n);
                        w += n;
                    }
                    i += n;
                    payloadLeft -= n;
                    continue;
                }
                header[headerLength++] = b[i++];
                if (headerLength < 2) continue;
                int len7 = header[1] & 0x7F;
                int need = len7 == 126 ? 4 : len7 == 127 ? 10 : 2;
                if (headerLength < need) continue;
                payloadLeft = len7 < 126 ? len7 : 0;
                for (int k = 2; k < need; k++) payloadLeft = (payloadLeft << 8) | (header[k] & 0xFF);
                int opcode = header[0] & 0x0F;
                data = opcode == 0x1 || opcode == 0x0;
                if (opcode == 0x8) closed = true;
                headerLength = 0;
                Arrays.fill(header, (byte) 0);
            }
            return w;
        }
    }
}
