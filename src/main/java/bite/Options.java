package bite;

import bite.http.OriginPolicy;
import bite.storage.FsyncPolicy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Every option of the server, defined once: its flag, environment variable, default, help text and how its value
 * is parsed and applied to a {@link Config.Builder}. {@code --help} ({@link Main#usage}), the command-line and
 * environment parser ({@link Main#parse}), the defaults of {@link Config.Builder} and the README's configuration
 * table ({@link #markdownTable}, checked by {@code OptionsTest}, rewritten by {@code make readme-options}) all come
 * from {@link #ALL}. Stateless; used on the main thread at start-up.
 */
final class Options {

    /** Parses a value and sets it on a builder; throws {@link IllegalArgumentException} saying what is wrong. */
    @FunctionalInterface
    interface Setter {
        void apply(Config.Builder builder, String value);
    }

    /**
     * One option.
     *
     * @param flag         {@code --name}
     * @param valueName    what the flag's value is called in {@code --help} ({@code P}, {@code FILE}); null for a
     *                     switch such as {@code --no-persist}, which takes no value
     * @param env          the environment variable; a switch's accepts {@link #TRUE_WORDS} and {@link #FALSE_WORDS}
     * @param defaultValue the text that, set through {@code setter}, gives the default; null: none (a switch: off)
     * @param shownDefault the default as {@code --help} and the README show it
     * @param help         one line for {@code --help} and the README
     * @param setter       applies a value (a switch gets null)
     */
    record Option(String flag, String valueName, String env, String defaultValue, String shownDefault, String help,
                  Setter setter) {

        boolean isSwitch() {
            return valueName == null;
        }

        /** {@code --port P}, or {@code --no-persist}. */
        String usageName() {
            return isSwitch() ? flag : flag + " " + valueName;
        }
    }

    /** The values a switch's environment variable accepts; anything else is a usage error. */
    static final List<String> TRUE_WORDS = List.of("1", "true", "yes", "on");
    static final List<String> FALSE_WORDS = List.of("0", "false", "no", "off", "");

    /** Every option, in the order {@code --help} and the README list them. */
    static final List<Option> ALL = List.of(
            new Option("--host", "H", "BITE_HOST", "127.0.0.1", "127.0.0.1",
                    "address to listen on; 0.0.0.0 or :: for every interface, IPv4 and IPv6",
                    (b, v) -> b.host(nonBlank(v, "empty host"))),
            new Option("--port", "P", "BITE_PORT", "1984", "1984",
                    "TCP port; 0 picks a free one (logged at start)",
                    (b, v) -> b.port(port(v))),
            new Option("--data", "DIR", "BITE_DATA", "data", "./data",
                    "directory for snapshots and the write-ahead log",
                    (b, v) -> b.dataDir(Path.of(nonBlank(v, "empty path")))),
            new Option("--no-persist", null, "BITE_NO_PERSIST", null, "off",
                    "keep everything in memory only, write nothing",
                    (b, v) -> b.persist(false)),
            new Option("--fsync", "POLICY", "BITE_FSYNC", "everysec", "everysec",
                    "when the log is fsynced: always, everysec or no",
                    (b, v) -> b.fsync(FsyncPolicy.parse(v))),
            new Option("--snapshot-interval", "T", "BITE_SNAPSHOT_INTERVAL", "1s", "1s",
                    "how often a snapshot is written while data changes (500ms, 2s)",
                    (b, v) -> b.snapshotInterval(duration(v, false))),
            new Option("--import", "FILE", "BITE_IMPORT", null, "none",
                    "load an original BITE DB.json into an empty database; refuses to start on one with data",
                    (b, v) -> b.importFile(Path.of(nonBlank(v, "empty path")))),
            new Option("--max-line-bytes", "N", "BITE_MAX_LINE_BYTES", "1m", "1m",
                    "longest request line, counting its newline",
                    (b, v) -> b.maxLineBytes(intSize(v, 2))),
            new Option("--max-key-bytes", "N", "BITE_MAX_KEY_BYTES", "1024", "1024",
                    "longest key, in UTF-8 bytes",
                    (b, v) -> b.maxKeyBytes(intSize(v, 1))),
            new Option("--max-value-bytes", "N", "BITE_MAX_VALUE_BYTES", "1m", "1m",
                    "longest stored value, in UTF-8 bytes",
                    (b, v) -> b.maxValueBytes(intSize(v, 0))),
            new Option("--max-output-bytes", "N", "BITE_MAX_OUTPUT_BYTES", "32m", "32m",
                    "replies and pushes queued for one connection",
                    (b, v) -> b.maxOutputBytes(size(v, 1))),
            new Option("--password", "P", "BITE_PASSWORD", null, "none",
                    "every connection must send 'auth P' first",
                    (b, v) -> b.password(nonBlank(v, "empty password"))),
            new Option("--password-file", "FILE", "BITE_PASSWORD_FILE", null, "none",
                    "the password, read from FILE (a Docker secret) without its final line break",
                    (b, v) -> b.password(PasswordFile.read(Path.of(nonBlank(v, "empty path"))))),
            new Option("--max-clients", "N", "BITE_MAX_CLIENTS", "10000", "10000",
                    "open connections at once; past it a new one gets ERR max clients reached",
                    (b, v) -> b.maxClients(intSize(v, 1))),
            new Option("--idle-timeout", "T", "BITE_IDLE_TIMEOUT", "0", "0 (never)",
                    "close a connection silent this long (300s, 5m); 0 = never; subscribers are exempt",
                    (b, v) -> b.idleTimeout(duration(v, true))),
            new Option("--max-auth-failures", "N", "BITE_MAX_AUTH_FAILURES", "5", "5",
                    "wrong passwords before a connection is closed",
                    (b, v) -> b.maxAuthFailures(intSize(v, 1))),
            new Option("--history", "N", "BITE_HISTORY", "100000", "100000",
                    "events kept for protocol 3's from= resumes; 0 keeps none",
                    (b, v) -> b.history(intSize(v, 0))),
            new Option("--session-grace", "T", "BITE_SESSION_GRACE", "10s", "10s",
                    "how long a protocol-3 session outlives its connection for hello 3 SESSION; 0 = ends at close",
                    (b, v) -> b.sessionGrace(duration(v, true))),
            new Option("--session-timeout", "T", "BITE_SESSION_TIMEOUT", "30s", "30s",
                    "close a protocol-3 connection silent this long (subscribers too); its grace starts; 0 = never",
                    (b, v) -> b.sessionTimeout(duration(v, true))),
            new Option("--http-port", "P", "BITE_HTTP_PORT", null, "off",
                    "HTTP port: WebSocket at /ws, /metrics, /healthz; 0 picks a free one (logged at start); off:"
                            + " none",
                    (b, v) -> b.httpPort(v.strip().equalsIgnoreCase("off") ? -1 : port(v))),
            new Option("--http-origins", "LIST", "BITE_HTTP_ORIGINS", "", "none",
                    "browser origins that may open /ws besides the page's own host (https://game.example,"
                            + "http://localhost:8080), or *",
                    (b, v) -> b.httpOrigins(OriginPolicy.parse(v))),
            new Option("--log-level", "L", "BITE_LOG_LEVEL", "info", "info",
                    "Bite's log level: error, warning, info, debug or trace",
                    (b, v) -> b.logLevel(Logging.parseLevel(v))),
            new Option("--log-format", "F", "BITE_LOG_FORMAT", "text", "text",
                    "text (one line per event) or json (one JSON object per line)",
                    (b, v) -> b.logFormat(Config.LogFormat.parse(v))),
            new Option("--published", "ADDR", "BITE_PUBLISHED", null, "none",
                    "in a container: where its port is published (make docker-run sets it); only for the"
                            + " start-up warning about a missing password",
                    (b, v) -> b.published(nonBlank(v, "empty address"))),
            new Option("--users", "FILE", "BITE_USERS", null, "none",
                    "users file (NAME ROLE HASH lines, see docs/ACCESS.md): 'auth USER PASSWORD'",
                    (b, v) -> b.usersFile(Path.of(nonBlank(v, "empty path")))),
            new Option("--rules", "FILE", "BITE_RULES", null, "none",
                    "access rules (ROLE PERMS PATTERN lines); without it every user may do everything",
                    (b, v) -> b.rulesFile(Path.of(nonBlank(v, "empty path")))),
            new Option("--token-secret", "SECRET", "BITE_TOKEN_SECRET", null, "none",
                    "HS256 secret (32+ bytes) of player tokens: 'auth TOKEN'; prefer --token-secret-file",
                    (b, v) -> b.tokenSecret(nonBlank(v, "empty secret"))),
            new Option("--token-secret-file", "FILE", "BITE_TOKEN_SECRET_FILE", null, "none",
                    "file holding the token secret (surrounding whitespace ignored)",
                    (b, v) -> b.tokenSecretFile(Path.of(nonBlank(v, "empty path")))),
            new Option("--tls-cert", "FILE", "BITE_TLS_CERT", null, "none",
                    "TLS certificate chain (PEM) for the TCP port; needs --tls-key",
                    (b, v) -> b.tlsCert(Path.of(nonBlank(v, "empty path")))),
            new Option("--tls-key", "FILE", "BITE_TLS_KEY", null, "none",
                    "TLS private key (PEM, unencrypted PKCS#8); needs --tls-cert",
                    (b, v) -> b.tlsKey(Path.of(nonBlank(v, "empty path")))),
            new Option("--max-memory", "SIZE", "BITE_MAX_MEMORY", "80%", "80% (of the JVM's max heap)",
                    "heap in use (after GC) above which requests that add data get ERR out of memory; a size"
                            + " (512m, 2g) or a percentage of the max heap (-Xmx)",
                    (b, v) -> b.maxMemory(memory(v))));

    private Options() {
        throw new AssertionError();
    }

    /** The option named by a flag, or null. */
    static Option byFlag(String flag) {
        for (Option o : ALL) {
            if (o.flag().equals(flag)) return o;
        }
        return null;
    }

    /** Sets every option's default on a fresh builder: the table is where the defaults live. */
    static void applyDefaults(Config.Builder b) {
        for (Option o : ALL) {
            if (o.defaultValue() != null) o.setter().apply(b, o.defaultValue());
        }
    }

    /** A switch's environment value: true, false, or a usage error naming the accepted words. */
    static boolean parseSwitch(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (TRUE_WORDS.contains(t)) return true;
        if (FALSE_WORDS.contains(t)) return false;
        throw new IllegalArgumentException("expected 1, true, yes or on, or 0, false, no or off");
    }

    /** The options part of {@code --help}: one line each, flag, variable, help and default. */
    static String helpLines() {
        StringBuilder sb = new StringBuilder();
        for (Option o : ALL) {
            sb.append(String.format("  %-24s %-24s %s (default %s)%n", o.usageName(), o.env(), o.help(),
                    o.shownDefault()));
        }
        return sb.toString();
    }

    /** The README's configuration table, in Markdown. */
    static String markdownTable() {
        StringBuilder sb = new StringBuilder("| flag | environment | default | what |\n|---|---|---|---|\n");
        for (Option o : ALL) {
            sb.append("| `").append(o.usageName()).append("` | `").append(o.env()).append("` | ")
                    .append(markdownDefault(o.shownDefault())).append(" | ").append(o.help()).append(" |\n");
        }
        return sb.append("| `--help`, `--version` | | | |\n").toString();
    }

    /** {@code 1984} as {@code `1984`}, {@code 0 (never)} as {@code `0` (never)}; "none" and "off" as they are. */
    private static String markdownDefault(String shown) {
        if (shown.equals("none") || shown.equals("off")) return shown;
        int note = shown.indexOf(" (");
        return note < 0 ? "`" + shown + "`" : "`" + shown.substring(0, note) + "`" + shown.substring(note);
    }

    /** Prints the README table, for {@code make readme-options}. */
    static void main(String[] args) {
        System.out.print(markdownTable());
    }

    // --- value parsers: throw IllegalArgumentException with a short reason -------------------------------------------

    private static String nonBlank(String v, String why) {
        if (v.isBlank()) throw new IllegalArgumentException(why);
        return v;
    }

    private static int port(String v) {
        int port = number(v);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("out of range 0-65535");
        return port;
    }

    private static int number(String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
        }
    }

    private static int intSize(String text, long min) {
        long v = size(text, min);
        if (v > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("at most 2g");
        return (int) v;
    }

    /** {@code 80%} of the JVM's maximum heap, or a size ({@code 512m}); in bytes. */
    private static long memory(String text) {
        String t = text.trim();
        if (!t.endsWith("%")) return size(t, 1L << 20);
        int percent;
        try {
            percent = Integer.parseInt(t.substring(0, t.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a percentage (80%) or a size (512m, 2g)");
        }
        if (percent < 1 || percent > 100) throw new IllegalArgumentException("a percentage from 1% to 100%");
        return bite.util.MemoryCap.percentOfMaxHeap(percent);
    }

    /** {@code 1024}, {@code 64k}, {@code 1m}, {@code 2g}: bytes, with binary suffixes. */
    static long size(String text, long min) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("k")) unit = 1L << 10;
        else if (t.endsWith("m")) unit = 1L << 20;
        else if (t.endsWith("g")) unit = 1L << 30;
        if (unit != 1) t = t.substring(0, t.length() - 1);
        long v;
        try {
            v = Math.multiplyExact(Long.parseLong(t), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a size (1024, 64k, 1m, 2g)");
        }
        if (v < min) throw new IllegalArgumentException("at least " + min);
        return v;
    }

    /**
     * {@code 250ms}, {@code 300s}, {@code 5m}, {@code 1h}: a unit is required, because a bare {@code 300} reads as
     * seconds to some and as milliseconds to others. With {@code zeroIsNever}, a bare {@code 0} (or {@code 0s})
     * means "never" and gives {@link Duration#ZERO}; otherwise at least 1 ms.
     */
    static Duration duration(String text, boolean zeroIsNever) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (zeroIsNever && t.equals("0")) return Duration.ZERO;
        int digits = 0;
        while (digits < t.length() && Character.isDigit(t.charAt(digits))) digits++;
        if (digits == 0 || digits > 12) {
            throw new IllegalArgumentException("expected a number and a unit: 250ms, 300s, 5m or 1h");
        }
        long n = Long.parseLong(t.substring(0, digits));
        Duration d = switch (t.substring(digits)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "" -> throw new IllegalArgumentException("a unit is required: " + t + "s, " + t + "ms, 5m or 1h");
            default -> throw new IllegalArgumentException("unknown unit '" + t.substring(digits) + "': ms, s, m or h");
        };
        if (d.isZero() && zeroIsNever) return Duration.ZERO;
        if (d.toMillis() < 1) throw new IllegalArgumentException("at least 1ms");
        return d;
    }
}
