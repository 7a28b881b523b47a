package bite.storage;

import bite.e2e.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The memory cap ({@code --max-memory}) in a server with a small heap, run as a child process: writes fill it until
 * they get {@code ERR out of memory}; reads, {@code info} and deletes keep working, and once space is freed writes
 * work again; the data acked meanwhile survives a restart. And a reader that runs out of heap answers
 * {@code ERR internal error} instead of dropping the connection in silence.
 */
class MemoryCapProcessTest {

    private static final String VALUE = "x".repeat(16 * 1024);

    @Test
    void writesGetOutOfMemoryAtTheCapAndWorkAgainAfterDeletes(@TempDir Path dir) throws Exception {
        List<String> kept = new ArrayList<>();
        try (BiteProcess server = BiteProcess.startWithHeap("128m", dir, "--max-memory", "48m")) {
            try (TestClient c = TestClient.connect(server.port()).readTimeout(Duration.ofSeconds(30))) {
                for (int i = 0; i < 100; i++) {
                    assertThat(c.ask("s keep." + i + " v" + i)).isEqualTo("OK");
                    kept.add("keep." + i);
                }
                String reply = "OK";
                int filled = 0;
                for (; filled < 20_000 && reply.equals("OK"); filled++) {
                    reply = c.ask("s fill." + filled + " " + VALUE);
                }
                assertThat(reply).as("after %d values of 16 KiB", filled).isEqualTo("ERR out of memory");
                // every request that adds data is refused; the rest works
                assertThat(c.ask("s? new " + VALUE)).isEqualTo("ERR out of memory");
                assertThat(c.ask("sl | a 1| b 2")).isEqualTo("ERR out of memory");
                assertThat(c.ask("+ keep.0 more")).isEqualTo("ERR out of memory");
                assertThat(c.ask("+1 counter")).isEqualTo("ERR out of memory");
                assertThat(c.ask("g keep.0")).isEqualTo("v0");
                assertThat(c.ask("g counter")).isEmpty();
                assertThat(c.ask("#g keep.0")).isEqualTo("OK");
                assertThat(c.ask("info")).contains("\"memory_over_cap\":true").contains("\"memory_cap_bytes\":"
                        + 48 * 1024 * 1024);
                awaitLogged(server, "memory cap reached");

                assertThat(c.ask("dd fill")).isEqualTo("OK");
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!(reply = c.ask("s after 1")).equals("OK") && System.nanoTime() < deadline) {
                    assertThat(reply).isEqualTo("ERR out of memory");
                    LockSupport.parkNanos(50_000_000); // a retry interval, not a guess at how long anything takes
                }
                assertThat(reply).as("a write once the fill is deleted").isEqualTo("OK");
                assertThat(c.ask("info")).contains("\"memory_over_cap\":false");
                kept.add("after");
            }
            awaitLogged(server, "memory back under the cap");
            assertThat(server.terminate()).isZero();
        }
        try (BiteProcess server = BiteProcess.startWithHeap("128m", dir);
             TestClient c = TestClient.connect(server.port())) {
            for (String key : kept) assertThat(c.ask("g " + key)).as(key).isNotEmpty();
            assertThat(c.ask("k fill")).isEmpty();
        }
    }

    /** Waits up to 10 s for the server to log {@code text} (logged on the JVM's notification thread, a bit later). */
    private static void awaitLogged(BiteProcess server, String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!server.stderr().contains(text) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000); // a poll interval
        }
        assertThat(server.stderr()).contains(text);
    }

    private static String readLineOrNull(TestClient c) throws IOException {
        try {
            return c.readLineOrEof();
        } catch (java.io.EOFException end) {
            return null;
        }
    }

    @Test
    void aReaderOutOfHeapAnswersInternalErrorInsteadOfDroppingTheConnection(@TempDir Path dir) throws Exception {
        try (BiteProcess server = BiteProcess.startWithHeap("64m", dir, "--no-persist", "--max-memory", "100%",
                "--max-line-bytes", "1g")) {
            try (TestClient c = TestClient.connect(server.port()).readTimeout(Duration.ofSeconds(30))) {
                c.send("s a 1\n");
                byte[] chunk = "y".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
                Thread sender = Thread.ofPlatform().start(() -> {
                    try {
                        c.send("s big ");
                        for (int i = 0; i < 256; i++) c.send(chunk); // 256 MiB cannot fit in a 64 MiB heap
                    } catch (IOException closedMeanwhile) {
                        // the server answered and closed while this was still sending
                    }
                });
                List<String> lines = new ArrayList<>();
                for (String line; (line = readLineOrNull(c)) != null; ) lines.add(line);
                sender.join();
                assertThat(lines).containsExactly("OK", "ERR internal error");
            }
            assertThat(server.stderr()).contains("ran out of memory reading a request");
            try (TestClient c = TestClient.connect(server.port())) {
                assertThat(c.ask("g a")).isEqualTo("1");
            }
        }
    }
}
