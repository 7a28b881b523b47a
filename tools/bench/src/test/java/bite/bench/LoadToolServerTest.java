package bite.bench;

import bite.Config;
import bite.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The load tool end to end against a real Bite server on an ephemeral port: every reply must check out. */
class LoadToolServerTest {

    // a fresh server per test: values left by one test would be wrong replies for another
    private Server server;

    @BeforeEach
    void startServer(@TempDir Path data) throws Exception {
        server = new Server(Config.builder().port(0).dataDir(data).persist(false).build()).start();
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    private String run(int expectedStatus, String... args) {
        return runAgainst(server, expectedStatus, args);
    }

    private static String runAgainst(Server server, int expectedStatus, String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        String[] all = new String[args.length + 3];
        all[0] = "--port";
        all[1] = String.valueOf(server.port());
        all[2] = "--quiet";
        System.arraycopy(args, 0, all, 3, args.length);
        int status = LoadTool.run(all, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String output = buffer.toString(StandardCharsets.UTF_8);
        assertThat(status).as(output).isEqualTo(expectedStatus);
        return output;
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "16"})
    void setThenGetEveryValueBack(String pipeline) {
        run(LoadTool.OK, "--op", "set", "--requests", "3000", "--clients", "5", "--pipeline", pipeline,
                "--keys", "500", "--value-size", "40");

        // --prefill then get: every reply must be the exact value stored for its key
        String out = run(LoadTool.OK, "--op", "get", "--prefill", "--requests", "3000", "--clients", "5",
                "--pipeline", pipeline, "--keys", "500", "--value-size", "40");

        assertThat(out).contains("requests=3000 ", "errors=0 ", "misses=0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "16"})
    void overWebSocketsEveryReplyAndEveryPushChecksOut(String pipeline, @TempDir Path data) throws Exception {
        try (Server ws = new Server(Config.builder().port(0).httpPort(0).dataDir(data).persist(false).build())
                .start()) {
            String[] common = {"--ws", "--port", String.valueOf(ws.httpAddress().getPort()), "--quiet"};
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            String[] get = {"--op", "get", "--prefill", "--requests", "3000", "--clients", "5", "--pipeline", pipeline,
                    "--keys", "500", "--value-size", "40"};
            int status = LoadTool.run(concat(common, get), new PrintStream(buffer, true, StandardCharsets.UTF_8));
            String out = buffer.toString(StandardCharsets.UTF_8);
            assertThat(status).as(out).isEqualTo(LoadTool.OK);
            assertThat(out).contains("requests=3000 ", "errors=0 ", "misses=0");

            buffer.reset();
            String[] fanout = {"--subscribers", "5", "--rate", "500", "--requests", "300"};
            status = LoadTool.run(concat(common, fanout), new PrintStream(buffer, true, StandardCharsets.UTF_8));
            out = buffer.toString(StandardCharsets.UTF_8);
            assertThat(status).as(out).isEqualTo(LoadTool.OK);
            assertThat(out).contains("delivered=1500 ", "lost=0 ", "errors=0");
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** {@code --tls-insecure} against a server with a self-signed certificate made here by keytool. */
    @ParameterizedTest
    @ValueSource(strings = {"1", "16"})
    void setThenGetOverTls(String pipeline, @TempDir Path dir) throws Exception {
        Path store = dir.resolve("tls.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "bite", "-dname", "CN=localhost", "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        Base64.Encoder pem = Base64.getMimeEncoder(64, new byte[] {'\n'});
        Path cert = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n"
                + pem.encodeToString(ks.getCertificate("bite").getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + pem.encodeToString(ks.getKey("bite", "changeit".toCharArray()).getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        try (Server tls = new Server(Config.builder().port(0).persist(false).tlsCert(cert).tlsKey(key).build()).start()) {
            runAgainst(tls, LoadTool.OK, "--tls-insecure", "--op", "set", "--requests", "2000", "--clients", "4",
                    "--pipeline", pipeline, "--keys", "200", "--value-size", "40");
            String out = runAgainst(tls, LoadTool.OK, "--tls-insecure", "--op", "get", "--prefill", "--requests",
                    "2000", "--clients", "4", "--pipeline", pipeline, "--keys", "200", "--value-size", "40");
            assertThat(out).contains("requests=2000 ", "errors=0 ", "misses=0");
            assertThat(runAgainst(tls, LoadTool.FAILED, "--op", "set", "--requests", "10", "--clients", "1"))
                    .as("plaintext to the TLS port: an alert, then the close").contains("connection failures=1");
        }
    }

    @Test
    void getOfAValueOfAnotherSizeIsAWrongReply() {
        run(LoadTool.OK, "--op", "set", "--prefill", "--requests", "1", "--keys", "50", "--value-size", "10");

        String out = run(LoadTool.FAILED, "--op", "get", "--requests", "200", "--clients", "2", "--keys", "50",
                "--value-size", "11");

        assertThat(out).contains("wrong replies=200").containsPattern("first problem: g key:\\d+ got '\\w{10}'");
    }

    @Test
    void getsOfKeysNeverSetAreOneMissPerMeasuredRequest() {
        // the warm-up's gets miss too, and so do those a --seconds run answers after its end: neither is counted
        String counted = run(LoadTool.OK, "--op", "get", "--warmup", "0.3", "--requests", "500", "--clients", "2",
                "--pipeline", "4");
        assertThat(counted).contains("requests=500 ", "errors=0 ", "misses=500\n");

        String timed = run(LoadTool.OK, "--op", "get", "--seconds", "0.3", "--clients", "2", "--pipeline", "8");
        java.util.regex.Matcher requests = java.util.regex.Pattern.compile("requests=(\\d+) ").matcher(timed);
        java.util.regex.Matcher misses = java.util.regex.Pattern.compile("misses=(\\d+)").matcher(timed);
        assertThat(requests.find() && misses.find()).as(timed).isTrue();
        assertThat(misses.group(1)).as(timed).isEqualTo(requests.group(1));
    }

    @Test
    void withAPasswordEveryConnectionAuthenticatesFirst(@TempDir Path data) throws Exception {
        Server guarded = new Server(Config.builder().port(0).dataDir(data).persist(false).password("open sesame")
                .build()).start();
        try {
            assertThat(runAgainst(guarded, LoadTool.OK, "--password", "open sesame", "--op", "mixed", "--prefill",
                    "--requests", "500", "--clients", "3", "--pipeline", "4")).contains("errors=0 ", "misses=0");
            assertThat(runAgainst(guarded, LoadTool.OK, "--password", "open sesame", "--subscribers", "3",
                    "--rate", "1000", "--requests", "100", "--channel", "bench.test.auth"))
                    .contains("subscribed: 3 connections", "delivered=300 lost=0", "errors=0 ");

            String without = runAgainst(guarded, LoadTool.FAILED, "--requests", "20", "--clients", "2");
            assertThat(without).contains("error replies=20,", "got 'ERR auth required'",
                    "(the server wants a password: --password P)");

            String wrong = runAgainst(guarded, LoadTool.FAILED, "--password", "guess", "--requests", "20");
            assertThat(wrong).contains("bench: cannot connect to 127.0.0.1:" + guarded.port()
                    + ": the server refused 'auth': ERR invalid password").doesNotContain("guess");
            String wrongSubscriber = runAgainst(guarded, LoadTool.FAILED, "--password", "guess", "--subscribers", "3",
                    "--requests", "10");
            assertThat(wrongSubscriber).contains("subscriptions were confirmed (auth got 'ERR invalid password')")
                    .doesNotContain("guess");
        } finally {
            guarded.stop();
        }
    }

    @Test
    void incrAndMixedAreAccepted() {
        assertThat(run(LoadTool.OK, "--op", "incr", "--requests", "2000", "--clients", "4", "--pipeline", "8"))
                .contains("errors=0 ");
        assertThat(run(LoadTool.OK, "--op", "mixed", "--requests", "2000", "--clients", "4", "--pipeline", "8"))
                .contains("errors=0 ");
    }

    @Test
    void aMixedRunReportsTheLatencyOfGetsAndOfSetsApart() {
        String allGets = run(LoadTool.OK, "--op", "mixed", "--get-ratio", "1", "--prefill", "--requests", "2000",
                "--clients", "4");
        assertThat(allGets).contains("op=mixed get_ratio=1.0 ", "latency of gets (ms, n=2000)",
                "latency of sets: no samples", "misses=0");

        String someOfEach = run(LoadTool.OK, "--op", "mixed", "--get-ratio", "0.25", "--prefill", "--requests", "4000",
                "--clients", "4");
        java.util.regex.Matcher gets = java.util.regex.Pattern.compile("latency of gets \\(ms, n=(\\d+)\\)")
                .matcher(someOfEach);
        java.util.regex.Matcher sets = java.util.regex.Pattern.compile("latency of sets \\(ms, n=(\\d+)\\)")
                .matcher(someOfEach);
        assertThat(gets.find()).as(someOfEach).isTrue();
        assertThat(sets.find()).as(someOfEach).isTrue();
        int g = Integer.parseInt(gets.group(1));
        int s = Integer.parseInt(sets.group(1));
        assertThat(g + s).isEqualTo(4000);
        assertThat(g).as("about a quarter are gets").isBetween(800, 1200);
        assertThat(someOfEach).contains("get_ratio=0.25 get_p99_us=", "errors=0 ");
    }

    @Test
    void fanOutDeliversEveryMessageToEverySubscriber() {
        String out = run(LoadTool.OK, "--subscribers", "20", "--rate", "2000", "--requests", "400",
                "--channel", "bench.test.fanout");

        assertThat(out).contains("subscribed: 20 connections", "published=400 ",
                "expected deliveries=8000 delivered=8000 lost=0 ", "errors=0 ");
    }

    @Test
    void aRefusedSubscriptionFailsTheRunAtOnce() {
        String out = run(LoadTool.FAILED, "--subscribers", "3", "--requests", "10", "--channel", "a..b");

        assertThat(out).contains("bench: only 0 of 3 subscriptions were confirmed (#g got 'ERR invalid key')");
    }

    @Test
    void aPushThatIsNotTheToolsMessageIsABadPush() throws Exception {
        // once the tool's subscribers are confirmed, a second client sets the channel to a value that is not one
        // of the tool's messages; publishing 3000 messages at 1000/s leaves it three seconds to do so
        CountDownLatch subscribed = new CountDownLatch(1);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                super.write(b, off, len);
                if (toString(StandardCharsets.UTF_8).contains("subscribed:")) {
                    subscribed.countDown();
                }
            }
        };
        Thread writer = Thread.ofVirtual().start(() -> {
            try (LineConnection c = LineConnection.open("127.0.0.1", server.port())) {
                assertThat(subscribed.await(30, TimeUnit.SECONDS)).isTrue();
                for (int i = 0; i < 50; i++) {
                    c.write("s bench.test.bad not-a-timestamp-but-long-enough\n");
                }
                c.flush();
                for (int i = 0; i < 50; i++) {
                    c.readLine();
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        int status = LoadTool.run(new String[] {"--port", "" + server.port(), "--quiet", "--subscribers", "3",
                "--rate", "1000", "--requests", "3000", "--channel", "bench.test.bad"},
                new PrintStream(buffer, true, StandardCharsets.UTF_8));
        writer.join();
        String out = buffer.toString(StandardCharsets.UTF_8);

        assertThat(status).as(out).isEqualTo(LoadTool.FAILED);
        assertThat(out).contains("delivered=9000 lost=0", "bad pushes=150,", "carries no timestamp");
    }

    /** The number after {@code NAME=} in the output's RESULT line. */
    private static double resultField(String out, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("RESULT .* " + name + "=([0-9.]+)").matcher(out);
        assertThat(m.find()).as(name + " in " + out).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "50"})
    void theGameSeesEveryWriteReachEveryOtherPlayer(String every) {
        String out = run(LoadTool.OK, "--op", "game", "--rooms", "2", "--players", "4", "--hz", "25", "--every", every,
                "--seconds", "1", "--server-pid", String.valueOf(ProcessHandle.current().pid()));

        assertThat(out).contains("proto=bite rooms=2 players=4 hz=25 every=" + every,
                "disconnects=0 unseen=0 errors=0");
        double writes = resultField(out, "writes");
        assertThat(writes).isEqualTo(200); // 2 rooms x 4 players x 25 Hz x 1 s, paced open loop: every one is sent
        // every write's staleness was measured: each was seen by the room's 3 other players
        assertThat(out).containsPattern("view staleness \\(.*\\) \\(ms, n=" + (long) writes + "\\)");
        // each player is pushed every write of its room, its own included; every=50 merges the writes of a key that
        // fall into one window (at 25 Hz and 50 ms, at most two), and more when a batch waits for a slow socket
        assertThat(resultField(out, "pushes")).isBetween(every.equals("0") ? writes * 3 : writes, writes * 4);
        assertThat(resultField(out, "server_cpu_pct")).isGreaterThanOrEqualTo(0);
    }

    @Test
    void aGameOnAServerThatIsNotThereFails() throws IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        int status = LoadTool.run(new String[] {"--port", "" + port, "--op", "game", "--seconds", "1"},
                new PrintStream(buffer, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(LoadTool.FAILED);
        assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("bench: ");
    }
}
