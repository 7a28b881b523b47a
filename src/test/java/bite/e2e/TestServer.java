package bite.e2e;

import bite.Config;
import bite.Server;
import bite.db.DatabaseStats;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** A real server on an ephemeral port, in memory only; {@link #close} stops it and frees the port. */
final class TestServer implements AutoCloseable {

    private final Server server;

    private TestServer(Server server) {
        this.server = server;
    }

    static TestServer start() throws IOException {
        return start(UnaryOperator.identity());
    }

    /** Starts with the test defaults changed by {@code tweak} (limits, port). */
    static TestServer start(UnaryOperator<Config.Builder> tweak) throws IOException {
        Config config = tweak.apply(Config.builder().port(0).persist(false)).build();
        return new TestServer(new Server(config).start());
    }

    int port() {
        return server.port();
    }

    /** The HTTP listener's port (started with {@code httpPort(0)}). */
    int httpPort() {
        return server.httpAddress().getPort();
    }

    /** Open HTTP connections (WebSockets included). */
    int webSocketConnections() {
        return server.httpConnectionCount();
    }

    TestClient client() throws IOException {
        return TestClient.connect(port());
    }

    DatabaseStats stats() throws InterruptedException {
        return server.stats();
    }

    /** Polls the server's counters until {@code condition} holds; fails after 10 s with the last reading. */
    DatabaseStats awaitStats(String what, Predicate<DatabaseStats> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        DatabaseStats stats = server.stats();
        while (!condition.test(stats)) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what + ": " + stats);
            LockSupport.parkNanos(1_000_000); // a poll interval, not a guess at how long anything takes
            stats = server.stats();
        }
        return stats;
    }

    @Override
    public void close() {
        server.stop();
    }
}
