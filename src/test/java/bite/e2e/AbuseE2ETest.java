package bite.e2e;

import bite.Seeds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile and careless clients over real sockets: random bytes from many connections at once, and thousands of
 * connections dropped in every rude way. A control client's data and replies stay exact, and nothing leaks.
 * {@code -Dbite.seed=N} replays the random parts.
 */
class AbuseE2ETest {

    private static final int LINE_LIMIT = 8 * 1024;
    private static final int OUTPUT_LIMIT = 64 * 1024;

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    // --- random bytes from many connections -----------------------------------------------------------------------

    @Test
    void randomBytesFromManyConnectionsLeaveAControlClientsDataAndRepliesExact() throws Exception {
        long seed = Seeds.seed();
        server = TestServer.start(b -> b.maxLineBytes(LINE_LIMIT).maxOutputBytes(OUTPUT_LIMIT));
        try (TestClient control = server.client(); TestClient listener = server.client()) {
            assertThat(listener.ask("#k ctl")).isEqualTo("OK");
            List<String> heard = new ArrayList<>();
            CompletableFuture<Void> listening = async(() -> {
                for (String line = listener.readLine(); !line.equals("end 1"); line = listener.readLine()) heard.add(line);
            });

            AtomicBoolean attacking = new AtomicBoolean(true);
            List<CompletableFuture<Void>> attackers = new ArrayList<>();
            for (int a = 0; a < 16; a++) {
                Random random = new Random(seed + a);
                attackers.add(async(() -> {
                    List<Socket> lingering = new ArrayList<>();
                    try {
                        for (int round = 0; round < 12; round++) attack(random, lingering);
                    } finally {
                        for (Socket s : lingering) s.close();
                    }
                }));
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(attackers.toArray(CompletableFuture[]::new))
                    .whenComplete((v, e) -> attacking.set(false));

            // the control client: sets, increments and reads its own keys, pipelined, checking every reply exactly
            Random random = new Random(seed);
            TreeMap<String, String> model = new TreeMap<>();
            List<String> expectedPushes = new ArrayList<>();
            long counter = 0;
            int rounds = 0;
            while (attacking.get() || rounds < 50) {
                List<String> requests = new ArrayList<>();
                List<String> replies = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    String key = "k" + random.nextInt(40);
                    switch (random.nextInt(3)) {
                        case 0 -> {
                            String value = "v" + rounds + " é 😀 " + random.nextInt(1000);
                            requests.add("s ctl." + key + " " + value);
                            replies.add("OK");
                            model.put(key, value);
                            expectedPushes.add(key + " " + value);
                        }
                        case 1 -> {
                            requests.add("+1 ctl.n");
                            replies.add(String.valueOf(++counter));
                            model.put("n", String.valueOf(counter));
                            expectedPushes.add("n " + counter);
                        }
                        default -> {
                            requests.add("g ctl." + key);
                            replies.add(model.getOrDefault(key, ""));
                        }
                    }
                }
                control.sendLines(requests.toArray(String[]::new));
                assertThat(control.readLines(requests.size())).as("round %d: %s (seed %d)", rounds, requests, seed)
                        .isEqualTo(replies);
                rounds++;
            }
            all.get(60, TimeUnit.SECONDS);

            StringBuilder listing = new StringBuilder();
            model.forEach((k, v) -> listing.append(listing.isEmpty() ? "" : "\0").append(k).append(' ').append(v));
            assertThat(control.ask("k ctl")).as("seed %d", seed).isEqualTo(listing.toString());
            assertThat(control.ask("s ctl.end 1")).isEqualTo("OK");
            listening.get(10, TimeUnit.SECONDS);
            assertThat(heard).as("every push to the listener, once, in order (seed %d)", seed)
                    .isEqualTo(expectedPushes);
            Info.await(control, "the attackers' connections and subscriptions to go",
                    i -> i.get("connections").equals(2L) && i.get("subscriptions").equals(1L));
            try (TestClient late = server.client()) {
                assertThat(late.ask("ping")).isEqualTo("PONG");
            }
        }
    }

