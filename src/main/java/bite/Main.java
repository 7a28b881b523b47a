package bite;

import bite.storage.FsyncPolicy;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar bite.jar [options]}: reads flags and environment into a {@link Config}, starts the
 * {@link Server}, and stops it cleanly on SIGINT/SIGTERM (exit 0).
 *
 * <p>Precedence: a flag beats its {@code BITE_*} environment variable, which beats the original BITE's
 * {@code SERVER=host:port}, which beats the default.
 */
public final class Main {

    /** Exit codes, as jwebserver's. */
    enum Exit {
        OK(0), FAILURE(1), USAGE(2);

        final int code;

        Exit(int code) {
            this.code = code;
        }
    }

    /** A bad flag or environment value: a one-line message, exit 2. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private Main() {
        throw new AssertionError();
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err).code);
    }

    static Exit run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("bench")) {
            return switch (bite.bench.LoadTool.run(Arrays.copyOfRange(args, 1, args.length), out)) {
                case bite.bench.LoadTool.OK -> Exit.OK;
                case bite.bench.LoadTool.USAGE -> Exit.USAGE;
                default -> Exit.FAILURE;
            };
        }
        Config config;
        try {
            List<String> list = List.of(args);
            if (list.contains("--help") || list.contains("-h")) {
                out.print(usage());
                return Exit.OK;
            }
            if (list.contains("--version")) {
                out.println("bite " + version());
                return Exit.OK;
            }
            config = parse(args, env);
        } catch (UsageException e) {
            err.println("bite: " + e.getMessage() + " (try --help)"); // one line: easy to grep in a container log
            return Exit.USAGE;
        }
        Logging.configure(config.logLevel());
        Server server = new Server(config);
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            err.println("bite: " + e.getMessage());
            return Exit.FAILURE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            server.stop();
            stopped.countDown();
        };
        Signals.onTerminate(stop);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            server.stop();
        }
        return Exit.OK;
    }

    /** Options in the order {@code --help} lists them: flag, environment variable, description. */
    private static final String[][] OPTIONS = {
            {"--host H", "BITE_HOST", "address to listen on (default 127.0.0.1; 0.0.0.0 for all)"},
            {"--port P", "BITE_PORT", "TCP port (default 1984; 0 picks a free one)"},
            {"--data DIR", "BITE_DATA", "data directory for snapshots and the log (default ./data)"},
            {"--no-persist", "BITE_NO_PERSIST", "keep everything in memory only, write nothing (default off)"},
            {"--fsync POLICY", "BITE_FSYNC", "log fsync: always, everysec or no (default everysec)"},
            {"--snapshot-interval T", "BITE_SNAPSHOT_INTERVAL", "snapshot period while data changes, e.g. 1s, 500ms (default 1s)"},
            {"--import FILE", "BITE_IMPORT", "load an original BITE DB.json at start"},
            {"--max-line-bytes N", "BITE_MAX_LINE_BYTES", "longest request line incl. its newline (default 1m)"},
            {"--max-key-bytes N", "BITE_MAX_KEY_BYTES", "longest key in UTF-8 bytes (default 1024)"},
            {"--max-value-bytes N", "BITE_MAX_VALUE_BYTES", "longest stored value in UTF-8 bytes (default 1m)"},
            {"--max-output-bytes N", "BITE_MAX_OUTPUT_BYTES", "per-connection queued output limit (default 32m)"},
            {"--password P", "BITE_PASSWORD", "require 'auth P' on every connection (default none)"},
            {"--max-clients N", "BITE_MAX_CLIENTS", "open connections allowed at once (default 10000)"},
            {"--idle-timeout T", "BITE_IDLE_TIMEOUT", "close connections silent this long, e.g. 300s; 0 = never (default 0)"},
            {"--max-auth-failures N", "BITE_MAX_AUTH_FAILURES", "wrong passwords before a connection is closed (default 5)"},
            {"--history N", "BITE_HISTORY", "events kept for protocol 3's from= resumes; 0 = none (default 100000)"},
            {"--log-level L", "BITE_LOG_LEVEL", "error, warning, info, debug or trace (default info)"},
    };

    static String usage() {
        StringBuilder sb = new StringBuilder("""
                Usage: java -jar bite.jar [options]
                       java -jar bite.jar bench [options]   (load tool; bench --help)

                Bite: a key-value database server with live subscriptions.

                Options (each also read from the environment variable shown; a flag wins):
                """);
        for (String[] o : OPTIONS) sb.append(String.format("  %-24s %-24s %s%n", o[0], o[1], o[2]));
        sb.append("""
                  --help                                            this text
                  --version                                         print the version
                The original BITE's SERVER=host:port is honoured when BITE_HOST/BITE_PORT are not set.
                Sizes take k, m, g suffixes (KiB, MiB, GiB).
                """);
        return sb.toString();
    }

