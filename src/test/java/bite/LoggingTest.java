package bite;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** The log's level scope and its two formats. */
class LoggingTest {

    @AfterEach
    void restore() {
        Logging.configure(System.Logger.Level.INFO, Config.LogFormat.TEXT);
    }

    @Test
    void theLevelAppliesToBitesLoggersOnly() {
        Logging.configure(System.Logger.Level.DEBUG, Config.LogFormat.TEXT);
        assertThat(Logger.getLogger("bite").isLoggable(Level.FINE)).isTrue();
        assertThat(Logger.getLogger("bite.net").isLoggable(Level.FINE)).isTrue();
        assertThat(Logger.getLogger("java.lang.Runtime").isLoggable(Level.FINE)).as("the JDK's").isFalse();
        assertThat(Logger.getLogger("jdk.event.security").isLoggable(Level.INFO)).isFalse();
        assertThat(Logger.getLogger("java.lang.Runtime").isLoggable(Level.WARNING)).isTrue();
        Logging.configure(System.Logger.Level.ERROR, Config.LogFormat.TEXT);
        assertThat(Logger.getLogger("bite.storage").isLoggable(Level.WARNING)).isFalse();
        assertThat(Logger.getLogger("java.lang.Runtime").isLoggable(Level.WARNING)).as("stricter: both").isFalse();
    }

    @Test
    void textLinesHaveMillisecondsAlwaysAndPlainNumbers() {
        LogRecord r = record(Level.INFO, "storage thread did not stop within {0} ms");
        r.setParameters(new Object[]{3000L});
        r.setInstant(Instant.parse("2026-12-03T06:14:32Z")); // no millis: Instant.toString would drop them
        assertThat(new Logging.TextFormatter().format(r))
                .isEqualTo("2026-12-03T06:14:32.000Z INFO bite.storage: storage thread did not stop within 3000 ms"
                        + System.lineSeparator());
    }

    @Test
    void jsonIsOneObjectPerLine() {
        LogRecord r = record(Level.WARNING, "a \"quoted\"\nmessage");
        r.setInstant(Instant.parse("2026-12-03T06:14:32.120Z"));
        assertThat(new Logging.JsonFormatter().format(r)).isEqualTo("{\"time\":\"2026-12-03T06:14:32.120Z\","
                + "\"level\":\"WARN\",\"logger\":\"bite.storage\",\"message\":\"a \\\"quoted\\\"\\nmessage\"}"
                + System.lineSeparator());
        r.setThrown(new IllegalStateException("boom"));
        String withError = new Logging.JsonFormatter().format(r);
        assertThat(withError.lines()).hasSize(1);
        assertThat(withError).contains(",\"error\":\"java.lang.IllegalStateException: boom\\n\\tat ");
    }

    private static LogRecord record(Level level, String message) {
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName("bite.storage");
        return r;
    }
}
