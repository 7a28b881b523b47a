package bite.net;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which silence closes a connection: --idle-timeout (subscribers exempt), --session-timeout (protocol 3, all). */
class SilenceLimitsTest {

    @Test
    void protocol3ConnectionsHaveTheSessionTimeoutSubscribersToo() {
        SilenceLimits limits = new SilenceLimits(0, 30_000);
        assertThat(limits.timeoutMillis(2, false)).isZero();
        assertThat(limits.timeoutMillis(2, true)).isZero();
        assertThat(limits.timeoutMillis(3, false)).isEqualTo(30_000);
        assertThat(limits.timeoutMillis(3, true)).isEqualTo(30_000);
        assertThat(limits.reason(3, true)).isEqualTo("silent for 30000 ms (--session-timeout)");
    }

    @Test
    void theShorterOfTheTwoCounts() {
        SilenceLimits limits = new SilenceLimits(5_000, 30_000);
        assertThat(limits.timeoutMillis(2, false)).isEqualTo(5_000);
        assertThat(limits.timeoutMillis(2, true)).as("a protocol-2 subscriber is exempt").isZero();
        assertThat(limits.timeoutMillis(3, false)).isEqualTo(5_000);
        assertThat(limits.reason(3, false)).isEqualTo("idle for 5000 ms");
        assertThat(limits.timeoutMillis(3, true)).isEqualTo(30_000);
        assertThat(new SilenceLimits(60_000, 0).timeoutMillis(3, false)).isEqualTo(60_000);
        assertThat(new SilenceLimits(0, 0).timeoutMillis(3, true)).isZero();
    }

    @Test
    void aReadWaitsForWhatIsLeftOfTheLimitAndAParkableOneAtMostUntilItParks() {
        assertThat(SilenceLimits.readTimeoutMillis(0, 10_000, false)).as("no limit: for ever").isZero();
        assertThat(SilenceLimits.readTimeoutMillis(30_000, 1_000, false)).isEqualTo(29_000);
        assertThat(SilenceLimits.readTimeoutMillis(30_000, 40_000, false)).as("reached: at once").isEqualTo(1);
        int park = IdleReaders.PARK_AFTER_MILLIS;
        assertThat(SilenceLimits.readTimeoutMillis(0, 10_000, true)).isEqualTo(park);
        assertThat(SilenceLimits.readTimeoutMillis(30_000, 0, true)).isEqualTo(park);
        assertThat(SilenceLimits.readTimeoutMillis(30_000, 29_500, true)).isEqualTo(500);
    }
}
