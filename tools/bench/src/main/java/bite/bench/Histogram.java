package bite.bench;

/**
 * A log-bucketed latency histogram: values are exact below 128, above that each power of two is cut into 64
 * sub-buckets, so a reported value is at most 1/64 (1.6 %) above the true one. It covers every non-negative
 * {@code long} in 4096 counters (32 KiB). The bucket layout is the one of loadgen's {@code common.h}, so numbers
 * from the load tool (bite-bench.jar) and from {@code kvload} mean the same thing.
 *
 * <p>Not thread-safe: each connection records into its own histogram, and they are {@link #add added} together at
 * the end.
 */
final class Histogram {

    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS;
    static final int BUCKETS = 64 * SUB;

    private final long[] counts = new long[BUCKETS];
    private long count;
    private long min = Long.MAX_VALUE;
    private long max;
    private double sum;

    static int indexOf(long value) {
        if (value < 2 * SUB) {
            return (int) value;
        }
        int msb = 63 - Long.numberOfLeadingZeros(value);
        int e = msb - SUB_BITS;
        return e * SUB + (int) (value >>> e);
    }

    /** The highest value that falls into bucket {@code index}. */
    static long highestIn(int index) {
        if (index < 2 * SUB) {
            return index;
        }
        int e = index / SUB - 1;
        long m = index % SUB + SUB;
        long high = ((m + 1) << e) - 1;
        return high < 0 ? Long.MAX_VALUE : high; // the last bucket's edge is past Long.MAX_VALUE
    }

    /** Records one value; negative values (a clock that stepped back) count as 0. */
    void record(long value) {
        long v = Math.max(0, value);
        counts[indexOf(v)]++;
        count++;
        sum += v;
        if (v < min) {
            min = v;
        }
        if (v > max) {
            max = v;
        }
    }

    void add(Histogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        sum += other.sum;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    long count() {
        return count;
    }

    long min() {
        return count == 0 ? 0 : min;
    }

    long max() {
        return max;
    }

    double mean() {
        return count == 0 ? 0 : sum / count;
    }

    /**
     * The value below or at which {@code percent} percent of the recorded values lie: the upper edge of the bucket
     * that holds the value of that rank, clamped to [min, max]. 0 when empty; {@code percentile(100)} is the max.
     */
    long percentile(double percent) {
        if (count == 0) {
            return 0;
        }
        if (percent >= 100.0) {
            return max;
        }
        // the small subtraction keeps 99.9 % of 1000 at rank 999 despite binary floating point
        long rank = Math.max(1, (long) Math.ceil(percent * count / 100.0 - 1e-9));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.clamp(highestIn(i), min, max);
            }
        }
        return max;
    }
}
