package bite;

import bite.storage.FsyncPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command line without starting a server: flags, environment, precedence, usage errors. */
class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Main.Exit run(Map<String, String> env, String... args) {
        return Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void defaultsAreTheDocumentedOnes() throws Exception {
        Config c = Main.parse(new String[0], Map.of());
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(1984);
        assertThat(c.dataDir()).isEqualTo(Path.of("data"));
        assertThat(c.persist()).isTrue();
        assertThat(c.fsync()).isEqualTo(FsyncPolicy.EVERYSEC);
        assertThat(c.maxLineBytes()).isEqualTo(1024 * 1024);
        assertThat(c.maxKeyBytes()).isEqualTo(1024);
        assertThat(c.maxOutputBytes()).isEqualTo(32L * 1024 * 1024);
        assertThat(c.maxClients()).isEqualTo(10_000);
        assertThat(c.idleTimeout()).isEqualTo(Duration.ZERO);
        assertThat(c.password()).isNull();
    }

    @Test
    void aFlagBeatsItsEnvironmentVariableWhichBeatsServer() throws Exception {
        Map<String, String> env = Map.of("SERVER", "10.0.0.1:7000", "BITE_PORT", "7001");
        Config fromEnv = Main.parse(new String[0], env);
        assertThat(fromEnv.host()).isEqualTo("10.0.0.1");
        assertThat(fromEnv.port()).isEqualTo(7001);
        Config fromFlag = Main.parse(new String[]{"--port", "7002", "--host=0.0.0.0"}, env);
        assertThat(fromFlag.host()).isEqualTo("0.0.0.0");
        assertThat(fromFlag.port()).isEqualTo(7002);
    }

