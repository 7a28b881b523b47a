package bite;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
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

    private static final class LineFormatter extends Formatter {
        @Override
        public String format(LogRecord r) {
            StringBuilder sb = new StringBuilder(128)
                    .append(Instant.ofEpochMilli(r.getMillis())).append(' ')
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

        private static String levelName(Level level) {
            if (level.intValue() >= Level.SEVERE.intValue()) return "ERROR";
            if (level.intValue() >= Level.WARNING.intValue()) return "WARN";
            if (level.intValue() >= Level.INFO.intValue()) return "INFO";
            if (level.intValue() >= Level.FINE.intValue()) return "DEBUG";
            return "TRACE";
        }
    }
}