    static Config parse(String[] args, Map<String, String> env) throws UsageException {
        Config.Builder b = Config.builder();
        String server = env.get("SERVER");
        if (server != null && !server.isBlank()) {
            int colon = server.lastIndexOf(':');
            if (colon < 0) throw new UsageException("invalid value for SERVER: " + server + " (expected host:port)");
            set(b, "--host", server.substring(0, colon));
            set(b, "--port", server.substring(colon + 1));
        }
        for (String[] o : OPTIONS) {
            String value = env.get(o[1]);
            if (value == null || value.isEmpty()) continue;
            String flag = o[0].split(" ")[0];
            if (flag.equals("--no-persist")) {
                if (isTrue(value)) set(b, flag, null);
            } else {
                set(b, flag, value, o[1]);
            }
        }
        List<String> rest = new ArrayList<>(List.of(args));
        for (Iterator<String> it = rest.iterator(); it.hasNext(); ) {
            String arg = it.next();
            String flag = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                flag = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!isKnown(flag)) throw new UsageException("unknown option: " + arg);
            if (flag.equals("--no-persist")) {
                set(b, flag, null);
                continue;
            }
            if (value == null) {
                if (!it.hasNext()) throw new UsageException("missing value for " + flag);
                value = it.next();
            }
            set(b, flag, value);
        }
        return b.build();
    }

    private static boolean isKnown(String flag) {
        for (String[] o : OPTIONS) {
            if (o[0].split(" ")[0].equals(flag)) return true;
        }
        return false;
    }

    private static boolean isTrue(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            default -> false;
        };
    }

    private static void set(Config.Builder b, String flag, String value) throws UsageException {
        set(b, flag, value, flag);
    }

    private static void set(Config.Builder b, String flag, String value, String source) throws UsageException {
        try {
            switch (flag) {
                case "--host" -> {
                    if (value.isBlank()) throw new IllegalArgumentException("empty host");
                    b.host(value);
                }
                case "--port" -> {
                    int port = Integer.parseInt(value);
                    if (port < 0 || port > 65535) throw new IllegalArgumentException("out of range 0-65535");
                    b.port(port);
                }
                case "--data" -> b.dataDir(Path.of(value));
                case "--no-persist" -> b.persist(false);
                case "--fsync" -> b.fsync(FsyncPolicy.parse(value));
                case "--snapshot-interval" -> b.snapshotInterval(parseDuration(value));
                case "--import" -> b.importFile(Path.of(value));
                case "--max-line-bytes" -> b.maxLineBytes(intSize(value, 2));
                case "--max-key-bytes" -> b.maxKeyBytes(intSize(value, 1));
                case "--max-value-bytes" -> b.maxValueBytes(intSize(value, 0));
                case "--max-output-bytes" -> b.maxOutputBytes(parseSize(value, 1));
                case "--log-level" -> b.logLevel(Logging.parseLevel(value));
                case "--password" -> {
                    if (value.isEmpty()) throw new IllegalArgumentException("empty password");
                    b.password(value);
                }
                case "--max-clients" -> b.maxClients(intSize(value, 1));
                case "--idle-timeout" -> b.idleTimeout(value.trim().equals("0") ? Duration.ZERO : parseDuration(value));
                case "--max-auth-failures" -> b.maxAuthFailures(intSize(value, 1));
                case "--history" -> b.history(intSize(value, 0));
                default -> throw new IllegalStateException("unhandled option " + flag);
            }
        } catch (IllegalArgumentException e) {
            String why = e instanceof NumberFormatException ? "not a number" : e.getMessage();
            String shown = flag.equals("--password") ? "***" : value; // never echo a secret
            throw new UsageException("invalid value for " + source + ": " + shown + " (" + why + ")");
        }
    }

    private static int intSize(String text, long min) {
        long v = parseSize(text, min);
        if (v > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("at most 2g");
        return (int) v;
    }

    /** {@code 1024}, {@code 64k}, {@code 1m}, {@code 2g}: bytes, with binary suffixes. */
    static long parseSize(String text, long min) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("k")) unit = 1L << 10;
        else if (t.endsWith("m")) unit = 1L << 20;
        else if (t.endsWith("g")) unit = 1L << 30;
        if (unit != 1) t = t.substring(0, t.length() - 1);
        long v = Math.multiplyExact(Long.parseLong(t), unit);
        if (v < min) throw new IllegalArgumentException("at least " + min);
        return v;
    }

    /** {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}, or plain milliseconds. */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Duration d;
        if (t.endsWith("ms")) d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        else if (t.endsWith("s")) d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        else if (t.endsWith("m")) d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        else if (t.endsWith("h")) d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
        else d = Duration.ofMillis(Long.parseLong(t));
        if (d.toMillis() < 1) throw new IllegalArgumentException("at least 1ms");
        return d;
    }

    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("/bite-version.properties")) {
            if (in == null) return "dev";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
