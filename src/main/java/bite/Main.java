package bite;

import bite.access.Passwd;
import bite.cli.Cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar bite.jar [options]}: reads flags and environment into a {@link Config}, starts the
 * {@link Server}, and stops it cleanly on SIGINT/SIGTERM (exit 0). {@code java -jar bite.jar cli ...} is the client
 * instead ({@link bite.cli.Cli}, with options of its own), {@code train} the AOT cache's training run ({@link Training}). Runs on the main thread, which waits until the
 * server has stopped. What each option is, and how it is parsed, is {@link Options}'s table; this class only walks
 * the sources in order.
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
        if (args.length > 0 && args[0].equals("passwd")) { // java -jar bite.jar passwd NAME [ROLE]
            System.exit(Passwd.run(Arrays.copyOfRange(args, 1, args.length), System.console(), System.in, System.out,
                    System.err));
        }
        if (args.length > 0 && args[0].equals("train")) { // the AOT cache's training run (see Training)
            Logging.configure(System.Logger.Level.WARNING, Config.LogFormat.TEXT); // its server's INFO lines: noise
            System.exit(Training.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("cli")) { // the client: java -jar bite.jar cli ... (its own options)
            Cli.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.exit(run(args, System.getenv(), System.out, System.err).code);
    }

    static Exit run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
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
        Logging.configure(config.logLevel(), config.logFormat());
        Server server = new Server(config);
        CountDownLatch stopped = new CountDownLatch(1);
        // before the start: a signal during a long load waits for it (stop and start are synchronized), then stops
        Signals.onTerminate(() -> {
            server.stop();
            stopped.countDown();
        });
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            err.println("bite: " + StartupFailure.describe(e));
            return Exit.FAILURE;
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            server.stop();
        }
        return Exit.OK;
    }

    static String usage() {
        return """
                Usage: java -jar bite.jar [options]
                       java -jar bite.jar cli [cli options] [COMMAND...]   (a client: cli --help)
                       java -jar bite.jar passwd NAME [ROLE]   (prints a users-file line; password from stdin)
                       java -XX:AOTCacheOutput=bite.aot -jar bite.jar train [--seconds N]   (records an AOT cache)

                Bite: a key-value database server with live subscriptions.

                Options (each also read from the environment variable shown; a flag wins):
                """ + Options.helpLines() + """
                  --help                                            this text
                  --version                                         print the version
                The original BITE's SERVER=host:port is honoured when BITE_HOST/BITE_PORT are not set.
                Sizes take k, m, g suffixes (KiB, MiB, GiB). Durations need a unit: 250ms, 300s, 5m, 1h.
                A switch's variable (BITE_NO_PERSIST) takes 1, true, yes, on or 0, false, no, off.
                """;
    }

    /** Defaults, then {@code SERVER}, then each {@code BITE_*} variable, then the flags: a later source wins. */
    static Config parse(String[] args, Map<String, String> env) throws UsageException {
        Config.Builder b = Config.builder();
        String server = env.get("SERVER");
        if (server != null && !server.isBlank()) {
            int colon = server.lastIndexOf(':');
            if (colon < 0) throw new UsageException("invalid value for SERVER: " + server + " (expected host:port)");
            set(b, Options.byFlag("--host"), server.substring(0, colon), "SERVER");
            set(b, Options.byFlag("--port"), server.substring(colon + 1), "SERVER");
        }
        for (Options.Option o : Options.ALL) {
            String value = env.get(o.env());
            if (value == null || value.isEmpty()) continue;
            if (!o.isSwitch()) {
                set(b, o, value, o.env());
                continue;
            }
            boolean on;
            try {
                on = Options.parseSwitch(value);
            } catch (IllegalArgumentException e) {
                throw new UsageException("invalid value for " + o.env() + ": " + value + " (" + e.getMessage() + ")");
            }
            if (on) o.setter().apply(b, null);
        }
        for (Iterator<String> it = List.of(args).iterator(); it.hasNext(); ) {
            String arg = it.next();
            String flag = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                flag = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            Options.Option o = Options.byFlag(flag);
            if (o == null) throw new UsageException("unknown option: " + arg);
            if (o.isSwitch()) {
                if (value != null) throw new UsageException(flag + " takes no value: " + arg);
                o.setter().apply(b, null);
                continue;
            }
            if (value == null) {
                if (!it.hasNext()) throw new UsageException("missing value for " + flag);
                value = it.next();
            }
            set(b, o, value, flag);
        }
        return b.build();
    }

    private static void set(Config.Builder b, Options.Option o, String value, String source) throws UsageException {
        try {
            o.setter().apply(b, value);
        } catch (IllegalArgumentException e) {
            String shown = o.flag().equals("--password") || o.flag().equals("--token-secret") ? "***" : value; // never echo a secret
            throw new UsageException("invalid value for " + source + ": " + shown + " (" + e.getMessage() + ")");
        }
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
