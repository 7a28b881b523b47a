package bite.storage;

import bite.e2e.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The server as a real child process: restarts, kill -9 under write load, refusals at start. */
class ServerPersistenceTest {

    private static final int ROUNDS = 5;
    private static final int WRITERS = 3;
    private static final int PIPELINE = 8;
    /** Longer than TestClient's default: these servers are child JVMs, some with --fsync always. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    /** key -> value of every write whose OK was received. */
    private final Map<String, String> acked = new ConcurrentHashMap<>();
    /** writer -> highest n of an acknowledged {@code sl} that set p.a and p.b together. */
    private final Map<Integer, Integer> pairs = new ConcurrentHashMap<>();
    private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private volatile CountDownLatch enough = new CountDownLatch(1);
    private volatile long target;

    @Test
    void everyAcknowledgedWriteSurvivesKill9UnderLoadRoundAfterRound() throws Exception {
        Path dir = tmp.resolve("data");
        for (int round = 0; round < ROUNDS; round++) {
            try (BiteProcess server = BiteProcess.start(dir, "--fsync", "always", "--snapshot-interval", "30ms")) {
                int port = server.port();
                verify(port, "round " + round + " after kill -9:\n" + server.stderr());
                int before = acked.size();
                CountDownLatch writing = new CountDownLatch(WRITERS);
                List<Thread> writers = new ArrayList<>();
                for (int t = 0; t < WRITERS; t++) {
                    int id = t;
                    int r = round;
                    writers.add(Thread.ofPlatform().start(() -> write(port, id, r, writing)));
                }
                assertThat(writing.await(20, TimeUnit.SECONDS)).isTrue();
                enough = new CountDownLatch(1);
                target = before + 300;
                assertThat(enough.await(20, TimeUnit.SECONDS)).as("load running").isTrue(); // kill mid-load
                server.kill();
                for (Thread w : writers) {
                    w.join(20_000);
                }
                assertThat(errors).isEmpty();
                assertThat(acked.size()).as("writes acknowledged in round %d", round).isGreaterThan(before);
            }
        }
        try (BiteProcess server = BiteProcess.start(dir, "--fsync", "always")) {
            verify(server.port(), "after the last kill -9");
            assertThat(server.terminate()).as("exit code after SIGTERM").isZero();
        }
        try (BiteProcess server = BiteProcess.start(dir)) {
            verify(server.port(), "after SIGTERM");
            assertThat(server.stderr()).contains("then 0 log records"); // everything came from the final snapshot
            assertThat(server.terminate()).isZero();
        }
    }

    /** Writes until the server is killed: single keys, and every fifth request an {@code sl} of two keys. */
    private void write(int port, int id, int round, CountDownLatch started) {
        try (TestClient c = client(port)) {
            started.countDown();
            for (int n = 0; ; ) {
                StringBuilder lines = new StringBuilder();
                List<Runnable> onOk = new ArrayList<>();
                for (int i = 0; i < PIPELINE; i++, n++) {
                    int seq = n;
                    if (n % 5 == 4) {
                        int pair = round * 1_000_000 + seq; // grows across rounds too
                        lines.append("sl | p").append(id).append(".a ").append(pair)
                                .append("| p").append(id).append(".b ").append(pair).append('\n');
                        onOk.add(() -> pairs.merge(id, pair, Math::max));
                    } else {
                        String key = "w" + id + ".r" + round + "." + seq;
                        String value = "v" + seq + " é\tx";
                        lines.append("s ").append(key).append(' ').append(value).append('\n');
                        onOk.add(() -> acked.put(key, value));
                    }
                }
                c.send(lines.toString());
                for (Runnable ok : onOk) {
                    String reply = c.readLineOrEof(); // an end of stream is the kill, not a failure
                    if (!reply.equals("OK")) {
                        throw new AssertionError("unexpected reply " + reply);
                    }
                    ok.run();
                }
                if (acked.size() >= target) {
                    enough.countDown();
                }
            }
        } catch (IOException killed) {
            started.countDown(); // the server went away: this round is over
        } catch (Throwable t) {
            errors.add(t);
        }
    }

