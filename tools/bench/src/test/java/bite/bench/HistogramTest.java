package bite.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HistogramTest {

    @Test
    void emptyHistogramReportsZeros() {
        Histogram h = new Histogram();

        assertThat(h.count()).isZero();
        assertThat(h.percentile(50)).isZero();
        assertThat(h.percentile(100)).isZero();
        assertThat(h.min()).isZero();
        assertThat(h.max()).isZero();
        assertThat(h.mean()).isZero();
    }

    @Test
    void smallValuesAreExact() {
        Histogram h = new Histogram();
        for (int v = 1; v <= 100; v++) {
            h.record(v);
        }

        assertThat(h.percentile(50)).isEqualTo(50);
        assertThat(h.percentile(90)).isEqualTo(90);
        assertThat(h.percentile(99)).isEqualTo(99);
        assertThat(h.percentile(100)).isEqualTo(100);
        assertThat(h.min()).isEqualTo(1);
        assertThat(h.mean()).isEqualTo(50.5);
    }

    @Test
    void percentileIsTheValueOfThatRankRoundedUpAtMostOneSixtyFourth() {
        Histogram h = new Histogram();
        for (long v = 1; v <= 1_000_000; v++) {
            h.record(v * 1000); // 1 us .. 1 s in ns
        }
        for (double p : new double[] {1, 10, 50, 90, 99, 99.9, 99.99}) {
            long exact = Math.round(p / 100 * 1_000_000) * 1000;
            assertThat(h.percentile(p)).as("p%s", p)
                    .isGreaterThanOrEqualTo(exact)
                    .isLessThanOrEqualTo(exact + exact / 64);
        }
        assertThat(h.percentile(100)).isEqualTo(1_000_000_000L);
    }

    @Test
    void percentileOfASingleValueIsThatValue() {
        Histogram h = new Histogram();
        h.record(123_456_789);

        assertThat(h.percentile(0.1)).isEqualTo(123_456_789);
        assertThat(h.percentile(50)).isEqualTo(123_456_789);
        assertThat(h.percentile(99.9)).isEqualTo(123_456_789);
    }

    @Test
    void rankIsNotThrownOffByFloatingPoint() {
        // 99.9 % of 41000 is rank 40959 exactly, but 99.9 * 41000 / 100 is 40959.00000000001 in binary floating
        // point: the 40960th value must not be reported
        Histogram h = new Histogram();
        for (int i = 0; i < 40_959; i++) {
            h.record(10);
        }
        for (int i = 0; i < 41; i++) {
            h.record(1_000_000);
        }

        assertThat(h.percentile(99.9)).isEqualTo(10);
        assertThat(h.percentile(99.91)).isEqualTo(1_000_000);
    }

    @Test
    void everyBucketEdgeMapsBackToItsBucketAndTheNextValueToTheNext() {
        for (int i = 0; i < Histogram.BUCKETS - 1; i++) {
            long high = Histogram.highestIn(i);
            if (high == Long.MAX_VALUE) {
                break;
            }
            assertThat(Histogram.indexOf(high)).as("bucket %d edge %d", i, high).isEqualTo(i);
            assertThat(Histogram.indexOf(high + 1)).as("after bucket %d", i).isEqualTo(i + 1);
        }
        assertThat(Histogram.indexOf(Long.MAX_VALUE)).isLessThan(Histogram.BUCKETS);
    }

    @Test
    void hugeAndNegativeValuesAreRecordedWithoutOverflow() {
        Histogram h = new Histogram();
        h.record(Long.MAX_VALUE);
        h.record(-5);

        assertThat(h.count()).isEqualTo(2);
        assertThat(h.min()).isZero();
        assertThat(h.max()).isEqualTo(Long.MAX_VALUE);
        assertThat(h.percentile(50)).isZero();
        assertThat(h.percentile(99)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void addMergesCountsAndExtremes() {
        Histogram a = new Histogram();
        Histogram b = new Histogram();
        for (int v = 1; v <= 50; v++) {
            a.record(v);
        }
        for (int v = 51; v <= 100; v++) {
            b.record(v);
        }
        Histogram empty = new Histogram();

        a.add(b);
        a.add(empty);

        assertThat(a.count()).isEqualTo(100);
        assertThat(a.min()).isEqualTo(1);
        assertThat(a.max()).isEqualTo(100);
        assertThat(a.percentile(75)).isEqualTo(75);
        assertThat(a.mean()).isCloseTo(50.5, within(1e-9));
    }
}
