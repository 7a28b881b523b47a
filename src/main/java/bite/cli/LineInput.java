package bite.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Lines of bytes from a stream, each at most {@link #MAX_LINE_BYTES}: the server's replies and pushes, or request
 * lines on stdin. Used by the one thread that reads its stream.
 */
final class LineInput {

    /** Far above the server's own line limit (1 MiB by default) and a {@code j} of a large database, yet bounded. */
    static final int MAX_LINE_BYTES = 256 << 20;

    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;

    LineInput(InputStream in) {
        this.in = in;
    }

    /**
     * The next line's bytes without its {@code \n}; at the end of the stream the unfinished last line if there is
     * one, else null.
     */
    byte[] readLine() throws IOException {
        ByteArrayOutputStream longLine = null;
        while (true) {
            for (int i = start; i < end; i++) {
                if (buffer[i] != '\n') continue;
                byte[] line = take(longLine, i);
                start = i + 1;
                return line;
            }
            if (end > start) {
                if (longLine == null) longLine = new ByteArrayOutputStream();
                if (longLine.size() + (end - start) > MAX_LINE_BYTES) {
                    throw new IOException("a line longer than " + (MAX_LINE_BYTES >> 20) + " MiB");
                }
                longLine.write(buffer, start, end - start);
            }
            start = 0;
            end = in.read(buffer);
            if (end < 0) {
                end = 0;
                return longLine == null ? null : longLine.toByteArray();
            }
        }
    }

    /** Whether a line may already be here: reading it would not wait (the caller can flush before it does). */
    boolean ready() throws IOException {
        return end > start || in.available() > 0;
    }

    private byte[] take(ByteArrayOutputStream longLine, int newline) {
        if (longLine == null) return Arrays.copyOfRange(buffer, start, newline);
        longLine.write(buffer, start, newline - start);
        return longLine.toByteArray();
    }
}