    /** One connection that misbehaves in one of several ways; it is closed, or left in {@code lingering}. */
    private void attack(Random r, List<Socket> lingering) throws IOException {
        Socket s = connect();
        try {
            OutputStream out = s.getOutputStream();
            switch (r.nextInt(5)) {
                case 0 -> { // garbage lines, then a half-close: exactly one reply per line that is not blank
                    ByteArrayOutputStream lines = new ByteArrayOutputStream();
                    int replies = 0;
                    for (int i = 0, n = r.nextInt(300); i < n; i++) {
                        byte[] line = garbageLine(r);
                        lines.writeBytes(line);
                        if (!isBlank(line)) replies++;
                    }
                    writeInPieces(out, lines.toByteArray(), r);
                    s.shutdownOutput();
                    String got = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertThat(got.chars().filter(c -> c == '\n').count()).as("replies to %d lines", replies)
                            .isEqualTo(replies);
                }
                case 1 -> { // an unfinished line, then a reset
                    byte[] line = garbageLine(r);
                    out.write(line, 0, Math.max(1, Math.min(line.length - 1, 1 + r.nextInt(20))));
                    s.setSoLinger(true, 0);
                }
                case 2 -> { // a line over the limit after a few good ones: answered in order, then closed
                    out.write("ping\ng junk.x\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] huge = new byte[LINE_LIMIT + r.nextInt(LINE_LIMIT)];
                    r.nextBytes(huge);
                    for (int i = 0; i < huge.length; i++) if (huge[i] == '\n') huge[i] = 'n';
                    writeInPieces(out, huge, r);
                    assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                            .matches("PONG\n.*\nERR line too long\n");
                }
                case 3 -> { // requests pipelined past the output limit, never read, then a reset
                    out.write("j ctl\nk ctl\nping\n".repeat(300).getBytes(StandardCharsets.US_ASCII));
                    s.setSoLinger(true, 0);
                }
                default -> { // a subscriber to the control client's keys that never reads, for a few rounds
                    out.write("#g ctl\n#k ctl.n\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(s.getInputStream().readNBytes(3)).asString().isEqualTo("OK\n");
                    if (r.nextBoolean()) s.setSoLinger(true, 0);
                    lingering.add(s);
                    return;
                }
            }
        } catch (IOException e) {
            throw new IOException("attack: " + e, e);
        }
        s.close();
    }

    /** Random bytes with no {@code \n} (NULs, invalid UTF-8, control characters), or a request on junk keys. */
    private static byte[] garbageLine(Random r) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        switch (r.nextInt(4)) {
            case 0 -> {
                byte[] bytes = new byte[r.nextInt(60)];
                r.nextBytes(bytes);
                for (byte b : bytes) line.write(b == '\n' ? 0 : b);
            }
            case 1 -> line.writeBytes(new byte[] {'s', ' ', 'j', 'u', 'n', 'k', '.', 'x', ' ', 0, (byte) 0xC3});
            case 2 -> line.writeBytes(" \t \r".substring(0, r.nextInt(5)).getBytes(StandardCharsets.US_ASCII));
            default -> {
                String[] requests = {"s junk.%d v\0v", "+1 junk.%d", "g junk.%d", "SL |junk.%d 1|junk..x 2",
                        "d junk.%d", "k junk", "j junk.%d", "js junk.%d", "! junk.%d hi", "bogus %d", "auth %d",
                        "s? junk.%d é", "+ junk.%d \u0001", "g \u007f%d", "ping %d", "info", "g junk.%d extra"};
                line.writeBytes(String.format(requests[r.nextInt(requests.length)], r.nextInt(50))
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        line.write('\n');
        return line.toByteArray();
    }

    /** True when the line gets no reply: empty or only spaces and tabs, once a {@code \r} before its end is gone. */
    private static boolean isBlank(byte[] line) {
        int end = line.length - 1; // the \n
        if (end > 0 && line[end - 1] == '\r') end--;
        for (int i = 0; i < end; i++) if (line[i] != ' ' && line[i] != '\t') return false;
        return true;
    }

    private static void writeInPieces(OutputStream out, byte[] bytes, Random r) throws IOException {
        for (int at = 0; at < bytes.length; ) {
            int n = Math.min(bytes.length - at, 1 + r.nextInt(4096));
            out.write(bytes, at, n);
            at += n;
        }
    }

    // --- replies never read --------------------------------------------------------------------------------------

    @Test
    void aClientThatNeverReadsItsLargeRepliesGetsOnlyOneShortBatchBeyondTheOutputLimit() throws Exception {
        server = TestServer.start(b -> b.maxOutputBytes(OUTPUT_LIMIT));
        String big = "b".repeat(200_000);
        int requests = 100; // 600 bytes: one read
        try (TestClient writer = server.client(); TestClient greedy = TestClient.connect(server.port(), 4096)) {
            assertThat(writer.ask("s big " + big)).isEqualTo("OK");
            long before = server.stats().commandsProcessed();
            greedy.send("g big\n".repeat(requests));
            // 64 replies of 200 kB fill the socket buffers and stay over the limit: the connection stops there, and
            // the rest of what it read waits (before, all 100 were applied at once: 20 MB queued)
            long applied = server.awaitStats("the first requests", s -> s.commandsProcessed() > before)
                    .commandsProcessed() - before;
            assertThat(applied).as("requests applied while the client reads nothing").isEqualTo(64);
            for (int i = 0; i < requests; i++) assertThat(greedy.readLine()).as("reply %d", i).isEqualTo(big);
            assertThat(greedy.ask("ping")).isEqualTo("PONG");
        }
    }

    // --- thousands of connections -------------------------------------------------------------------------------

    @Test
    void thousandsOfConnectionsDroppedInEveryWayLeakNothing() throws Exception {
        server = TestServer.start();
        try (TestClient control = server.client()) {
            assertThat(control.ask("s keep me")).isEqualTo("OK");
            long baselineFds = openFds();
            int waves = 6;
            int perWave = 500;
            for (int wave = 0; wave < waves; wave++) {
                List<Socket> sockets = new ArrayList<>(perWave);
                try {
                    for (int i = 0; i < perWave; i++) sockets.add(connect());
                    Info.await(control, "wave " + wave + " to be accepted",
                            info -> info.get("connections").equals(1L + perWave));
                    for (int i = 0; i < perWave; i++) drop(sockets.get(i), i % 6);
                } finally {
                    for (Socket s : sockets) s.close();
                }
                Info.await(control, "wave " + wave + " to be gone",
                        info -> info.get("connections").equals(1L) && info.get("subscriptions").equals(0L));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            long fds = openFds();
            while (fds > baselineFds + 10 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(5_000_000);
                fds = openFds();
            }
            assertThat(fds).as("open file descriptors; %d before", baselineFds).isLessThanOrEqualTo(baselineFds + 10);
            assertThat(control.ask("g keep")).isEqualTo("me");
            assertThat(Info.of(control)).containsEntry("connections", 1L).containsEntry("rejected_connections", 0L);
        }
    }

    /** Ends a connection one of six ways. */
    private static void drop(Socket s, int how) throws IOException {
        OutputStream out = s.getOutputStream();
        switch (how) {
            case 0 -> { } // closed without a word
            case 1 -> out.write("s churn.x half a li".getBytes(StandardCharsets.US_ASCII)); // mid-line, then FIN
            case 2 -> { // mid-line, then a reset
                out.write("s churn.x half".getBytes(StandardCharsets.US_ASCII));
                s.setSoLinger(true, 0);
            }
            case 3 -> { // a request whose reply is never read, then a reset
                out.write("ping\n".getBytes(StandardCharsets.US_ASCII));
                s.setSoLinger(true, 0);
            }
            case 4 -> { // a subscriber, reset: its subscription must go
                out.write("#g churn\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                assertThat(new String(in.readNBytes(3), StandardCharsets.US_ASCII)).isEqualTo("OK\n");
                s.setSoLinger(true, 0);
            }
            default -> out.write("s churn.y 1\n".getBytes(StandardCharsets.US_ASCII)); // a request, then FIN
        }
        s.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), TestClient.TIMEOUT_MILLIS);
        s.setSoTimeout(TestClient.TIMEOUT_MILLIS);
        return s;
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private interface IoRunnable {
        void run() throws IOException;
    }

    private static CompletableFuture<Void> async(IoRunnable body) {
        return CompletableFuture.runAsync(() -> {
            try {
                body.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, command -> Thread.ofVirtual().start(command));
    }
}
