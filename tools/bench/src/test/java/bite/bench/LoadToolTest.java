package bite.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The tool against a server that answers OK to every line: counts, exit codes and reply checking. */
class LoadToolTest {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    private String output() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** Runs the tool against {@code server}, quietly, and returns its exit status. */
    private int bench(OkServer server, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "--port";
        all[1] = String.valueOf(server.port());
        all[2] = "--quiet";
        System.arraycopy(args, 0, all, 3, args.length);
        return LoadTool.run(all, out);
    }

    @Test
    void sendsExactlyTheRequestedNumberOfRequestsAndAcceptsOk() throws Exception {
        try (OkServer server = new OkServer()) {
            int status = bench(server, "--requests", "5000", "--clients", "4", "--pipeline", "8");

            assertThat(status).as(output()).isEqualTo(LoadTool.OK);
            assertThat(server.lines.get()).isEqualTo(5000);
            assertThat(output()).contains("requests=5000 ", "errors=0 ", "RESULT op=set clients=4 pipeline=8 ")
                    .containsPattern("p50=\\d+\\.\\d{3} p90=\\d+\\.\\d{3} p99=\\d+\\.\\d{3} p99\\.9=");
        }
    }

    @Test
    void prefillSetsEveryKeyOnceBeforeMeasuring() throws Exception {
        try (OkServer server = new OkServer()) {
            int status = bench(server, "--requests", "100", "--keys", "777", "--clients", "3", "--prefill");

            assertThat(status).as(output()).isEqualTo(LoadTool.OK);
            assertThat(server.lines.get()).isEqualTo(777 + 100);
        }
    }

    @Test
    void warmupRequestsAreSentButNotCounted() throws Exception {
        try (OkServer server = new OkServer()) {
            int status = bench(server, "--requests", "1000", "--warmup", "0.5", "--clients", "2");

            assertThat(status).as(output()).isEqualTo(LoadTool.OK);
            assertThat(output()).contains("warmup=0.5", "requests=1000 ", "n=1000)");
            assertThat(server.lines.get()).isGreaterThan(1000);
        }
    }

    @Test
    void wrongRepliesAreCountedAsErrorsAndFailTheRun() throws Exception {
        try (OkServer server = new OkServer()) {
            // "OK" is not the value a get should return, nor an integer for +1
            for (String op : new String[] {"get", "incr"}) {
                int status = bench(server, "--op", op, "--requests", "300", "--clients", "2", "--pipeline", "4");

                assertThat(status).as(output()).isEqualTo(LoadTool.FAILED);
            }
            assertThat(output()).contains("errors=300 (error replies=0, wrong replies=300")
                    .containsPattern("first problem: g key:\\d+ got 'OK'")
                    .containsPattern("first problem: \\+1 ctr:\\d+ got 'OK'");
        }
    }

    @Test
    void timedRunPrintsProgressAndStopsByItself() throws Exception {
        try (OkServer server = new OkServer()) {
            int status = LoadTool.run(new String[] {"--port", "" + server.port(), "--seconds", "1.2",
                    "--clients", "2"}, out);

            assertThat(status).as(output()).isEqualTo(LoadTool.OK);
            assertThat(output()).containsPattern("(?m)^ +\\d+\\.\\d s +[\\d,]+ ops/s +\\([\\d,]+ done\\)$")
                    .contains("elapsed=1.200 s");
        }
    }

    @Test
    void noServerIsAFailureWithAMessage() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        int status = LoadTool.run(new String[] {"--port", "" + port, "--requests", "10"}, out);

        assertThat(status).isEqualTo(LoadTool.FAILED);
        assertThat(output()).contains("bench: cannot connect to 127.0.0.1:" + port);
    }

    @Test
    void badUsageAndHelp() {
        assertThat(LoadTool.run(new String[] {"--pipeline", "x"}, out)).isEqualTo(LoadTool.USAGE);
        assertThat(output()).contains("bench: --pipeline needs a whole number, not 'x'");

        assertThat(LoadTool.run(new String[] {"--help"}, out)).isEqualTo(LoadTool.OK);
        assertThat(output()).contains("usage: java -jar bite-bench.jar");
    }
}