    @Test
    void everyOptionIsReadWithItsUnits() throws Exception {
        Config c = Main.parse(new String[]{"--data", "/tmp/x", "--fsync", "always", "--snapshot-interval", "500ms",
                "--max-line-bytes", "64k", "--max-key-bytes", "100", "--max-value-bytes", "2m",
                "--max-output-bytes", "1g", "--max-clients", "3", "--idle-timeout", "5m", "--password", "pw",
                "--max-auth-failures", "2", "--no-persist", "--log-level", "debug"}, Map.of());
        assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(c.fsync()).isEqualTo(FsyncPolicy.ALWAYS);
        assertThat(c.snapshotInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.maxLineBytes()).isEqualTo(64 * 1024);
        assertThat(c.maxKeyBytes()).isEqualTo(100);
        assertThat(c.maxValueBytes()).isEqualTo(2 * 1024 * 1024);
        assertThat(c.maxOutputBytes()).isEqualTo(1L << 30);
        assertThat(c.maxClients()).isEqualTo(3);
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.password()).isEqualTo("pw");
        assertThat(c.maxAuthFailures()).isEqualTo(2);
        assertThat(c.persist()).isFalse();
        assertThat(c.logLevel()).isEqualTo(System.Logger.Level.DEBUG);
        assertThat(c.toString()).doesNotContain("pw");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --bogus                 | unknown option: --bogus
            --port                  | missing value for --port
            --port,70000            | invalid value for --port: 70000
            --port,abc              | invalid value for --port: abc
            --fsync,sometimes       | invalid value for --fsync: sometimes
            --max-line-bytes,1      | invalid value for --max-line-bytes: 1
            --password=             | invalid value for --password: ***
            """)
    void aBadFlagIsOneLineOnStderrAndExitCode2(String args, String message) {
        assertThat(run(Map.of(), args.split(","))).isEqualTo(Main.Exit.USAGE);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(stderr.lines()).hasSize(1);
        assertThat(stderr).startsWith("bite: " + message);
        assertThat(out.size()).isZero();
    }

    @Test
    void aBadEnvironmentValueNamesTheVariable() {
        assertThatThrownBy(() -> Main.parse(new String[0], Map.of("BITE_PORT", "x")))
                .hasMessageContaining("BITE_PORT");
    }

    @Test
    void helpAndVersionGoToStdoutWithExitCode0() {
        assertThat(run(Map.of(), "--help")).isEqualTo(Main.Exit.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--port P").contains("BITE_PORT")
                .contains("--password P").contains("SERVER=host:port");
        out.reset();
        assertThat(run(Map.of(), "--version")).isEqualTo(Main.Exit.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).matches("bite \\S+\\R");
        assertThat(err.size()).isZero();
    }

    // --- issue 14: durations need a unit, switches take documented words only --------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --idle-timeout,300          | invalid value for --idle-timeout: 300 (a unit is required: 300s, 300ms
            --idle-timeout,90           | invalid value for --idle-timeout: 90 (a unit is required: 90s, 90ms, 5m or 1h)
            --snapshot-interval,1000    | invalid value for --snapshot-interval: 1000 (a unit is required
            --snapshot-interval,0       | invalid value for --snapshot-interval: 0 (a unit is required
            --idle-timeout,5x           | invalid value for --idle-timeout: 5x (unknown unit 'x'
            --idle-timeout,s            | invalid value for --idle-timeout: s (expected a number and a unit
            --log-format,xml            | invalid value for --log-format: xml (expected text or json)
            --no-persist=1              | --no-persist takes no value
            """)
    void aDurationWithoutAUnitIsRejectedNamingTheOption(String args, String message) {
        assertThat(run(Map.of(), args.split(","))).isEqualTo(Main.Exit.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("bite: " + message);
    }

    @Test
    void durationsWithAUnitAndZeroMeaningNever() throws Exception {
        assertThat(Main.parse(new String[]{"--idle-timeout", "300s"}, Map.of()).idleTimeout())
                .isEqualTo(Duration.ofSeconds(300));
        assertThat(Main.parse(new String[]{"--idle-timeout", "250ms"}, Map.of()).idleTimeout())
                .isEqualTo(Duration.ofMillis(250));
        assertThat(Main.parse(new String[]{"--idle-timeout", "1h"}, Map.of()).idleTimeout())
                .isEqualTo(Duration.ofHours(1));
        assertThat(Main.parse(new String[]{"--idle-timeout", "0"}, Map.of()).idleTimeout()).isEqualTo(Duration.ZERO);
        assertThat(Main.parse(new String[]{"--idle-timeout", "0s"}, Map.of()).idleTimeout()).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> Main.parse(new String[0], Map.of("BITE_IDLE_TIMEOUT", "300")))
                .hasMessageStartingWith("invalid value for BITE_IDLE_TIMEOUT: 300 (a unit is required");
    }

    @ParameterizedTest
    @CsvSource({"1,false", "true,false", "YES,false", "on,false", "0,true", "false,true", "no,true", "off,true"})
    void aSwitchVariableTakesTheDocumentedWords(String value, boolean persist) throws Exception {
        assertThat(Main.parse(new String[0], Map.of("BITE_NO_PERSIST", value)).persist()).isEqualTo(persist);
    }

    @ParameterizedTest
    @CsvSource({"maybe", "2", "y", "enabled"})
    void aSwitchVariableWithAnyOtherValueIsAUsageError(String value) {
        assertThat(run(Map.of("BITE_NO_PERSIST", value))).isEqualTo(Main.Exit.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("bite: invalid value for BITE_NO_PERSIST: "
                + value + " (expected 1, true, yes or on, or 0, false, no or off)");
    }

    @Test
    void logFormatAndPublishedAreRead() throws Exception {
        Config c = Main.parse(new String[]{"--log-format", "json"}, Map.of("BITE_PUBLISHED", "127.0.0.1:1984"));
        assertThat(c.logFormat()).isEqualTo(Config.LogFormat.JSON);
        assertThat(c.published()).isEqualTo("127.0.0.1:1984");
        assertThat(Config.defaults().logFormat()).isEqualTo(Config.LogFormat.TEXT);
    }

    @Test
    void helpListsEveryOptionOfTheTableWithItsVariableAndDefault() {
        assertThat(run(Map.of(), "--help")).isEqualTo(Main.Exit.OK);
        String help = out.toString(StandardCharsets.UTF_8);
        for (Options.Option o : Options.ALL) {
            assertThat(help).as(o.flag()).containsPattern("(?m)^  " + java.util.regex.Pattern.quote(o.usageName())
                    + " +" + o.env() + " +.*\\(default " + java.util.regex.Pattern.quote(o.shownDefault()) + "\\)$");
        }
    }

    @Test
    void thePasswordFileHoldsThePasswordWithoutItsLineBreak(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("bite_password"), "open sesame\n");
        assertThat(Main.parse(new String[]{"--password-file", secret.toString()}, Map.of()).password())
                .isEqualTo("open sesame");
        assertThat(Main.parse(new String[0], Map.of("BITE_PASSWORD_FILE", secret.toString())).password())
                .isEqualTo("open sesame");
        Files.writeString(secret, "two\nlines\n");
        assertThat(run(Map.of("BITE_PASSWORD_FILE", secret.toString()))).isEqualTo(Main.Exit.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("bite: invalid value for BITE_PASSWORD_FILE: "
                + secret + " (expected the password on one line) (try --help)\n");
        assertThatThrownBy(() -> Main.parse(new String[]{"--password-file", dir.resolve("none").toString()}, Map.of()))
                .hasMessage("invalid value for --password-file: " + dir.resolve("none")
                        + " (cannot read it: NoSuchFileException)");
    }
}
