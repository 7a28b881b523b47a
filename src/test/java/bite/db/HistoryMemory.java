package bite.db;

import bite.command.Command;

import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * Measures what the event history costs in heap: the same writes applied with {@code --history N} and with
 * {@code --history 0}, heap used after a full collection compared. Each write sets one of 1,000 keys to a fresh
 * 32-byte value, so the history (not the keyspace) is what keeps old values alive: the worst case for its memory.
 * Run: {@code java -cp target/classes:target/test-classes bite.db.HistoryMemory [N]} (docs/BENCHMARKS.md).
 */
public final class HistoryMemory {

    private HistoryMemory() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        long without = usedAfter(0, 2 * n);
        long with = usedAfter(n, 2 * n);
        System.out.printf("history %d: %d bytes more heap, %.1f bytes per event held%n", n, with - without,
                (double) (with - without) / n);
    }

    private static long usedAfter(int history, int writes) {
        Database db = new Database(Map.of(), 1 << 20, DatabaseWiring.defaults().history(history)
                .ticks((delay, tick) -> { }, System::currentTimeMillis));
        for (int i = 0; i < writes; i++) {
            db.apply(null, new Command.Set("room.1.p" + (i % 1_000), String.format("%032d", i)));
            if (i % 1_000 == 0) db.drainChanges();
        }
        db.drainChanges();
        long used = heapUsed();
        if (db.keyspace().size() != 1_000) throw new AssertionError(); // keeps db reachable until measured
        return used;
    }

    private static long heapUsed() {
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
