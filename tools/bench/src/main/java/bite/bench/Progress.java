package bite.bench;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/** The live progress line and the shared parts of the summary. */
final class Progress {

    private Progress() {
    }

    /**
     * Prints, once a second from {@code start} (a {@link System#nanoTime()}), how many operations completed in that
     * second and in all, until {@code done}; checks it every 20 ms. A run that lasts a second or more always gets
     * at least one line.
     */
    static void report(PrintStream out, boolean quiet, long start, LongSupplier completed, BooleanSupplier done)
            throws InterruptedException {
        long nextReport = start + 1_000_000_000L;
        long lastCount = 0;
        long lastAt = start;
        while (true) {
            boolean finished = done.getAsBoolean(); // read before the clock: a run that ended late reports first
            long now = System.nanoTime();
            if (now >= nextReport) {
                long count = completed.getAsLong();
                if (!quiet) {
                    out.printf(Locale.ROOT, "  %5.1f s  %,12.0f ops/s  (%,d done)%n", (now - start) / 1e9,
                            (count - lastCount) / ((now - lastAt) / 1e9), count);
                }
                lastCount = count;
                lastAt = now;
                do {
                    nextReport += 1_000_000_000L;
                } while (nextReport <= now);
            }
            if (finished) {
                return;
            }
            Thread.sleep(20); // polling the load's own counters for a display; nothing is decided by this
        }
    }

    static void printLatency(PrintStream out, String label, Histogram h) {
        if (h.count() == 0) {
            out.println(label + ": no samples");
            return;
        }
        out.printf(Locale.ROOT, "%s (ms, n=%d): p50=%.3f p90=%.3f p99=%.3f p99.9=%.3f max=%.3f mean=%.3f%n",
                label, h.count(), ms(h.percentile(50)), ms(h.percentile(90)), ms(h.percentile(99)),
                ms(h.percentile(99.9)), ms(h.max()), h.mean() / 1e6);
    }

    /** The percentiles in microseconds as {@code key=value} fields for the RESULT line. */
    static String percentileFields(Histogram h) {
        return String.format(Locale.ROOT, "p50_us=%.1f p90_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f",
                h.percentile(50) / 1e3, h.percentile(90) / 1e3, h.percentile(99) / 1e3, h.percentile(99.9) / 1e3,
                h.max() / 1e3);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
