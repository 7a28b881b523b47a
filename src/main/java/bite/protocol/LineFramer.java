package bite.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Cuts a connection's byte stream into request lines. No I/O of its own beyond {@link #readFrom}: feed it bytes in
 * any pieces (one byte at a time works) and take {@link Frame}s out with {@link #next()} until it returns null.
 *
 * <p>The line limit counts a line's bytes including its {@code \n}: a line fits when they are at most the limit. As
 * soon as the framer holds the limit's worth of a line's bytes without its {@code \n} it answers
 * {@link Frame.TooLong}, without waiting for more, and frames nothing after that.
 */
public final class LineFramer {

    // Small to start (an idle connection holds little: 10,000 of them hold 5 MB), grown while reads keep filling it
    // (a pipelining client)
    private static final int INITIAL_CAPACITY = 512;
    private static final int READ_CAPACITY = 64 * 1024;
    private static final byte[] EMPTY = new byte[0];

    private final int maxLineBytes;
    private byte[] buf;
    private int start; // first byte of the current (unfinished) line
    private int scan;  // where the search for '\n' goes on: bytes in [start, scan) have none
    private int end;   // end of buffered data
    private boolean failed;

    public LineFramer(int maxLineBytes) {
        if (maxLineBytes < 1) throw new IllegalArgumentException("maxLineBytes must be at least 1");
        this.maxLineBytes = maxLineBytes;
        this.buf = new byte[initialCapacity()];
    }

    private int initialCapacity() {
        return Math.min(INITIAL_CAPACITY, Math.max(maxLineBytes, 64));
    }

    /** One read from {@code channel} into the free space; returns what {@code read} returned. */
    public int readFrom(ReadableByteChannel channel) throws IOException {
        return readFrom(Channels.newInputStream(channel));
    }

    /** One read from {@code in} into the free space; returns what {@code read} returned. */
    public int readFrom(InputStream in) throws IOException {
        makeRoom();
        int free = buf.length - end;
        int n = in.read(buf, end, free);
        if (n > 0) end += n;
        if (n == free && buf.length < READ_CAPACITY) buf = Arrays.copyOf(buf, buf.length * 2);
        return n;
    }

    /** Appends bytes as if they had been read. */
    public void feed(byte[] src, int off, int len) {
        while (len > 0) {
            makeRoom();
            int n = Math.min(len, buf.length - end);
            System.arraycopy(src, off, buf, end, n);
            end += n;
            off += n;
            len -= n;
        }
    }

    /** The next frame, or null when more bytes are needed (or after {@link Frame.TooLong}). */
    public Frame next() {
        if (failed) return null;
        int nl = -1;
        for (int i = scan; i < end; i++) {
            if (buf[i] == '\n') {
                nl = i;
                break;
            }
        }
        if (nl < 0) {
            scan = end;
            if (end - start >= maxLineBytes) return fail();
            return null;
        }
        if (nl - start + 1 > maxLineBytes) return fail();
        int to = nl;
        if (to > start && buf[to - 1] == '\r') to--;
        Frame frame = Utf8.isValid(buf, start, to)
                ? new Frame.Line(new String(buf, start, to - start, StandardCharsets.UTF_8))
                : Frame.MALFORMED;
        start = nl + 1;
        scan = start;
        return frame;
    }

    /**
     * Gives the read buffer back when it holds nothing (a connection about to wait long for its next bytes); the next
     * read allocates a fresh one. Returns whether it did.
     */
    public boolean release() {
        if (start != end || failed) return false;
        start = scan = end = 0;
        buf = EMPTY;
        return true;
    }

    /** Bytes buffered that do not yet end in {@code \n}. */
    public int pending() {
        return end - start;
    }

    private Frame fail() {
        failed = true;
        start = scan = end = 0;
        return Frame.TOO_LONG;
    }

    private void makeRoom() {
        if (start == end) {
            start = scan = end = 0;
        }
        if (buf.length == 0) buf = new byte[initialCapacity()];
        if (end < buf.length) return;
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            scan -= start;
            start = 0;
            return;
        }
        // one unfinished line fills the buffer: grow up to what the limit needs (reading stops there, because
        // next() fails first); only feed() of more than that in one call goes beyond
        int capacity = buf.length < maxLineBytes ? Math.min(buf.length * 2, maxLineBytes) : buf.length * 2;
        byte[] bigger = new byte[capacity];
        System.arraycopy(buf, 0, bigger, 0, end);
        buf = bigger;
    }
}
