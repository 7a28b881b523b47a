package bite.cli;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code bite cli}'s connection to the server, a protocol-3 session once {@link #open} returns: the socket (plain or
 * TLS), {@code hello 3} and {@code auth} done. Its input side is read by one thread at a time ({@link #readLine}:
 * the main thread during {@link #open}, then the cli's reader thread); its output side ({@link #send},
 * {@link #flush}) is written by one other thread (the main thread, or the batch mode's sender) and by the keep-alive
 * thread {@code bite-cli-ping}, both under this object's monitor.
 *
 * <p>Keep-alive: the server closes a protocol-3 connection silent for {@code --session-timeout} (default 30 s), so
 * after {@link #PING_MILLIS} without a request the link sends {@code ping} itself. Its reply is not the user's: every
 * request sent is noted in order ({@link #awaiting}), and {@link #readLine} drops the reply of a keep-alive ping.
 */
final class ServerLink implements Closeable {

    /** How long the connect, the TLS handshake and the answer to {@code hello 3} may take. */
    private static final int HANDSHAKE_MILLIS = 30_000;

    /** Why there is no session: a message for stderr and the exit code. */
    static final class Failure extends Exception {
        final CliExit exit;

        Failure(CliExit exit, String message) {
            super(message);
            this.exit = exit;
        }
    }

    /** Silence after which the link sends {@code ping} (PROTOCOL.md: at least every 10 s). */
    static final long PING_MILLIS = 10_000;

    private final Socket socket;
    private final LineInput in;
    private final OutputStream out;
    /** One entry per request sent, in order: true for a keep-alive ping, whose reply nobody is shown. */
    private final ConcurrentLinkedQueue<Boolean> awaiting = new ConcurrentLinkedQueue<>();
    private long lastSentNanos = System.nanoTime(); // guarded by this

    private ServerLink(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new LineInput(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** Connects, says {@code hello 3}, and authenticates when {@code options} has a secret. */
    static ServerLink open(CliOptions options) throws Failure {
        return open(options, PING_MILLIS);
    }

    /** As {@link #open(CliOptions)}, with a keep-alive ping after {@code pingMillis} of silence (tests: shorter). */
    static ServerLink open(CliOptions options, long pingMillis) throws Failure {
        String where = options.address();
        Socket socket = new Socket();
        ServerLink link = null;
        try {
            try {
                socket.connect(new InetSocketAddress(InetAddress.getByName(options.host()), options.port()),
                        HANDSHAKE_MILLIS);
            } catch (UnknownHostException e) {
                throw new Failure(CliExit.CANNOT_CONNECT, "cannot connect to " + where + ": unknown host");
            } catch (IOException e) {
                throw new Failure(CliExit.CANNOT_CONNECT, "cannot connect to " + where + ": " + e.getMessage());
            }
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(HANDSHAKE_MILLIS);
            Socket connected = socket;
            if (options.tls()) {
                try {
                    connected = TlsSockets.wrap(socket, options);
                } catch (IOException | GeneralSecurityException e) {
                    throw new Failure(CliExit.CANNOT_CONNECT, "TLS with " + where + " failed: " + e.getMessage());
                }
            }
            link = new ServerLink(connected);
            link.handshake(options, where);
            connected.setSoTimeout(0); // from now on a reply may take as long as the server needs
            link.keepAlive(pingMillis);
            return link;
        } catch (IOException e) {
            String why = e instanceof SocketTimeoutException
                    ? "no answer to hello 3 within " + HANDSHAKE_MILLIS / 1000 + " s (still loading its data?)"
                    : e.getMessage();
            closeQuietly(socket);
            throw new Failure(CliExit.CANNOT_CONNECT, "lost the connection to " + where + ": " + why);
        } catch (Failure e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /** {@code hello 3} and {@code auth} go out together; their replies are checked in order and never shown. */
    private void handshake(CliOptions options, String where) throws IOException, Failure {
        send("hello 3");
        if (options.secret() != null) send("auth " + options.secret());
        flush();
        String hello = readLine();
        if (hello == null) throw new Failure(CliExit.CANNOT_CONNECT, where + " closed the connection at once");
        if (hello.startsWith("ERR ")) throw new Failure(CliExit.CANNOT_CONNECT, where + " refused: " + hello);
        if (!hello.startsWith("=OK 3 ")) {
            throw new Failure(CliExit.CANNOT_CONNECT, where + " does not speak protocol 3 (it answered '"
                    + ServerLine.forTerminal(hello) + "' to hello 3)");
        }
        if (options.secret() == null) return;
        String auth = readLine();
        if (auth == null) throw new Failure(CliExit.CANNOT_CONNECT, where + " closed the connection at auth");
        if (!auth.equals("=OK")) {
            throw new Failure(CliExit.ERR_REPLY, "auth failed: " + ServerLine.forTerminal(auth.substring(1)));
        }
    }

    /**
     * The next line from the server, decoded as UTF-8 (what the server sends); null once it closed. The reply to a
     * keep-alive ping is skipped.
     */
    String readLine() throws IOException {
        while (true) {
            byte[] line = in.readLine();
            if (line == null) return null;
            boolean push = line.length > 0 && line[0] == '>';
            if (!push && Boolean.TRUE.equals(awaiting.poll())) continue; // a keep-alive's PONG
            return new String(line, StandardCharsets.UTF_8);
        }
    }

    /** Starts {@code bite-cli-ping}: a {@code ping} whenever nothing was sent for {@code millis}. */
    private void keepAlive(long millis) {
        long period = TimeUnit.MILLISECONDS.toNanos(millis);
        Thread.ofPlatform().name("bite-cli-ping").daemon().start(() -> {
            try {
                while (!socket.isClosed()) {
                    long wait;
                    synchronized (this) {
                        wait = lastSentNanos + period - System.nanoTime();
                        if (wait <= 0) {
                            out.write(PING);
                            awaiting.add(Boolean.TRUE);
                            out.flush();
                            lastSentNanos = System.nanoTime();
                            wait = period;
                        }
                    }
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            } catch (IOException | InterruptedException e) {
                // the connection is gone: the reader says so
            }
        });
    }

    private static final byte[] PING = "ping\n".getBytes(StandardCharsets.US_ASCII);

    /** Whether a line from the server may already be here, so printing can wait and flush once. */
    boolean lineReady() throws IOException {
        return in.ready();
    }

    void send(String line) throws IOException {
        send(line.getBytes(StandardCharsets.UTF_8));
    }

    /** Queues one request line (its bytes, without newline); {@link #flush} sends what is queued. */
    synchronized void send(byte[] line) throws IOException {
        out.write(line);
        out.write('\n');
        awaiting.add(Boolean.FALSE);
        lastSentNanos = System.nanoTime();
    }

    synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing left to tell anyone
        }
    }
}
