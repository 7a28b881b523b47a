package bite.storage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecoveryTextTest {

    @Test
    void logFileNamesAreZeroPaddedToTwelveDigits() {
        assertThat(LogFile.name(1)).isEqualTo("log-000000000001.bite");
        assertThat(LogFile.name(123_456_789_012L)).isEqualTo("log-123456789012.bite");
        assertThat(LogFile.name(1_234_567_890_123L)).isEqualTo("log-1234567890123.bite");
    }

    @Test
    void onlyExactLogFileNamesHaveAGeneration() {
        assertThat(LogFile.generationOf("log-000000000001.bite")).isEqualTo(1);
        assertThat(LogFile.generationOf("log-999999999999.bite")).isEqualTo(999_999_999_999L);
        assertThat(LogFile.generationOf(LogFile.name(42))).isEqualTo(42);
        for (String other : new String[]{"log-00000000001.bite", "log-0000000000001.bite", "log-00000000000a.bite",
                "log-000000000001.bitf", "lag-000000000001.bite", "log-+00000000001.bite", "snapshot.bite", "",
                "log-000000000001.bite.tmp", "bite.lock"}) {
            assertThat(LogFile.generationOf(other)).as(other).isEqualTo(-1);
        }
    }
}
