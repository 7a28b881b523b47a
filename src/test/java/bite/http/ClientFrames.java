package bite.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds frames as a client sends them (masked, unless a test wants otherwise): input for the reader's tests. */
final class ClientFrames {

    private static final byte[] MASK = {0x37, (byte) 0xFA, 0x21, 0x3D};

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ClientFrames text(String s) {
        return frame(true, WebSocketFrames.TEXT, s.getBytes(StandardCharsets.UTF_8));
    }

    ClientFrames frame(boolean fin, int opcode, byte[] payload) {
        return raw((fin ? 0x80 : 0) | opcode, true, payload.length, payload);
    }

    ClientFrames frame(boolean fin, int opcode, String payload) {
        return frame(fin, opcode, payload.getBytes(StandardCharsets.UTF_8));
    }

    ClientFrames close(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        return frame(true, WebSocketFrames.CLOSE, payload);
    }

    /** A frame with any first byte, mask bit and announced length; {@code payload} follows (masked when masked). */
    ClientFrames raw(int firstByte, boolean masked, long length, byte[] payload) {
        out.write(firstByte);
        int maskBit = masked ? 0x80 : 0;
        if (length >= 0 && length <= 125) {
            out.write(maskBit | (int) length);
        } else if (length >= 0 && length <= 0xFFFF) {
            out.write(maskBit | 126);
            out.write((int) (length >>> 8));
            out.write((int) length);
        } else {
            out.write(maskBit | 127);
            for (int i = 0; i < 8; i++) out.write((int) (length >>> (56 - 8 * i)));
        }
        if (masked) out.write(MASK, 0, 4);
        for (int i = 0; i < payload.length; i++) out.write(masked ? payload[i] ^ MASK[i & 3] : payload[i]);
        return this;
    }

    /** Appends bytes as they are. */
    ClientFrames bytes(byte... b) {
        out.write(b, 0, b.length);
        return this;
    }

    byte[] toBytes() {
        return out.toByteArray();
    }
}
