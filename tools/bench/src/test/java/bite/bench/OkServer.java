package bite.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in server for the load tool's own tests: answers {@code OK} to every line (like loadgen's lineecho) and
 * counts the lines. Port 0; close() stops it.
 */
final class OkServer implements AutoCloseable {

    private static final byte[] OK = "OK\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listener;
    private final Thread acceptor;
    final AtomicLong lines = new AtomicLong();

    OkServer() throws IOException {
        listener = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().name("ok-server").start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        try {
            while (true) {
                Socket s = listener.accept();
                Thread.ofVirtual().start(() -> serve(s));
            }
        } catch (IOException e) {
            // closed: the test is over
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buf = new byte[8192];
            byte[] replies = new byte[0];
            int n;
            while ((n = in.read(buf)) > 0) {
                int count = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        count++;
                    }
                }
                if (count > 0) {
                    lines.addAndGet(count);
                    if (replies.length != count * OK.length) {
                        replies = new byte[count * OK.length];
                        for (int i = 0; i < count; i++) {
                            System.arraycopy(OK, 0, replies, i * OK.length, OK.length);
                        }
                    }
                    out.write(replies);
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    @Override
    public void close() throws Exception {
        listener.close();
        acceptor.join(5_000);
    }
}
