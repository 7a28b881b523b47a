package bite.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw client on a plain {@link Socket}: sends exact bytes and reads exact reply lines. Every read gives up after
 * 5 s (a missing reply fails the test instead of hanging it).
 */
final class TestClient implements AutoCloseable {

    static final int TIMEOUT_MILLIS = 5_000;

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

    static TestClient connect(int port) throws IOException {
        return connect(port, 0);
    }

    /** With {@code receiveBuffer} > 0, a small kernel receive buffer: a client that stops reading fills up fast. */
    static TestClient connect(int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
        return new TestClient(socket);
    }

    /** Sends {@code text} as UTF-8, exactly (the caller writes the newlines). */
    TestClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    TestClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends each of {@code lines} with a {@code \n}, in one write. */
    TestClient sendLines(String... lines) throws IOException {
        return send(String.join("\n", lines) + "\n");
    }

    /** Sends one request line and reads one line back. */
    String ask(String line) throws IOException {
        sendLines(line);
        return readLine();
    }

    /** The next line, without its {@code \n}; fails on end of stream before the {@code \n}. */
    String readLine() throws IOException {
        return new String(readLineBytes(), StandardCharsets.UTF_8);
    }

    byte[] readLineBytes() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new AssertionError("end of stream after " + line.size() + " bytes of a line: "
                        + line.toString(StandardCharsets.UTF_8));
            }
            line.write(b);
        }
        return line.toByteArray();
    }

    List<String> readLines(int n) throws IOException {
        List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) lines.add(readLine());
        return lines;
    }

    /** Everything up to the end of the stream (the server closed the connection cleanly, or it fails). */
    String readToEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Half-closes: the server sees the end of the requests, answers them, and closes. */
    TestClient shutdownOutput() throws IOException {
        socket.shutdownOutput();
        return this;
    }

    /** Sends {@code input}, half-closes, and returns every byte the server sent until it closed. */
    String transcript(String input) throws IOException {
        send(input);
        shutdownOutput();
        return readToEnd();
    }

    InputStream in() {
        return in;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
