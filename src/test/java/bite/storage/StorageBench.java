package bite.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * Storage numbers for docs/STORAGE.md (a benchmark, not a test): snapshot time and size, recovery time, and write
 * throughput and ack latency under each fsync policy, with N keys loaded (default 1,000,000) and snapshots running.
 *
 * <pre>
 *   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -q -B test-compile
 *   java -Xmx4g -cp target/classes:target/test-classes bite.storage.StorageBench [keys] [seconds per mode]
 * </pre>
 *
 * The driver stands in for the database thread: it submits one change-set of one key at a time, keeping up to 64
 * unacknowledged (64 clients each waiting for its OK), and measures submit-to-onDurable latency.
 */
public final class StorageBench {

    private static final int IN_FLIGHT = 64;

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        java.util.logging.Logger.getLogger("bite.storage").setLevel(java.util.logging.Level.WARNING);
        Path root = Files.createTempDirectory("bite-bench");
        try {
            HashMap<String, String> data = new HashMap<>();
            for (int i = 0; i < keys; i++) {
                data.put(key(i), "x=" + i + " y=" + (i * 7 % 1000) + " z=0");
            }
            Path dir = Files.createDirectories(root.resolve("data"));
            long best = Long.MAX_VALUE;
            long bytes = 0;
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                bytes = SnapshotFile.write(dir, data, 1, System.currentTimeMillis());
                best = Math.min(best, System.nanoTime() - t0);
            }
            System.out.printf("snapshot: %,d keys, %,d bytes (%.1f MB), best of 3: %d ms%n",
                    keys, bytes, bytes / 1e6, best / 1_000_000);
            for (int i = 0; i < 2; i++) { // the second run is the one with a warm JIT
                long t0 = System.nanoTime();
                try (Storage s = Storage.open(dir, FsyncPolicy.NO, Duration.ofHours(1))) {
                    Acks acks = new Acks(s);
                    System.out.printf("recovery (open, %s): %,d keys in %d ms%n", i == 0 ? "cold" : "warm",
                            s.recovered().size(), (System.nanoTime() - t0) / 1_000_000);
                }
            }
            for (FsyncPolicy fsync : FsyncPolicy.values()) {
                for (Duration interval : List.of(Duration.ofSeconds(1), Duration.ofHours(1))) {
                    run(dir, fsync, interval, seconds, keys);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static String key(int i) {
        return "room." + (i / 100) + ".player." + (i % 100) + ".pos";
    }

    private static void run(Path dir, FsyncPolicy fsync, Duration interval, int seconds, int keys)
            throws IOException, InterruptedException {
        long[] latencies = new long[4_000_000];
        int[] count = {0};
        Semaphore window = new Semaphore(IN_FLIGHT);
        long ops = 0;
        StorageStats stats;
        long elapsed;
        try (Storage s = Storage.open(dir, fsync, interval)) {
            Acks acks = new Acks(s);
            s.recovered();
            System.gc(); // the freshly loaded million keys would otherwise be copied by the first young pauses
            acks.start();
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            int i = 0;
            while (System.nanoTime() < end) {
                window.acquire();
                long t = System.nanoTime();
                i = (i + 7919) % keys;
                acks.submit(List.of(new Change(key(i), "x=" + ops)), () -> {
                    long lat = System.nanoTime() - t; // runs on bite-storage only: no race on count
                    if (count[0] < latencies.length) {
                        latencies[count[0]++] = lat;
                    }
                    window.release();
                });
                ops++;
            }
            window.acquire(IN_FLIGHT);
            elapsed = System.nanoTime() - start;
            stats = s.stats();
        }
        long[] lat = Arrays.copyOf(latencies, count[0]);
        Arrays.sort(lat);
        System.out.printf("%-8s snapshots every %-4s: %,9.0f writes/s, ack latency p50 %6.3f ms, p99 %6.3f ms,"
                        + " p99.9 %6.3f ms, max %7.3f ms; %d snapshots, %,d fsyncs for %,d log records%n",
                fsync.wireName(), interval.toSeconds() >= 3600 ? "1h" : interval.toSeconds() + "s",
                ops * 1e9 / elapsed, pct(lat, 0.50), pct(lat, 0.99), pct(lat, 0.999), pct(lat, 1.0),
                stats.snapshots(), stats.logFsyncs(), stats.logRecords());
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    private StorageBench() {
        throw new AssertionError();
    }
}
