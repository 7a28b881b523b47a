package bite.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer for encoding reply lines. Not thread-safe: one owner at a time. */
public final class ByteSink {

    private byte[] buf;
    private int size;

    public ByteSink(int capacity) {
        buf = new byte[Math.max(capacity, 16)];
    }

    public ByteSink append(byte b) {
        ensure(1);
        buf[size++] = b;
        return this;
    }

    public ByteSink append(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
        return this;
    }

    /** Appends {@code s} in UTF-8. */
    public ByteSink append(String s) {
        int n = s.length();
        ensure(n);
        int i = 0;
        for (; i < n; i++) { // ASCII straight in; the rest through the JDK encoder
            char c = s.charAt(i);
            if (c >= 0x80) break;
            buf[size++] = (byte) c;
        }
        if (i < n) append(s.substring(i).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Appends {@code s} and a {@code \n}. */
    public ByteSink line(String s) {
        return append(s).append((byte) '\n');
    }

    public int size() {
        return size;
    }

    /** Drops everything after the first {@code size} bytes. */
    public void truncate(int size) {
        if (size < 0 || size > this.size) throw new IllegalArgumentException("size " + size);
        this.size = size;
    }

    public void clear() {
        size = 0;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
