package bite;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One of {@link Training}'s client connections: writes lines, reads lines, over a plain socket to the training
 * server. Used by one thread at a time (a reader thread may own it).
 */
final class TrainingLine implements AutoCloseable {

    /** A read that waits longer fails the training run rather than hanging it. */
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private TrainingLine(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
    }

    static TrainingLine connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
        return new TrainingLine(s);
    }

    void send(CharSequence text) throws IOException {
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads {@code lines} lines; an end of stream before them is an error. */
    void expect(int lines) throws IOException {
        for (int i = 0; i < lines; i++) readLine();
    }

    void readLine() throws IOException {
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) throw new IOException("the server closed the connection");
        }
    }

    /**
     * Counts the lines that arrive until the connection ends (by either side), or, when {@code timed}, until a
     * read waits longer than the read timeout; never throws.
     */
    void countUntilClosed(AtomicLong lines, boolean timed) {
        try {
            if (!timed) socket.setSoTimeout(0);
            for (int b; (b = in.read()) >= 0; ) if (b == '\n') lines.incrementAndGet();
        } catch (IOException e) {
            // closed from this side: the phase is over
        }
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
