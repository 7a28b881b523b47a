package bite.storage;

import bite.protocol.Utf8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The framing shared by snapshot and log files. After a fixed file header, a file is a sequence of frames:
 *
 * <pre>
 *   u32 length | u32 crc32c(payload) | u32 crc32c(the 8 bytes before) | payload (length bytes)
 * </pre>
 *
 * Big-endian. The header checksum makes a damaged length detectable before it is trusted, so a torn tail (the file
 * ends inside a frame) can be told apart from damage in the middle. A payload starts with a type byte, then
 * varints and strings (varint byte length + UTF-8; an optional string stores length + 1, 0 meaning null).
 */
final class RecordFormat {

    static final int HEADER = 12;
    static final byte META = 1;
    static final byte ENTRIES = 2;
    static final byte END = 3;
    static final byte CHANGES = 4;

    private RecordFormat() {
        throw new AssertionError();
    }

    /** A growable byte buffer that frames are encoded into. Not thread-safe. */
    static final class Encoder {
        private byte[] buf = new byte[64 * 1024];
        private int size;
        private int frameStart = -1;

        void beginFrame(byte type) {
            assert frameStart < 0;
            frameStart = size;
            ensure(HEADER + 1);
            size += HEADER;
            buf[size++] = type;
        }

        void endFrame() {
            int len = size - frameStart - HEADER;
            ByteBuffer header = ByteBuffer.wrap(buf, frameStart, HEADER);
            header.putInt(len).putInt(crc(buf, frameStart + HEADER, len));
            header.putInt(crc(buf, frameStart, 8));
            frameStart = -1;
        }

        void varint(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[size++] = (byte) v;
        }

        void string(String s) {
            int len = Utf8.length(s);
            varint(len);
            utf8(s, len);
        }

        void optionalString(String s) {
            if (s == null) {
                varint(0);
                return;
            }
            int len = Utf8.length(s);
            varint(len + 1L);
            utf8(s, len);
        }

        /**
         * UTF-8 straight into the buffer: a snapshot of a million keys would otherwise make two million throw-away
         * arrays. A lone surrogate (which valid protocol text never holds) becomes '?', as String.getBytes does.
         */
        private void utf8(String s, int len) {
            ensure(len);
            byte[] b = buf;
            int p = size;
            for (int i = 0, n = s.length(); i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    b[p++] = (byte) c;
                } else if (c < 0x800) {
                    b[p++] = (byte) (0xC0 | c >> 6);
                    b[p++] = (byte) (0x80 | c & 0x3F);
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    b[p++] = (byte) (0xF0 | cp >> 18);
                    b[p++] = (byte) (0x80 | cp >> 12 & 0x3F);
                    b[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
                    b[p++] = (byte) (0x80 | cp & 0x3F);
                } else if (Character.isSurrogate(c)) {
                    b[p++] = '?';
                } else {
                    b[p++] = (byte) (0xE0 | c >> 12);
                    b[p++] = (byte) (0x80 | c >> 6 & 0x3F);
                    b[p++] = (byte) (0x80 | c & 0x3F);
                }
            }
            size = p;
        }

        int size() {
            return size;
        }

        /** Bytes of the frame being built so far (for deciding when to end a chunk). */
        int frameSize() {
            return frameStart < 0 ? 0 : size - frameStart;
        }

        ByteBuffer view() {
            return ByteBuffer.wrap(buf, 0, size);
        }

