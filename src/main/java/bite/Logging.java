package bite;

import bite.protocol.Json;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.text.MessageFormat;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sends {@link System.Logger} output (backed by java.util.logging) to stderr, one event per line, as text or as
 * JSON. The operator's level applies to Bite's own loggers ({@code bite} and below); the JDK's loggers stay at
 * WARNING (or the operator's level when it is stricter), so {@code --log-level debug} is not the JDK's debug output.
 * Configured once on the main thread; formatting runs on whichever thread logs.
 *
 * <p>One way for everything: timestamps in UTC with milliseconds ({@code 2026-12-03T06:14:32.120Z}), numbers as
 * plain digits ({@code 1000000}, never {@code 1,000,000}), levels ERROR, WARN, INFO, DEBUG, TRACE.
 */
final class Logging {

    /** Java.util.logging holds its loggers weakly: this keeps Bite's, and the level set on it, alive. */
    private static final Logger BITE = Logger.getLogger("bite");
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Logging() {
        throw new AssertionError();
    }

    static void configure(System.Logger.Level level, Config.LogFormat format) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) root.removeHandler(h);
        ConsoleHandler handler = new ConsoleHandler(); // stderr
        handler.setLevel(Level.ALL);
        handler.setFormatter(format == Config.LogFormat.JSON ? new JsonFormatter() : new TextFormatter());
        root.addHandler(handler);
        Level bite = toJul(level);
        root.setLevel(bite.intValue() > Level.WARNING.intValue() ? bite : Level.WARNING);
        BITE.setLevel(bite);
    }

    /** Parses {@code error|warning|info|debug|trace|off|all} (any case). */
    static System.Logger.Level parseLevel(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
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

    static String levelName(Level level) {
        if (level.intValue() >= Level.SEVERE.intValue()) return "ERROR";
        if (level.intValue() >= Level.WARNING.intValue()) return "WARN";
        if (level.intValue() >= Level.INFO.intValue()) return "INFO";
        if (level.intValue() >= Level.FINE.intValue()) return "DEBUG";
        return "TRACE";
    }

    /** The message with its parameters filled in, numbers as plain digits (no locale grouping). */
    static String message(LogRecord r) {
        String text = r.getMessage() == null ? "" : r.getMessage();
        Object[] params = r.getParameters();
        if (params == null || params.length == 0 || !text.contains("{")) return text;
        Object[] plain = new Object[params.length];
        for (int i = 0; i < params.length; i++) {
            plain[i] = params[i] instanceof Number n ? n.toString() : params[i];
        }
        try {
            return new MessageFormat(text, Locale.ROOT).format(plain);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    static String stackTrace(Throwable t) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    /** {@code 2026-12-03T06:14:32.120Z INFO bite: Bite listening on 127.0.0.1:1984}, then any stack trace. */
    static final class TextFormatter extends Formatter {
        @Override
        public String format(LogRecord r) {
            StringBuilder sb = new StringBuilder(128)
                    .append(TIME.format(r.getInstant())).append(' ')
                    .append(levelName(r.getLevel())).append(' ')
                    .append(r.getLoggerName()).append(": ")
                    .append(message(r)).append(System.lineSeparator());
            if (r.getThrown() != null) sb.append(stackTrace(r.getThrown()));
            return sb.toString();
        }
    }

    /**
     * One JSON object per line for log collectors: {@code time}, {@code level}, {@code logger}, {@code message},
     * and {@code error} (the stack trace) when there is one.
     */
    static final class JsonFormatter extends Formatter {
        @Override
        public String format(LogRecord r) {
            StringBuilder sb = new StringBuilder(160)
                    .append("{\"time\":\"").append(TIME.format(r.getInstant()))
                    .append("\",\"level\":\"").append(levelName(r.getLevel()))
                    .append("\",\"logger\":").append(Json.quote(String.valueOf(r.getLoggerName())))
                    .append(",\"message\":").append(Json.quote(message(r)));
            if (r.getThrown() != null) sb.append(",\"error\":").append(Json.quote(stackTrace(r.getThrown())));
            return sb.append('}').append(System.lineSeparator()).toString();
        }
    }
}
