package bite.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The server tests' line client: a raw client on a plain {@link Socket} that sends exact bytes and reads exact reply
 * lines. Every read gives up after 5 s by default (a missing reply fails the test instead of hanging it). Used by
 * one test thread at a time (a test may hand it to another thread, one at a time).
 */
public final class TestClient implements AutoCloseable {

    public static final int TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private TestClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
    }

    public static TestClient connect(int port) throws IOException {
        return connect(port, 0);
    }

    /** With {@code receiveBuffer} > 0, a small kernel receive buffer: a client that stops reading fills up fast. */
    public static TestClient connect(int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
        return new TestClient(socket);
    }

    /** A client over a socket already connected (a TLS one, say). */
    public static TestClient over(Socket socket) throws IOException {
        return new TestClient(socket);
    }

    /** Reads give up after {@code timeout} instead of {@link #TIMEOUT_MILLIS}. */
    public TestClient readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
        return this;
    }

    /** Sends {@code text} as UTF-8, exactly (the caller writes the newlines). */
    public TestClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    public TestClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends each of {@code lines} with a {@code \n}, in one write. */
    public TestClient sendLines(String... lines) throws IOException {
        return send(String.join("\n", lines) + "\n");
    }

    /** Sends one request line and reads one line back. */
    public String ask(String line) throws IOException {
        sendLines(line);
        return readLine();
    }

    /** The next line, without its {@code \n}; fails on end of stream before the {@code \n}. */
    public String readLine() throws IOException {
        return new String(readLineBytes(), StandardCharsets.UTF_8);
    }

    public byte[] readLineBytes() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        if (!readLineInto(line)) {
            throw new AssertionError("end of stream after " + line.size() + " bytes of a line: "
                    + line.toString(StandardCharsets.UTF_8));
        }
        return line.toByteArray();
    }

    /**
     * The next line, as {@link #readLine()}, but the end of the stream is an {@link EOFException}: for a test in
     * which the server may be killed while this client talks to it, and that is no failure.
     */
    public String readLineOrEof() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        if (!readLineInto(line)) {
            throw new EOFException("end of stream after " + line.size() + " bytes of a line");
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Reads up to and without the next {@code \n}; false when the stream ended first. */
    private boolean readLineInto(ByteArrayOutputStream line) throws IOException {
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) return false;
            line.write(b);
        }
        return true;
    }

    public List<String> readLines(int n) throws IOException {
        List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) lines.add(readLine());
        return lines;
    }

    /** Everything up to the end of the stream (the server closed the connection cleanly, or it fails). */
    public String readToEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Half-closes: the server sees the end of the requests, answers them, and closes. */
    public TestClient shutdownOutput() throws IOException {
        socket.shutdownOutput();
        return this;
    }

    /** Sends {@code input}, half-closes, and returns every byte the server sent until it closed. */
    public String transcript(String input) throws IOException {
        send(input);
        shutdownOutput();
        return readToEnd();
    }

    public InputStream in() {
        return in;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
