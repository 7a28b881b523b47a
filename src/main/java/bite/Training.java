package bite;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code java -XX:AOTCacheOutput=bite.aot -jar bite.jar train [--seconds N] [--data DIR]}: a training run for the
 * JDK's AOT cache (JEP 483/514/515). It starts a server on a loopback port with a scratch data directory, drives the
 * paths a game keeps hot from client connections in this same process (pipelined and one-at-a-time sets and gets, a
 * fan-out to 100 plain subscribers, tick-batched protocol-3 rooms, listings, JSON, counters, deletes, the HTTP
 * metrics), stops the server and returns; the JVM writes the cache as it exits. One process, so that a Dockerfile's
 * exec-form {@code RUN} can record the cache with no shell and no second program.
 *
 * <p>Runs on main. The clients are threads of this class that talk to the server only through its sockets, like
 * any client; the server's own threads are the usual ones.
 */
public final class Training {

    /** Each phase's length by default: the whole run takes about five of them, plus the start and the stop. */
    static final int DEFAULT_SECONDS = 2;
    static final int SUBSCRIBERS = 100;
    static final int ROOMS = 2;
    static final int PLAYERS = 25;
    private static final int PIPELINE = 16;

    /** What a run did: requests sent and lines received (replies and pushes), by every client together. */
    record Result(long requests, long received) {
    }

    private Training() {
    }

    /** Runs the command; {@code args} are the words after {@code train}. Returns the exit status (0, 1, or 2). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        int seconds = DEFAULT_SECONDS;
        Path data = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            if ((a.equals("--seconds") || a.equals("--data")) && value == null) {
                err.println("bite train: " + a + " needs a value");
                return 2;
            }
            switch (a) {
                case "--seconds" -> {
                    try {
                        seconds = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        seconds = -1;
                    }
                    if (seconds < 1 || seconds > 600) {
                        err.println("bite train: --seconds takes a whole number from 1 to 600, not '" + value + "'");
                        return 2;
                    }
                    i++;
                }
                case "--data" -> {
                    data = Path.of(value);
                    if (!isNewOrEmpty(data)) {
                        err.println("bite train: --data " + value + " must be a new or empty directory (the training"
                                + " run deletes it afterwards)");
                        return 2;
                    }
                    i++;
                }
                case "--help", "-h" -> {
                    out.println(usage());
                    return 0;
                }
                default -> {
                    err.println("bite train: unknown option '" + a + "'\n" + usage());
                    return 2;
                }
            }
        }
        try {
            long started = System.nanoTime();
            Result r = train(Duration.ofSeconds(seconds), data);
            out.printf("bite train: %d requests sent and %d lines received in %.1f s%n", r.requests(),
                    r.received(), (System.nanoTime() - started) / 1e9);
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("bite train: " + StartupFailure.describe(e));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("bite train: interrupted");
            return 1;
        }
    }

    /** Whether {@code dir} does not exist yet, or is an empty directory: the only ones a run may delete. */
    static boolean isNewOrEmpty(Path dir) {
        if (!Files.exists(dir)) return true;
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    static String usage() {
        return """
                usage: java -XX:AOTCacheOutput=bite.aot -jar bite.jar train [--seconds N] [--data DIR]
                  runs a server on a loopback port under a game-like load for about 5 x N seconds (default N = 2),
                  then stops; the JVM writes the AOT cache as it exits. --data: the scratch directory, new or empty
                  (default: a new temporary one); it is deleted at the end.""";
    }

    /**
     * Starts a server in {@code dataDir} (a new temporary directory when null; deleted afterwards either way, so it
     * must be new or empty), runs each phase for {@code phase}, and stops the server.
     */
    static Result train(Duration phase, Path dataDir) throws IOException, InterruptedException {
        if (dataDir != null && !isNewOrEmpty(dataDir)) {
            throw new IllegalArgumentException(dataDir + " is not a new or empty directory");
        }
        Path dir = dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory("bite-train");
        Config config = Config.builder().host("127.0.0.1").port(0).httpPort(0).dataDir(dir).build();
        AtomicLong requests = new AtomicLong();
        AtomicLong received = new AtomicLong();
        try (Server server = new Server(config).start()) {
            int port = server.port();
            long ms = phase.toMillis();
            keyValues(port, ms, requests);
            fanOut(port, ms, requests, received);
            rooms(port, ms, requests, received);
            everythingElse(port, server.httpAddress().getPort(), requests, received);
        } finally {
            deleteTree(dir);
        }
        return new Result(requests.get(), received.get());
    }

    /** Four clients: sixteen sets then sixteen gets in one write each, then one at a time, until the time is up. */
    private static void keyValues(int port, long millis, AtomicLong requests) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        runClients(4, c -> {
            try (TrainingLine line = TrainingLine.connect(port)) {
                StringBuilder sets = new StringBuilder();
                StringBuilder gets = new StringBuilder();
                for (int i = 0; i < PIPELINE; i++) {
                    sets.append("s train.kv.").append(c).append('.').append(i).append(" value-").append(i).append('\n');
                    gets.append("g train.kv.").append(c).append('.').append(i).append('\n');
                }
                while (System.nanoTime() < deadline) {
                    line.send(sets);
                    line.expect(PIPELINE);
                    line.send(gets);
                    line.expect(PIPELINE);
                    for (int i = 0; i < PIPELINE; i++) {
                        line.send("s train.one." + c + " " + i + "\n");
                        line.expect(1);
                        line.send("g train.one." + c + "\n");
                        line.expect(1);
                    }
                    requests.addAndGet(4 * PIPELINE);
                }
            }
        });
    }

