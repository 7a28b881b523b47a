package bite;

import bite.storage.Change;
import bite.storage.ChangeSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * bite-db dies (a fault injected on it through {@link Server}'s storage hook, not through the protocol): every
 * connection closes, the idle one too, and nothing waits forever; new requests to the database fail at once.
 */
class DatabaseFailureE2ETest {

    static final Change FAULT = new Change("fault", "injected");
    /** How soon a connection must see the end of its stream once bite-db is dead. */
    private static final int CLOSE_WITHIN_MILLIS = 1_000;

    @TempDir
    Path tmp;

    /**
     * Hands changes on, but throws a fatal error on bite-db for the batch that sets {@code fault} (also used by
     * {@link HttpE2ETest}).
     */
    static final UnaryOperator<ChangeSink> FAULTY = sink -> new ChangeSink() {
        @Override
        public void submit(long seq, List<Change> changes) {
            if (changes.contains(FAULT)) throw new InternalError("injected fault");
            sink.submit(seq, changes);
        }

        @Override
        public boolean keepsNothing() {
            return sink.keepsNothing();
        }
    };

    private record Client(Socket socket, BufferedReader in, OutputStream out) implements AutoCloseable {
        static Client connect(Server server) throws IOException {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            socket.setSoTimeout(5_000);
            return new Client(socket, new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8)), socket.getOutputStream());
        }

        void send(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        String ask(String line) throws IOException {
            send(line);
            return in.readLine();
        }

        /** Reads until the server closes the connection (end of stream, or a reset after our last write). */
        void assertClosedWithin(int millis) throws IOException {
            socket.setSoTimeout(millis);
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    assertThat(line).as("no answer once bite-db is dead").doesNotStartWith("OK");
                }
            } catch (SocketTimeoutException e) {
                fail("the connection was still open " + millis + " ms after bite-db died");
            } catch (SocketException reset) {
                // closed by the server while our request was in flight: closed all the same
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void whenBiteDbDiesEveryConnectionClosesAndNewRequestsFailFast() throws Exception {
        Config config = Config.builder().host("127.0.0.1").port(0).dataDir(tmp.resolve("data")).build();
        try (Server server = new Server(config, FAULTY).start();
             Client idle = Client.connect(server);
             Client later = Client.connect(server);
             Client trigger = Client.connect(server)) {
            assertThat(idle.ask("s a 1")).isEqualTo("OK");
            assertThat(later.ask("g a")).isEqualTo("1");

            trigger.send("s " + FAULT.key() + " " + FAULT.value());
            trigger.assertClosedWithin(CLOSE_WITHIN_MILLIS);
            assertThatThrownBy(server::stats).as("the database takes no requests any more")
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("stopped");

            idle.assertClosedWithin(CLOSE_WITHIN_MILLIS);
            try {
                later.send("g a");
            } catch (SocketException closedAlready) {
                // the server closed it first: what the test is about
            }
            later.assertClosedWithin(CLOSE_WITHIN_MILLIS);
        }
    }
}
