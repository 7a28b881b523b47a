package bite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bite train}, the AOT cache's training run: it really serves its load, and cleans up after itself. */
class TrainingTest {

    @Test
    void aRunServesEveryPhaseAndDeletesItsDataDirectory(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("training");

        Training.Result r = Training.train(Duration.ofMillis(300), data);

        // the key-value phase alone sends 64 requests a round; the fan-out multiplies what comes back by 100
        assertThat(r.requests()).isGreaterThan(64);
        assertThat(r.received()).isGreaterThan(Training.SUBSCRIBERS * 10L).isGreaterThan(2 * r.requests());
        assertThat(data).doesNotExist();
    }

    @Test
    void argumentsAreCheckedBeforeAnythingStarts() {
        assertThat(run("--seconds", "0").code).isEqualTo(2);
        assertThat(run("--seconds", "0").err).contains("--seconds takes a whole number from 1 to 600, not '0'");
        assertThat(run("--seconds", "x").code).isEqualTo(2);
        assertThat(run("--seconds").err).contains("--seconds needs a value");
        assertThat(run("--data").code).isEqualTo(2);
        Outcome bogus = run("--bogus");
        assertThat(bogus.code).isEqualTo(2);
        assertThat(bogus.err).contains("unknown option '--bogus'").contains("usage: ");
        Outcome help = run("--help");
        assertThat(help.code).isZero();
        assertThat(help.out).contains("-XX:AOTCacheOutput=").contains("train [--seconds N] [--data DIR]");
    }

    @Test
    void aDirectoryWithSomethingInItIsNeverUsedNorDeleted(@TempDir Path tmp) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("real-data"));
        Files.writeString(data.resolve("snapshot.bite"), "precious");

        Outcome o = run("--seconds", "1", "--data", data.toString());

        assertThat(o.code).isEqualTo(2);
        assertThat(o.err).contains("must be a new or empty directory");
        assertThat(data.resolve("snapshot.bite")).hasContent("precious");
        assertThat(Training.isNewOrEmpty(tmp.resolve("nothing-yet"))).isTrue();
        assertThat(Training.isNewOrEmpty(data.resolve("snapshot.bite"))).as("a file").isFalse();
    }

    @Test
    void theCommandReportsWhatItDid(@TempDir Path tmp) {
        Outcome o = run("--seconds", "1", "--data", tmp.resolve("d").toString());

        assertThat(o.code).as(o.err).isZero();
        assertThat(o.out).matches("(?s)bite train: \\d+ requests sent and \\d+ lines received in \\d+\\.\\d s\\R");
        assertThat(Files.exists(tmp.resolve("d"))).isFalse();
    }

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Training.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
