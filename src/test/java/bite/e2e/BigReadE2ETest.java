package bite.e2e;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Big reads do not hold the writer (issue 14): a whole-database {@code j} of 200,000 keys, while a writer changes
 * those keys and a control client reads one key over and over. The control client's worst round trip while the
 * {@code j} is out stays under a generous bound (rendered on bite-db, the {@code j} held everyone for its whole
 * rendering, hundreds of ms at this size); and the reply shows exactly the state at its position in the order: the
 * writer's operations form a prefix in it, applied in full, nothing after it.
 */
class BigReadE2ETest {

    private static final int KEYS = 200_000;
    private static final String PAD = "-abcdefghijklmnopqrstuvwxyz0123456789";
    /** The bound on the control client's worst round trip during the read. */
    private static final long BOUND_MILLIS = 200;

    private static String key(int i) {
        return "d.%06d".formatted(i);
    }

    private static String initialValue(int i) {
        return "v" + i + PAD;
    }

    /** The writer's operation number {@code s} (from 1): on key (7 s mod KEYS), a delete every third, else a set. */
    private static int opKey(long s) {
        return (int) (s * 7 % KEYS);
    }

    private static boolean opDeletes(long s) {
        return s % 3 == 0;
    }

    @Test
    void wholeDatabaseJsonHoldsNobodyAndShowsTheStateAtItsPosition() throws Exception {
        try (TestServer server = TestServer.start(b -> b.maxLineBytes(4 * 1024 * 1024));
             TestClient loader = server.client(); TestClient reader = server.client();
             TestClient control = server.client(); TestClient writer = server.client()) {
            for (int from = 0; from < KEYS; from += 5_000) {
                StringBuilder line = new StringBuilder("sl |");
                for (int i = from; i < from + 5_000; i++) line.append(key(i)).append(' ').append(initialValue(i)).append('|');
                assertThat(loader.ask(line.append('\n').toString().stripTrailing())).isEqualTo("OK");
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong acked = new AtomicLong(); // writer operations answered so far
            Thread writes = Thread.ofPlatform().start(() -> {
                try {
                    for (long s = 1; !stop.get() && s < KEYS; s += 16) {
                        StringBuilder burst = new StringBuilder();
                        for (long t = s; t < s + 16; t++) {
                            burst.append(opDeletes(t) ? "d " + key(opKey(t)) : "s " + key(opKey(t)) + " w" + t).append('\n');
                        }
                        writer.send(burst.toString());
                        for (String reply : writer.readLines(16)) assertThat(reply).isEqualTo("OK");
                        acked.addAndGet(16);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            AtomicBoolean reading = new AtomicBoolean();
            AtomicLong worstNanos = new AtomicLong();
            AtomicLong probesDuringRead = new AtomicLong();
            Thread probes = Thread.ofPlatform().start(() -> {
                try {
                    while (!stop.get()) {
                        boolean during = reading.get();
                        long t0 = System.nanoTime();
                        assertThat(control.ask("g " + key(1))).isNotNull();
                        long took = System.nanoTime() - t0;
                        if (during && reading.get()) {
                            probesDuringRead.incrementAndGet();
                            worstNanos.accumulateAndGet(took, Math::max);
                        }
                        LockSupport.parkNanos(2_000_000); // the control client's pace: a read every ~2 ms
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            while (acked.get() < 1_000) LockSupport.parkNanos(1_000_000); // the writer is under way
            reading.set(true);
            reader.readTimeout(Duration.ofSeconds(60));
            String json = reader.ask("j");
            reading.set(false);
            stop.set(true);
            writes.join();
            probes.join();

            // Which writer operations the reply shows: they must be a prefix 1..m of the writer's order.
            String prefix = "{\"d\":{";
            assertThat(json).startsWith(prefix).endsWith("}}");
            String[] values = new String[KEYS];
            for (String member : json.substring(prefix.length(), json.length() - 2).split(",")) {
                int colon = member.indexOf(':');
                values[Integer.parseInt(member.substring(1, colon - 1))] = member.substring(colon + 2, member.length() - 1);
            }
            long m = 0;
            while (m + 1 < KEYS && shows(values, m + 1)) m++;
            for (long s = m + 1; s < KEYS && s <= acked.get() + 16; s++) {
                assertThat(shows(values, s)).as("writer operation %d shows though %d does not", s, m + 1).isFalse();
            }
            List<String> mismatches = new ArrayList<>();
            for (int i = 0; i < KEYS; i++) {
                String expected = initialValue(i);
                for (long s = 1; s <= m; s++) {
                    if (opKey(s) == i) expected = opDeletes(s) ? null : "w" + s;
                }
                if (!java.util.Objects.equals(expected, values[i]) && mismatches.size() < 5) {
                    mismatches.add(key(i) + " is " + values[i] + ", expected " + expected);
                }
            }
            assertThat(mismatches).as("the reply is the state after the writer's first %d operations", m).isEmpty();
            assertThat(m).as("the writer was under way before the read").isGreaterThanOrEqualTo(1_000);
            assertThat(probesDuringRead.get()).as("the control client read while the j was out").isPositive();
            assertThat(worstNanos.get() / 1_000_000).as("the control client's worst round trip during j, ms")
                    .isLessThan(BOUND_MILLIS);
        }
    }

    /** Whether the reply shows writer operation {@code s}'s effect. */
    private static boolean shows(String[] values, long s) {
        String v = values[opKey(s)];
        return opDeletes(s) ? v == null : ("w" + s).equals(v);
    }
}
