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
}