        void clear() {
            size = 0;
            frameStart = -1;
            if (buf.length > 4 * 1024 * 1024) {
                buf = new byte[64 * 1024]; // don't keep a huge buffer after one huge batch
            }
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                long want = Math.max((long) buf.length * 2, (long) size + more);
                if (want > Integer.MAX_VALUE - 16) {
                    throw new IllegalStateException("record too large: " + want + " bytes");
                }
                buf = Arrays.copyOf(buf, (int) want);
            }
        }
    }

    /** Reads one frame's payload; every method throws {@link Malformed} when the payload runs out or is invalid. */
    static final class Decoder {
        private final byte[] b;
        private int pos;

        Decoder(byte[] payload) {
            this.b = payload;
        }

        byte type() {
            need(1);
            return b[pos++];
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                need(1);
                byte x = b[pos++];
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    return v;
                }
            }
            throw new Malformed("varint too long");
        }

        String string() {
            return text(varint());
        }

        String optionalString() {
            long n = varint();
            return n == 0 ? null : text(n - 1);
        }

        boolean atEnd() {
            return pos == b.length;
        }

        private String text(long len) {
            if (len < 0 || len > b.length - pos) {
                throw new Malformed("string length " + len + " runs past the end of the frame");
            }
            String s = new String(b, pos, (int) len, StandardCharsets.UTF_8);
            pos += (int) len;
            return s;
        }

        private void need(int n) {
            if (b.length - pos < n) {
                throw new Malformed("frame ends early");
            }
        }
    }

    /** A payload that passed its checksum but does not decode: only a bug or deliberate tampering does that. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** What reading the frame at some offset gave. */
    sealed interface Read {
        /** A good frame; the next one starts at {@code next}. */
        record Frame(long offset, byte[] payload, long next) implements Read {}

        /** The file ends exactly here. */
        record Eof(long offset) implements Read {}

        /**
         * The frame at {@code offset} is bad. {@code atTail}: nothing but zeros follows the bad part, which is what a
         * crash in the middle of writing leaves (a torn tail); otherwise it is damage in the middle of the file.
         */
        record Bad(long offset, String problem, boolean atTail) implements Read {}
    }

    /** Reads the frame at {@code offset}, using positional reads (the channel's position is not used). */
    static Read read(FileChannel ch, long offset, long size) throws IOException {
        long left = size - offset;
        if (left == 0) {
            return new Read.Eof(offset);
        }
        if (left < HEADER) {
            return new Read.Bad(offset, "incomplete frame header (" + left + " bytes)", true);
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        readFully(ch, header, offset);
        int len = header.getInt(0);
        int payloadCrc = header.getInt(4);
        if (header.getInt(8) != crc(header.array(), 0, 8)) {
            // a header cut by a crash is followed by nothing, or by the zeros a file system fills a tail with
            return new Read.Bad(offset, "frame header checksum mismatch", zerosFrom(ch, offset + HEADER, size));
        }
        if (len < 0 || len > left - HEADER) {
            return new Read.Bad(offset, "incomplete frame (" + (left - HEADER) + " of " + (len & 0xFFFFFFFFL)
                    + " payload bytes)", true);
        }
        byte[] payload = new byte[len];
        readFully(ch, ByteBuffer.wrap(payload), offset + HEADER);
        long next = offset + HEADER + len;
        if (crc(payload, 0, len) != payloadCrc) {
            return new Read.Bad(offset, "frame checksum mismatch", zerosFrom(ch, next, size));
        }
        return new Read.Frame(offset, payload, next);
    }

    /**
     * Reads a file header of {@code size} bytes and checks that it starts with {@code magic} and then
     * {@code version}; returns it for the caller's own fields. The file is known to hold at least {@code size} bytes.
     */
    static ByteBuffer readFileHeader(FileChannel ch, Path file, int size, byte[] magic, int version, String kind)
            throws IOException {
        ByteBuffer header = ByteBuffer.allocate(size);
        readFully(ch, header, 0);
        if (!Arrays.equals(header.array(), 0, magic.length, magic, 0, magic.length)) {
            throw new StorageFileException(file, 0, "not a Bite " + kind + " (bad magic bytes)");
        }
        int found = header.getInt(magic.length);
        if (found != version) {
            throw new StorageFileException(file, magic.length, "unsupported " + kind + " version " + found
                    + " (this server reads version " + version + ")");
        }
        return header;
    }

    static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        while (dst.hasRemaining()) {
            int n = ch.read(dst, position);
            if (n < 0) {
                throw new IOException("file shrank while being read");
            }
            position += n;
        }
    }

    static void writeFully(FileChannel ch, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            ch.write(src);
        }
    }

    static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    /** Whether every byte from {@code from} to the end of the file is zero (a file system's zero-filled tail). */
    private static boolean zerosFrom(FileChannel ch, long from, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        for (long pos = from; pos < size; ) {
            buf.clear().limit((int) Math.min(buf.capacity(), size - pos));
            readFully(ch, buf, pos);
            for (int i = 0; i < buf.limit(); i++) {
                if (buf.get(i) != 0) {
                    return false;
                }
            }
            pos += buf.limit();
        }
        return true;
    }
}
