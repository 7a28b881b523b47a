package bite;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sends {@link System.Logger} output (backed by java.util.logging) to stderr, one line per event, at the level the
 * operator chose. The server itself only ever uses {@code System.getLogger}.
 */
final class Logging {

    private Logging() {
        throw new AssertionError();
    }

    static void configure(System.Logger.Level level) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) root.removeHandler(h);
        ConsoleHandler handler = new ConsoleHandler(); // stderr
        handler.setLevel(Level.ALL);
        handler.setFormatter(new LineFormatter());
        root.addHandler(handler);
        root.setLevel(toJul(level));
    }

    /** Parses {@code error|warning|info|debug|trace|off|all} (any case). */
    static System.Logger.Level parseLevel(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "error" -> System.Logger.Level.ERROR;
            case "warning", "warn" -> System.Logger.Level.WARNING;
            case "info" -> System.Logger.Level.INFO;
            case "debug" -> System.Logger.Level.DEBUG;
            case "trace" -> System.Logger.Level.TRACE;
            case "off" -> System.Logger.Level.OFF;
            case "all" -> System.Logger.Level.ALL;
            default -> throw new IllegalArgumentException("expected error, warning, info, debug, trace or off");
        };
    }

    private static Level toJul(System.Logger.Level level) {
        return switch (level) {
            case ALL -> Level.ALL;
            case TRACE -> Level.FINER;
            case DEBUG -> Level.FINE;
            case INFO -> Level.INFO;
            case WARNING -> Level.WARNING;
            case ERROR -> Level.SEVERE;
            case OFF -> Level.OFF;
        };
    }

    static final class LineFormatter extends Formatter {
        @Override
        public String format(LogRecord r) {
            StringBuilder sb = new StringBuilder(128)
                    .append(utc(r.getMillis())).append(' ')
                    .append(levelName(r.getLevel())).append(' ')
                    .append(r.getLoggerName()).append(": ")
                    .append(formatMessage(r)).append(System.lineSeparator());
            if (r.getThrown() != null) {
                StringWriter trace = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(trace));
                sb.append(trace);
            }
            return sb.toString();
        }

        /**
         * {@code 2026-11-24T02:23:52.083Z}: ISO-8601 in UTC with milliseconds, by hand, because the first use of
         * {@code java.time}'s formatter loads dozens of classes during every start-up.
         */
        static String utc(long epochMillis) {
            long days = Math.floorDiv(epochMillis, 86_400_000L);
            long millisOfDay = Math.floorMod(epochMillis, 86_400_000L);
            // civil date from days since 1970-01-01 (the proleptic Gregorian calendar, as java.time uses)
            long z = days + 719_468;
            long era = Math.floorDiv(z, 146_097);
            long doe = z - era * 146_097;
            long yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
            long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            long mp = (5 * doy + 2) / 153;
            long day = doy - (153 * mp + 2) / 5 + 1;
            long month = mp < 10 ? mp + 3 : mp - 9;
            long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
            StringBuilder sb = new StringBuilder(24);
            pad(sb, year, 4).append('-');
            pad(sb, month, 2).append('-');
            pad(sb, day, 2).append('T');
            pad(sb, millisOfDay / 3_600_000, 2).append(':');
            pad(sb, millisOfDay / 60_000 % 60, 2).append(':');
            pad(sb, millisOfDay / 1_000 % 60, 2).append('.');
            return pad(sb, millisOfDay % 1_000, 3).append('Z').toString();
        }

        private static StringBuilder pad(StringBuilder sb, long value, int width) {
            String digits = Long.toString(value);
            for (int i = digits.length(); i < width; i++) sb.append('0');
            return sb.append(digits);
        }

        private static String levelName(Level level) {
            if (level.intValue() >= Level.SEVERE.intValue()) return "ERROR";
            if (level.intValue() >= Level.WARNING.intValue()) return "WARN";
            if (level.intValue() >= Level.INFO.intValue()) return "INFO";
            if (level.intValue() >= Level.FINE.intValue()) return "DEBUG";
            return "TRACE";
        }
    }
}
