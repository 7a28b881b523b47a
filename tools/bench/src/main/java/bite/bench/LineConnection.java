package bite.bench;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One blocking TCP connection (or WebSocket: {@link WebSocketClient}) speaking newline-terminated lines, with its
 * own read and write buffers so that a load loop allocates nothing per request. Requests are appended with the
 * {@code write} methods and leave in one {@code send} at {@link #flush()}; {@link #readLine()} hands out the next
 * reply in place ({@link #buffer()}, {@link #lineStart()}, {@link #lineLength()}) until the next read. Used by one thread at a time.
 */
final class LineConnection implements Closeable {

    /** A read that waits longer than this fails the connection, so a stuck server cannot hang the tool. */
    static final int READ_TIMEOUT_MILLIS = 10_000;
    private static final byte[] OK = "OK".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private byte[] readBuf = new byte[64 * 1024];
    private int readPos;
    private int readLimit;
    private int lineStart;
    private int lineLength;

    private byte[] writeBuf = new byte[16 * 1024];
    private int writeLength;

    private LineConnection(Socket socket, boolean webSocket) throws IOException {
        this.socket = socket;
        this.in = webSocket ? WebSocketClient.unframing(socket.getInputStream()) : socket.getInputStream();
        this.out = webSocket ? WebSocketClient.framing(socket.getOutputStream()) : socket.getOutputStream();
    }

    static LineConnection open(String host, int port) throws IOException {
        return open(host, port, null);
    }

    /**
     * Connects and, when {@code password} is not null, sends {@code auth PASSWORD} and expects {@code OK}.
     *
     * @throws IOException when the connection fails or the server refuses the password (the message says which,
     *                     and never shows the password)
     */
    static LineConnection open(String host, int port, String password) throws IOException {
        return open(host, port, password, null, false);
    }

    /** As {@link #open(String, int, String)}, over TLS when {@code tls} is not null (the handshake done here). */
    static LineConnection open(String host, int port, String password, SSLSocketFactory tls) throws IOException {
        return open(host, port, password, tls, false);
    }

    /** The same, and then over a WebSocket at {@code /ws} when {@code webSocket} ({@code --ws}). */
    static LineConnection open(String host, int port, String password, SSLSocketFactory tls, boolean webSocket)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.connect(new InetSocketAddress(host, port), READ_TIMEOUT_MILLIS);
            if (tls != null) {
                SSLSocket secure = (SSLSocket) tls.createSocket(socket, host, port, true);
                secure.startHandshake();
                socket = secure;
            }
            if (webSocket) WebSocketClient.handshake(socket, host, port);
            LineConnection c = new LineConnection(socket, webSocket);
            if (password != null) {
                c.write(authLine(password));
                c.flush();
                c.readLine();
                if (!c.lineEquals(OK)) {
                    throw new IOException("the server refused 'auth': " + Tally.printable(c.line()));
                }
            }
            return c;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** {@code auth PASSWORD\n} in UTF-8. */
    static byte[] authLine(String password) {
        return ("auth " + password + "\n").getBytes(StandardCharsets.UTF_8);
    }

    // --- writing ---

    void write(byte b) {
        ensureWritable(1);
        writeBuf[writeLength++] = b;
    }

    void write(byte[] bytes) {
        ensureWritable(bytes.length);
        System.arraycopy(bytes, 0, writeBuf, writeLength, bytes.length);
        writeLength += bytes.length;
    }

    void write(String ascii) {
        ensureWritable(ascii.length());
        for (int i = 0; i < ascii.length(); i++) {
            writeBuf[writeLength++] = (byte) ascii.charAt(i);
        }
    }

    /** Appends a non-negative number in decimal. */
    void writeDecimal(long value) {
        ensureWritable(20);
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        int end = writeLength + digits;
        for (int i = end - 1; i >= writeLength; i--) {
            writeBuf[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        writeLength = end;
    }

    /** Bytes appended and not yet sent. */
    int pendingBytes() {
        return writeLength;
    }

    void flush() throws IOException {
        if (writeLength > 0) {
            out.write(writeBuf, 0, writeLength);
            writeLength = 0;
        }
    }

    private void ensureWritable(int n) {
        if (writeLength + n > writeBuf.length) {
            writeBuf = Arrays.copyOf(writeBuf, Math.max(writeBuf.length * 2, writeLength + n));
        }
    }

    // --- reading ---

    /** True when the next {@link #readLine()} will not have to wait for the network. */
    boolean hasBufferedLine() {
        for (int i = readPos; i < readLimit; i++) {
            if (readBuf[i] == '\n') {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the next line (its {@code \n}, and a {@code \r} before it, removed), waiting for the network if need
     * be. Does not flush: call {@link #flush()} first when the server still has to see a request.
     *
     * @throws EOFException when the server closed the connection
     */
    void readLine() throws IOException {
        int scanFrom = readPos;
        while (true) {
            for (int i = scanFrom; i < readLimit; i++) {
                if (readBuf[i] == '\n') {
                    lineStart = readPos;
                    lineLength = i - readPos;
                    if (lineLength > 0 && readBuf[i - 1] == '\r') {
                        lineLength--;
                    }
                    readPos = i + 1;
                    return;
                }
            }
            scanFrom = readLimit - readPos;
            compactOrGrow();
            scanFrom += readPos;
            int n = in.read(readBuf, readLimit, readBuf.length - readLimit);
            if (n < 0) {
                throw new EOFException("server closed the connection");
            }
            readLimit += n;
        }
    }

    private void compactOrGrow() {
        if (readPos > 0) {
            System.arraycopy(readBuf, readPos, readBuf, 0, readLimit - readPos);
            readLimit -= readPos;
            readPos = 0;
        }
        if (readLimit == readBuf.length) {
            readBuf = Arrays.copyOf(readBuf, readBuf.length * 2);
        }
    }

    byte[] buffer() {
        return readBuf;
    }

    int lineStart() {
        return lineStart;
    }

    int lineLength() {
        return lineLength;
    }

    /** The last line read, as text; for messages, not for the hot path. */
    String line() {
        return new String(readBuf, lineStart, lineLength, StandardCharsets.UTF_8);
    }

    boolean lineEquals(byte[] expected) {
        return Arrays.equals(readBuf, lineStart, lineStart + lineLength, expected, 0, expected.length);
    }

    boolean lineStartsWith(byte[] prefix) {
        return lineLength >= prefix.length
                && Arrays.equals(readBuf, lineStart, lineStart + prefix.length, prefix, 0, prefix.length);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort: the tool is done with this connection either way
        }
    }
}