    private static TestClient client(int port) throws IOException {
        return TestClient.connect(port).readTimeout(READ_TIMEOUT);
    }

    private void verify(int port, String when) throws IOException {
        try (TestClient c = client(port)) {
            List<Map.Entry<String, String>> all = new ArrayList<>(acked.entrySet());
            for (int from = 0; from < all.size(); from += 500) {
                List<Map.Entry<String, String>> chunk = all.subList(from, Math.min(all.size(), from + 500));
                StringBuilder gets = new StringBuilder();
                chunk.forEach(e -> gets.append("g ").append(e.getKey()).append('\n'));
                c.send(gets.toString());
                for (Map.Entry<String, String> e : chunk) {
                    assertThat(c.readLine()).as("%s: %s", when, e.getKey()).isEqualTo(e.getValue());
                }
            }
            for (Map.Entry<Integer, Integer> p : pairs.entrySet()) {
                String a = c.ask("g p" + p.getKey() + ".a");
                String b = c.ask("g p" + p.getKey() + ".b");
                assertThat(a).as("%s: sl is all or nothing", when).isEqualTo(b);
                assertThat(Integer.parseInt(a)).as(when).isGreaterThanOrEqualTo(p.getValue());
            }
        }
    }

    @Test
    void anImportedDbJsonIsServedAndKept() throws Exception {
        Path dir = tmp.resolve("data");
        Path json = Files.writeString(tmp.resolve("DB.json"),
                "{\"data.name\":\"BITE\",\"data.author.name\":\"Andr\\u00e9s\",\"x\":\"a \\\"b\\\"\"}");
        try (BiteProcess server = BiteProcess.start(dir, "--import", json.toString())) {
            try (TestClient c = client(server.port())) {
                assertThat(c.ask("j data")).isEqualTo("{\"author\":{\"name\":\"Andrés\"},\"name\":\"BITE\"}");
            }
            server.kill(); // the import is in the log already
        }
        try (BiteProcess server = BiteProcess.start(dir)) {
            try (TestClient c = client(server.port())) {
                assertThat(c.ask("g x")).isEqualTo("a \"b\"");
            }
        }
        Files.writeString(json, "{\"bad..key\":\"1\"}");
        try (BiteProcess server = BiteProcess.start(tmp.resolve("other"), "--import", json.toString())) {
            assertThat(server.exitCode()).isEqualTo(1);
            assertThat(server.stderr()).contains(json + ": key \"bad..key\": invalid key");
        }
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryIsRefused() throws Exception {
        Path dir = tmp.resolve("data");
        try (BiteProcess first = BiteProcess.start(dir)) {
            first.port();
            try (BiteProcess second = BiteProcess.start(dir)) {
                assertThat(second.exitCode()).isEqualTo(1);
                assertThat(second.stderr()).contains("data directory " + dir + " is in use by another Bite server");
            }
        }
    }

    @Test
    void aDamagedSnapshotStopsTheStartWithFileAndOffset() throws Exception {
        Path dir = tmp.resolve("data");
        try (BiteProcess server = BiteProcess.start(dir)) {
            try (TestClient c = client(server.port())) {
                assertThat(c.ask("s a.b hello")).isEqualTo("OK");
            }
            assertThat(server.terminate()).isZero();
        }
        Path snapshot = dir.resolve("snapshot.bite");
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(snapshot, bytes);
        try (BiteProcess server = BiteProcess.start(dir)) {
            assertThat(server.exitCode()).isEqualTo(1);
            assertThat(server.stderr()).contains(snapshot.toString()).contains("damaged snapshot")
                    .containsPattern("at offset \\d+");
        }
    }
}
