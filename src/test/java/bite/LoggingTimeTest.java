package bite;

import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class LoggingTimeTest {

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void timestampsMatchJavaTimeToTheMillisecond() {
        assertThat(Logging.LineFormatter.utc(0)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(Logging.LineFormatter.utc(1_795_487_032_083L)).isEqualTo(ISO_MILLIS.format(
                java.time.Instant.ofEpochMilli(1_795_487_032_083L)));
        assertThat(Logging.LineFormatter.utc(951_782_400_000L)).isEqualTo("2000-02-29T00:00:00.000Z"); // leap day
        assertThat(Logging.LineFormatter.utc(-1)).isEqualTo("1969-12-31T23:59:59.999Z");
        Random random = new Random(5);
        long from = -2_208_988_800_000L; // 1900
        long to = 253_402_300_799_999L;  // 9999-12-31T23:59:59.999
        for (int i = 0; i < 200_000; i++) {
            long t = from + (long) (random.nextDouble() * (to - from));
            assertThat(Logging.LineFormatter.utc(t)).isEqualTo(ISO_MILLIS.format(java.time.Instant.ofEpochMilli(t)));
        }
    }
}
