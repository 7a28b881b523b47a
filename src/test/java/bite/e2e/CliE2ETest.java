package bite.e2e;

import bite.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bite cli} against a real server, through its {@code run(args, in, out, err, env, terminal)} entry: one-shot,
 * piped and interactive modes, their output and exit codes, auth, and a failed connection.
 */
class CliE2ETest {

    /** What one run of the cli printed, and its exit code. */
    record Result(int exit, String out, String err) {
    }

    /** Captures a stream's bytes; read while the cli still writes (both sides synchronize on the buffer). */
    static final class Captured {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        /** Waits until the text contains {@code part}; fails after 10 s showing what came. */
        void await(String part) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!text().contains(part)) {
                if (System.nanoTime() > deadline) throw new AssertionError("no '" + part + "' in: " + text());
                LockSupport.parkNanos(1_000_000); // a poll interval
            }
        }
    }

    static Result cli(TestServer server, String stdin, boolean terminal, Map<String, String> env, String... args) {
        return cli(server.port(), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), terminal, env, args);
    }

    static Result cli(int port, InputStream stdin, boolean terminal, Map<String, String> env, String... args) {
        Captured out = new Captured();
        Captured err = new Captured();
        List<String> all = new ArrayList<>(List.of("--port", String.valueOf(port)));
        all.addAll(List.of(args));
        int exit = Cli.run(all, stdin, out.stream, err.stream, env, terminal);
        return new Result(exit, out.text(), err.text());
    }

    static Result oneShot(TestServer server, String... args) {
        return cli(server, "", false, Map.of(), args);
    }

    @Test
    void pingPrintsPongAndExits0() throws Exception {
        try (TestServer server = TestServer.start()) {
            assertThat(oneShot(server, "ping")).isEqualTo(new Result(0, "PONG\n", ""));
        }
    }

    @Test
    void theCommandWordsAreOneRequestLineAndItsReplyIsPrintedUntagged() throws Exception {
        try (TestServer server = TestServer.start(); TestClient c = server.client()) {
            assertThat(oneShot(server, "s", "room.7.name", "the", "lobby")).isEqualTo(new Result(0, "OK\n", ""));
            assertThat(c.ask("g room.7.name")).isEqualTo("the lobby");
            assertThat(oneShot(server, "g room.7.name")).isEqualTo(new Result(0, "the lobby\n", ""));
            assertThat(oneShot(server, "g", "nothing.here")).isEqualTo(new Result(0, "\n", ""));
            assertThat(oneShot(server, "--raw", "g", "room.7.name")).isEqualTo(new Result(0, "=the lobby\n", ""));
        }
    }

    @Test
    void anErrReplyGoesToStderrWithExitCode1() throws Exception {
        try (TestServer server = TestServer.start()) {
            assertThat(oneShot(server, "bogus", "x")).isEqualTo(new Result(1, "", "ERR unknown command 'bogus'\n"));
            assertThat(oneShot(server, "g", "a..b")).isEqualTo(new Result(1, "", "ERR invalid key\n"));
        }
    }

    @Test
    void aRefusedConnectionIsOneLineAndExitCode3() throws Exception {
        int port;
        try (TestServer stopped = TestServer.start()) {
            port = stopped.port(); // free again once the server stopped
        }
        Result r = cli(port, InputStream.nullInputStream(), false, Map.of(), "ping");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("bite cli: cannot connect to 127.0.0.1:" + port + ": Connection refused\n");
    }

    @Test
    void aBadOptionIsAUsageErrorWithExitCode2() {
        Result r = cli(1984, InputStream.nullInputStream(), false, Map.of(), "--bogus", "ping");
        assertThat(r).isEqualTo(new Result(2, "", "bite cli: unknown option: --bogus (try --help)\n"));
        r = cli(1984, InputStream.nullInputStream(), false, Map.of("BITE_PORT", "x"), "--help");
        assertThat(r.exit()).isZero(); // the flag --port given by cli() wins over the bad variable
        assertThat(r.out()).contains("Usage: java -jar bite.jar cli").contains("Exit codes");
    }

    @Test
    void pipedLinesArePipelinedAndEachReplyPrintedInOrderPushesMarked() throws Exception {
        try (TestServer server = TestServer.start()) {
            String stdin = "s room.7.p1.x 10\n#k room.7\n\n   \ns room.7.p1.x 11\nk room.7\nd room.7.p1.x\n+1 score\n";
            Result r = cli(server, stdin, false, Map.of());
            assertThat(r).isEqualTo(new Result(0, """
                    OK
                    OK 1
                    push k room.7 @2: p1.x 11
                    OK
                    p1.x 11
                    push k room.7 @3: p1.x
                    OK
                    1
                    """, ""));
        }
    }

    @Test
    void pipedModeKeepsGoingAfterAnErrAndExits1() throws Exception {
        try (TestServer server = TestServer.start()) {
            Result r = cli(server, "s a 1\ng a..b\ng a", false, Map.of()); // the last line without \n is sent too
            assertThat(r).isEqualTo(new Result(1, "OK\nERR invalid key\n1\n", ""));
        }
    }

    @Test
    void pipedModePrintsAnotherClientsPushesAndEndsWithTheInput() throws Exception {
        try (TestServer server = TestServer.start(); TestClient writer = server.client();
             PipedOutputStream typing = new PipedOutputStream()) {
            PipedInputStream stdin = new PipedInputStream(typing);
            Captured out = new Captured();
            Captured err = new Captured();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Cli.run(
                    List.of("--port", String.valueOf(server.port())), stdin, out.stream, err.stream, Map.of(), false));
            typing.write("#j room.7\n".getBytes(StandardCharsets.UTF_8));
            typing.flush();
            out.await("OK 0\n");
            assertThat(writer.ask("s room.7.p1.x 10")).isEqualTo("OK"); // its push was queued before this OK
            typing.write("g room.7.p1.x\n".getBytes(StandardCharsets.UTF_8));
            typing.close();
            assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(out.text()).isEqualTo("OK 0\npush j room.7 @1: {\"p1\":{\"x\":\"10\"}}\n10\n");
            assertThat(err.text()).isEmpty();
        }
    }

    @Test
    void followKeepsPrintingPushesUntilTheServerCloses() throws Exception {
        TestServer server = TestServer.start();
        try (TestClient writer = server.client()) {
            Captured out = new Captured();
            Captured err = new Captured();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Cli.run(
                    List.of("--port", String.valueOf(server.port()), "--follow", "#g", "room"),
                    InputStream.nullInputStream(), out.stream, err.stream, Map.of(), false));
            out.await("OK 0\n");
            assertThat(writer.ask("s room.a 1")).isEqualTo("OK");
            assertThat(writer.ask("! room bye")).isEqualTo("OK");
            out.await("bye\n");
            assertThat(exit).isNotDone();
            server.close();
            assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(out.text()).isEqualTo("OK 0\npush g room @1: 1\npush g room @2: bye\n");
        } finally {
            server.close();
        }
    }

    @Test
    void aConnectionClosedBeforeEveryReplyIsExitCode4() throws Exception {
        try (TestServer server = TestServer.start(b -> b.maxLineBytes(64))) {
            Result r = cli(server, "ping\ns a " + "x".repeat(100) + "\nping\n", false, Map.of());
            assertThat(r.out()).isEqualTo("PONG\nERR line too long\n");
            assertThat(r.err()).matches("bite cli: the server closed the connection after 2( of 3)? replies\n");
            assertThat(r.exit()).isEqualTo(4);
        }
    }

    @Test
    void aQuitLineEndsThePipedInput() throws Exception {
        try (TestServer server = TestServer.start()) {
            assertThat(cli(server, "ping\nquit\nping\n", false, Map.of())).isEqualTo(new Result(0, "PONG\nOK\n", ""));
        }
    }

    @Test
    void aPasswordFromTheFlagTheEnvironmentOrAFileIsSentWithAuth(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(b -> b.password("open sesame"))) {
            assertThat(oneShot(server, "ping")).isEqualTo(new Result(1, "", "ERR auth required\nbite cli: the server"
                    + " wants a password: --password, --password-file or BITE_PASSWORD\n"));
            assertThat(oneShot(server, "--password", "open sesame", "ping")).isEqualTo(new Result(0, "PONG\n", ""));
            assertThat(cli(server, "", false, Map.of("BITE_PASSWORD", "open sesame"), "ping"))
                    .isEqualTo(new Result(0, "PONG\n", ""));
            Path secret = Files.writeString(dir.resolve("password"), "open sesame\n");
            assertThat(cli(server, "", false, Map.of("BITE_PASSWORD_FILE", secret.toString()), "ping"))
                    .isEqualTo(new Result(0, "PONG\n", ""));
            assertThat(oneShot(server, "--password-file", secret.toString(), "ping"))
                    .isEqualTo(new Result(0, "PONG\n", ""));
            assertThat(oneShot(server, "--password", "wrong", "ping"))
                    .isEqualTo(new Result(1, "", "bite cli: auth failed: ERR invalid password\n"));
        }
    }

    @Test
    void interactiveModeShowsAPromptRepliesAndPushesMarked() throws Exception {
        try (TestServer server = TestServer.start()) {
            String typed = "s room.7.name lobby\n#k room.7\n\ns room.7.name hall\nk room.7\nquit\n";
            Result r = cli(server, typed, true, Map.of());
            String prompt = "127.0.0.1:" + server.port() + "> ";
            assertThat(r).isEqualTo(new Result(0, prompt + "OK\n" + prompt + "OK 1\n" + prompt + prompt
                    + "push k room.7 @2: name hall\nOK\n" + prompt + "name hall\n" + prompt, ""));
        }
    }

    @Test
    void interactiveModeShowsControlCharactersAsPictures() throws Exception {
        try (TestServer server = TestServer.start()) {
            Result r = cli(server, "sl | a.x 1| a.y \u001b[2J\nk a\n", true, Map.of());
            String prompt = "127.0.0.1:" + server.port() + "> ";
            assertThat(r.out()).isEqualTo(prompt + "OK\n" + prompt + "x 1\u2400y \u241b[2J\n" + prompt);
            assertThat(r.exit()).isZero(); // the end of the input is a quit
        }
    }

    @Test
    void theJarsMainRunsTheCliInAChildProcess() throws Exception {
        try (TestServer server = TestServer.start()) {
            Process p = new ProcessBuilder(javaCommand(), "-cp", System.getProperty("java.class.path"), "bite.Main",
                    "cli", "--port", String.valueOf(server.port()), "ping").redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            p.getOutputStream().close();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("PONG\n");
            assertThat(p.exitValue()).isZero();
        }
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString());
    }
}