    /**
     * {@link #SUBSCRIBERS} plain subscribers of {@code train.fan} in protocol 2 and one writer setting its children,
     * pausing a millisecond every ten writes (about 10,000 a second on a fast machine).
     */
    private static void fanOut(int port, long millis, AtomicLong requests, AtomicLong pushes)
            throws IOException, InterruptedException {
        List<TrainingLine> subscribers = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        try {
            for (int i = 0; i < SUBSCRIBERS; i++) {
                TrainingLine s = TrainingLine.connect(port);
                subscribers.add(s);
                s.send("#g train.fan\n");
                s.expect(1);
                readers.add(Thread.ofVirtual().name("train-sub-" + i).start(() -> s.countUntilClosed(pushes, false)));
            }
            try (TrainingLine writer = TrainingLine.connect(port)) {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
                for (long seq = 0; System.nanoTime() < deadline; seq++) {
                    writer.send("s train.fan." + (seq % 100) + " " + System.nanoTime() + "_padding\n");
                    writer.expect(1);
                    requests.incrementAndGet();
                    if (seq % 10 == 9) Thread.sleep(1);
                }
            }
        } finally {
            for (TrainingLine s : subscribers) s.close();
            for (Thread t : readers) t.join();
        }
    }

    /**
     * Protocol 3: {@link #ROOMS} rooms of {@link #PLAYERS}, each player subscribed to its room with {@code every=50}
     * and writing its position twenty times a second, as the load tool's game mode does.
     */
    private static void rooms(int port, long millis, AtomicLong requests, AtomicLong pushes)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        runClients(ROOMS * PLAYERS, p -> {
            int room = p % ROOMS;
            try (TrainingLine line = TrainingLine.connect(port)) {
                line.send("hello 3\n#k room." + room + " every=50\n");
                line.expect(2);
                Thread reader = Thread.ofVirtual().start(() -> line.countUntilClosed(pushes, false));
                try {
                    for (int tick = 0; System.nanoTime() < deadline; tick++) {
                        line.send("s room." + room + ".players." + p + ".pos " + tick + "," + (tick * 7 % 100) + "\n");
                        requests.incrementAndGet();
                        Thread.sleep(50);
                    }
                } finally {
                    line.shutdownOutput();
                    reader.join();
                }
            }
        });
    }

    /** Every other command once or a few times, a resume, and the HTTP endpoints. */
    private static void everythingElse(int port, int httpPort, AtomicLong requests, AtomicLong pushes)
            throws IOException {
        String[] commands = {
            "s? train.misc.a 1", "+1 train.misc.n", "+ train.misc.n 5", "sl train.misc.b 2 train.misc.c 3",
            "k train", "j train", "js train.misc", "#k train.misc", "#j train.misc", "! train.misc hello",
            "d train.misc.a", "dd train.kv", "#- train.misc bye", "info", "ping", "hello 3", "#g train.fan from=0:0",
            "ondisconnect s train.gone 1", "g train.misc.n"
        };
        try (TrainingLine line = TrainingLine.connect(port)) {
            for (int round = 0; round < 50; round++) {
                for (String c : commands) {
                    line.send(c + "\n");
                    line.readLine(); // a reply or a push: either way a line (the count need not match)
                    requests.incrementAndGet();
                }
            }
        }
        for (String path : new String[] {"/metrics", "/healthz", "/"}) {
            for (int i = 0; i < 20; i++) {
                try (TrainingLine http = TrainingLine.connect(httpPort)) {
                    http.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                    http.countUntilClosed(pushes, true); // the server ends the response's connection
                    requests.incrementAndGet();
                }
            }
        }
    }

    /** Runs {@code n} clients in virtual threads and waits for them; the first failure fails the phase. */
    private static void runClients(int n, ClientBody body) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(n);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            int c = i;
            Thread.ofVirtual().name("train-client-" + i).start(() -> {
                try {
                    body.run(c);
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        if (!failures.isEmpty()) throw new IllegalStateException("a training client failed: " + failures.getFirst(),
                failures.getFirst());
    }

    private interface ClientBody {
        void run(int client) throws Exception;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
