package bite.storage;

import bite.e2e.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The server as a real process: start-up failures on stderr, the log's level scope and formats, a clean stop. */
class StartupProcessTest {

    private static final String TEXT_LINE =
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (ERROR|WARN|INFO|DEBUG|TRACE) [\\w.]+: .*";

    @TempDir
    Path tmp;

    @Test
    void anUnknownHostIsOneLineNamingTheOptionAndExitCode1() throws Exception {
        try (BiteProcess server = BiteProcess.start(tmp.resolve("data"), "--no-persist", "--host", "nosuch.invalid")) {
            assertThat(server.exitCode()).isEqualTo(1);
            assertThat(server.stderr().lines()).contains(
                    "bite: --host nosuch.invalid: unknown host, not an address this machine can resolve");
            assertThat(server.stderr()).doesNotContain("bite: null");
        }
    }

    @Test
    void aMissingImportFileIsNamed() throws Exception {
        try (BiteProcess server = BiteProcess.start(tmp.resolve("data"), "--import", "/nonexistent.json")) {
            assertThat(server.exitCode()).isEqualTo(1);
            assertThat(server.stderr().lines()).contains("bite: --import /nonexistent.json: no such file");
        }
        try (BiteProcess server = BiteProcess.start(tmp.resolve("data"), "--import", tmp.toString())) {
            assertThat(server.exitCode()).isEqualTo(1);
            assertThat(server.stderr().lines()).contains("bite: --import " + tmp + ": is a directory, not a file");
        }
    }

    /** Bite's debug lines appear, the JDK's do not (Runtime.exit logs a trace at DEBUG), and the stop is logged. */
    @Test
    void debugIsBitesOwnAndEveryLineHasMilliseconds() throws Exception {
        try (BiteProcess server = BiteProcess.start(tmp.resolve("data"), "--log-level", "debug")) {
            try (TestClient c = TestClient.connect(server.port()).readTimeout(java.time.Duration.ofSeconds(20))) {
                assertThat(c.ask("ping")).isEqualTo("PONG");
                assertThat(c.ask("quit")).isEqualTo("OK");
            }
            assertThat(server.terminate()).isEqualTo(0);
            List<String> lines = server.stderr().lines().toList();
            assertThat(lines).allSatisfy(line -> assertThat(line).matches(TEXT_LINE));
            assertThat(lines).allSatisfy(line -> assertThat(line).containsPattern(" bite(\\.\\w+)?: "));
            assertThat(lines).anyMatch(line -> line.matches(".* DEBUG bite[.a-z]*: .*"));
            assertThat(lines).anyMatch(line -> line.contains("recovered 0 keys"));
            assertThat(lines.getLast()).endsWith("INFO bite: Bite stopped");
        }
    }

    @Test
    void jsonLogsAreOneObjectPerLine() throws Exception {
        try (BiteProcess server = BiteProcess.start(tmp.resolve("data"), "--log-format", "json")) {
            server.port();
            assertThat(server.terminate()).isEqualTo(0);
            List<String> lines = server.stderr().lines().toList();
            assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line)
                    .matches("\\{\"time\":\"[-0-9T:]+\\.\\d{3}Z\",\"level\":\"[A-Z]+\",\"logger\":\"bite[.a-z]*\","
                            + "\"message\":\"([^\"\\\\]|\\\\.)*\"}"));
            assertThat(lines).anyMatch(line -> line.contains("\"message\":\"Bite listening on 127.0.0.1:"));
        }
    }

    /**
     * Issue 14, item 12: the port is bound before the data is loaded, and a client that connects as soon as it is
     * bound is answered once the load is done.
     */
    @Test
    void thePortIsBoundBeforeLoadingAndAnEarlyClientIsAnswered() throws Exception {
        Path data = tmp.resolve("data");
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < 50_000; i++) {
            json.append(i == 0 ? "" : ",").append("\"k.").append(i).append("\":\"v").append(i).append('"');
        }
        Path file = java.nio.file.Files.writeString(tmp.resolve("DB.json"), json.append('}'));
        try (BiteProcess server = BiteProcess.start(data, "--import", file.toString())) {
            server.port();
            assertThat(server.terminate()).isEqualTo(0); // writes the snapshot
        }
        try (BiteProcess server = BiteProcess.start(data)) {
            int port = server.boundPort();
            try (TestClient c = TestClient.connect(port).readTimeout(java.time.Duration.ofSeconds(20))) {
                assertThat(c.ask("g k.49999")).isEqualTo("v49999");
            }
            assertThat(server.port()).isEqualTo(port);
            List<String> lines = server.stderr().lines().toList();
            int boundAt = indexOf(lines, "Bite bound to 127.0.0.1:" + port);
            int recoveredAt = indexOf(lines, "recovered 50000 keys");
            int listeningAt = indexOf(lines, "Bite listening on 127.0.0.1:" + port);
            assertThat(boundAt).as("%s", lines).isLessThan(recoveredAt);
            assertThat(recoveredAt).isLessThan(listeningAt);
        }
    }

    private static int indexOf(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) return i;
        }
        throw new AssertionError("no line with '" + part + "' in " + lines);
    }
}
