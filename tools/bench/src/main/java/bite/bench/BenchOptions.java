package bite.bench;

import java.util.Locale;
import java.util.Set;

/**
 * The command line of the load tool, parsed and checked. Every default is in {@link #defaults()}.
 *
 * @param host        server address; default 127.0.0.1
 * @param port        server port; default 1984
 * @param password    sent as {@code auth PASSWORD} first on every connection; null (the default) sends none
 * @param clients     connections sending requests; default 50
 * @param pipeline    requests kept in flight per connection; default 1
 * @param requests    total requests (or, for pubsub, messages published) when {@code seconds} is 0
 * @param seconds     run for this long instead of a request count; 0 = count mode
 * @param warmup      seconds of unmeasured load before measuring (request/response ops only); default 0
 * @param op          what to send
 * @param valueSize   bytes per value (and per published message); default 32
 * @param keys        keys are {@code key:0} .. {@code key:<keys-1>}, picked uniformly; default 10000
 * @param prefill     set every key once before measuring (so that get never misses)
 * @param getRatio    mixed: the share of requests that are gets, the rest sets; default 0.5
 * @param subscribers pubsub: subscriber connections; default 50
 * @param rate        pubsub: messages published per second; default 10000
 * @param channel     pubsub: the key subscribed to and notified; default {@code bench.fanout}
 * @param quiet       no live progress lines
 * @param help        print usage and do nothing else
 * @param game        game: rooms, players, rate, batching, protocol (see {@link GameOptions})
 * @param tls         TLS to the server: off (the default), verifying its certificate with the JDK's trust store
 *                    ({@code --tls}), or trusting any certificate ({@code --tls-insecure}, for a test's self-signed one)
 * @param ws          speak WebSocket ({@code ws://host:port/ws}, the server's {@code --http-port}) instead of TCP
 */
record BenchOptions(
        String host,
        int port,
        String password,
        int clients,
        int pipeline,
        long requests,
        double seconds,
        double warmup,
        Op op,
        int valueSize,
        int keys,
        boolean prefill,
        double getRatio,
        int subscribers,
        int rate,
        String channel,
        boolean quiet,
        boolean help,
        GameOptions game,
        Tls tls,
        boolean ws) {

    /** {@code --tls}, {@code --tls-insecure}. */
    enum Tls { OFF, VERIFY, INSECURE }

    enum Op {
        SET, GET, INCR, MIXED, PUBSUB, GAME;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final String USAGE = """
            usage: java -jar bite-bench.jar [options]   load test a Bite server (like redis-benchmark)

              --host H           server address (127.0.0.1)
              --port N           server port (1984)
              --password P       send 'auth P' first on every connection (none)
              --clients N        connections sending requests (50)
              --pipeline N       requests in flight per connection (1)
              --requests N       total requests to send (100000), or
              --seconds S        run for S seconds instead
              --warmup S         send unmeasured load for S seconds first (0; not with pubsub)
              --op OP            set | get | incr | mixed | pubsub | game (set)
                                   set   s key:<n> <value>   expects OK
                                   get   g key:<n>           expects the value set by this tool
                                   incr  +1 ctr:<n>          expects an integer >= 1
                                   mixed gets and sets (see --get-ratio)
                                   pubsub  see --subscribers
              --value-size N     bytes per value / published message (32)
              --keys N           key space size, keys picked uniformly (10000)
              --prefill          set every key once before measuring (use with --op get)
              --get-ratio F      mixed: the share of gets, 0 to 1; the rest are sets (0.5)
              --subscribers N    fan-out: N connections subscribe (#g) to one key, one publisher
                                 notifies it (!) at --rate messages/s; implies --op pubsub (50)
              --rate N           fan-out: messages published per second (10000)
              --channel KEY      fan-out: the key to subscribe to (bench.fanout)
              --tls              connect with TLS, checking the certificate with the JDK's trust store
                                 (javax.net.ssl.trustStore); set, get, incr and mixed only
              --tls-insecure     connect with TLS, trusting any certificate (a test's self-signed one)
              --ws               WebSocket instead of TCP: ws://H:N/ws, N being the server's --http-port;
                                 each flush of pipelined requests is one text message
              --quiet            no progress lines while running
              --help             this text
            """ + GameOptions.USAGE + """

            Every reply is checked. Prints ops/s, latency percentiles (from just before a request is
            sent to its reply; for pubsub from publish to delivery; for mixed also of gets and of sets
            apart) and errors. Exit status: 0 = no errors, 1 = errors or no connection, 2 = bad usage.
            """;

    static BenchOptions defaults() {
        return new BenchOptions("127.0.0.1", 1984, null, 50, 1, 100_000, 0, 0, Op.SET, 32, 10_000, false, 0.5,
                50, 10_000, "bench.fanout", false, false, GameOptions.defaults(), Tls.OFF, false);
    }

    /** A command line that cannot be run; the message says why, in a form fit for the user. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static BenchOptions parse(String... args) throws UsageException {
        Builder b = new Builder(defaults());
        boolean requestsGiven = false;
        boolean secondsGiven = false;
        boolean opGiven = false;
        boolean subscribersGiven = false;
        boolean ratioGiven = false;
        boolean gameGiven = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            boolean hasInline = arg.startsWith("--") && eq > 0;
            String name = hasInline ? arg.substring(0, eq) : arg;
            boolean flag = switch (name) {
                case "--prefill", "--quiet", "--help", "-h", "--tls", "--tls-insecure", "--ws" -> true;
                default -> false;
            };
            String value = null;
            if (flag && hasInline) {
                throw new UsageException(name + " takes no value");
            } else if (hasInline) {
                value = arg.substring(eq + 1);
            } else if (!flag && KNOWN_WITH_VALUE.contains(name)) {
                if (i + 1 >= args.length) {
                    throw new UsageException("missing value after " + name);
                }
                value = args[++i];
            }
            switch (name) {
                case "--host" -> b.host = nonEmpty(name, value);
                case "--port" -> b.port = intIn(name, value, 1, 65535);
                case "--password" -> b.password = password(value);
                case "--clients" -> b.clients = intIn(name, value, 1, 100_000);
                case "--pipeline" -> b.pipeline = intIn(name, value, 1, 100_000);
                case "--requests" -> {
                    b.requests = longIn(name, value, 1, Long.MAX_VALUE / 2);
                    requestsGiven = true;
                }
                case "--seconds" -> {
                    b.seconds = positiveSeconds(name, value);
                    secondsGiven = true;
                }
                case "--warmup" -> b.warmup = warmupSeconds(value);
                case "--op" -> {
                    b.op = op(value);
                    opGiven = true;
                }
                case "--value-size" -> b.valueSize = intIn(name, value, 1, 512 * 1024);
                case "--keys" -> b.keys = intIn(name, value, 1, Integer.MAX_VALUE);
                case "--subscribers" -> {
                    b.subscribers = intIn(name, value, 1, 1_000_000);
                    subscribersGiven = true;
                }
                case "--rate" -> b.rate = intIn(name, value, 1, 10_000_000);
                case "--channel" -> b.channel = channel(value);
                case "--prefill" -> b.prefill = true;
                case "--get-ratio" -> {
                    b.getRatio = ratio(name, value);
                    ratioGiven = true;
                }
                case "--quiet" -> b.quiet = true;
                case "--tls" -> b.tls = Tls.VERIFY;
                case "--tls-insecure" -> b.tls = Tls.INSECURE;
                case "--ws" -> b.ws = true;
                case "--help", "-h" -> b.help = true;
                default -> {
                    if (!GameOptions.NAMES.contains(name)) {
                        throw new UsageException("unknown option '" + arg + "'");
                    }
                    b.game = b.game.with(name, value);
                    gameGiven = true;
                }
            }
        }
        if (requestsGiven && secondsGiven) {
            throw new UsageException("--requests and --seconds exclude each other");
        }
        if (subscribersGiven) {
            if (opGiven && b.op != Op.PUBSUB) {
                throw new UsageException("--subscribers needs --op pubsub, not --op " + b.op.wireName());
            }
            b.op = Op.PUBSUB;
        }
        if (ratioGiven && b.op != Op.MIXED) {
            throw new UsageException("--get-ratio is for --op mixed, not --op " + b.op.wireName());
        }
        if (gameGiven && b.op != Op.GAME) {
            throw new UsageException("--rooms, --players, --hz, --every, --proto and --server-pid are for --op game");
        }
        if (b.op == Op.GAME) {
            if (requestsGiven) {
                throw new UsageException("--op game runs for --seconds, not --requests");
            }
            b.seconds = secondsGiven ? b.seconds : 10;
            if (b.game.redis() && b.password != null) {
                throw new UsageException("--password is for Bite, not --proto redis");
            }
        }
        if ((b.op == Op.PUBSUB || b.op == Op.GAME) && b.tls != Tls.OFF) {
            throw new UsageException("--tls is for set, get, incr and mixed, not " + b.op.wireName());
        }
        if (b.op == Op.PUBSUB && b.warmup > 0) {
            throw new UsageException("--warmup is for set, get, incr and mixed, not pubsub");
        }
        if (b.op == Op.PUBSUB && b.valueSize < 24) {
            // a message carries a nanosecond timestamp (up to 19 digits) and '_'
            throw new UsageException("--value-size must be at least 24 for pubsub (it carries a timestamp)");
        }
        return b.build();
    }

    private static final Set<String> KNOWN_WITH_VALUE = Set.of("--host", "--port", "--password", "--clients",
            "--pipeline", "--requests", "--seconds", "--warmup", "--op", "--value-size", "--keys", "--subscribers",
            "--rate", "--channel", "--get-ratio", "--rooms", "--players", "--hz", "--every", "--proto", "--server-pid");

    /** Names every option but the password, which it only says is set. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "BenchOptions[%s:%d password=%s op=%s clients=%d pipeline=%d requests=%d "
                        + "seconds=%s warmup=%s keys=%d value_size=%d prefill=%s get_ratio=%s subscribers=%d rate=%d "
                        + "channel=%s quiet=%s help=%s game=%s tls=%s ws=%s]", host, port,
                password == null ? "none" : "***",
                op.wireName(), clients, pipeline, requests, seconds, warmup, keys, valueSize, prefill, getRatio,
                subscribers, rate, channel, quiet, help, game, tls, ws);
    }

    /** Time mode (run for {@link #seconds}) rather than count mode (send {@link #requests}). */
    boolean timed() {
        return seconds > 0;
    }

    private static String nonEmpty(String name, String value) throws UsageException {
        if (value.isEmpty()) {
            throw new UsageException(name + " must not be empty");
        }
        return value;
    }

    private static String password(String value) throws UsageException {
        if (value.isEmpty() || value.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
            throw new UsageException("--password must be non-empty, without control characters"); // never echoed
        }
        return value;
    }

    private static String channel(String value) throws UsageException {
        if (value.isEmpty() || value.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new UsageException("--channel must be a key without spaces or control characters");
        }
        return value;
    }

    private static Op op(String value) throws UsageException {
        for (Op op : Op.values()) {
            if (op.wireName().equals(value)) {
                return op;
            }
        }
        throw new UsageException("--op must be set, get, incr, mixed, pubsub or game, not '" + value + "'");
    }

    static int intIn(String name, String value, int min, int max) throws UsageException {
        return (int) longIn(name, value, min, max);
    }

    static long longIn(String name, String value, long min, long max) throws UsageException {
        long v;
        try {
            v = Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a whole number, not '" + value + "'");
        }
        if (v < min || v > max) {
            throw new UsageException(name + " must be between " + min + " and " + max + ", not " + v);
        }
        return v;
    }

    private static double warmupSeconds(String value) throws UsageException {
        double v = number("--warmup", value, "a number of seconds");
        if (!(v >= 0 && v <= 3600)) {
            throw new UsageException("--warmup must be between 0 and 3600, not " + value);
        }
        return v;
    }

    private static double ratio(String name, String value) throws UsageException {
        double v = number(name, value, "a number from 0 to 1");
        if (!(v >= 0 && v <= 1)) {
            throw new UsageException(name + " must be from 0 to 1, not " + value);
        }
        return v;
    }

    private static double positiveSeconds(String name, String value) throws UsageException {
        double v = number(name, value, "a number of seconds");
        if (!(v > 0 && v <= 86_400)) {
            throw new UsageException(name + " must be more than 0 and at most 86400, not " + value);
        }
        return v;
    }

    /** {@code value} as a number; NaN passes, for the caller's range check to refuse. */
    private static double number(String name, String value, String what) throws UsageException {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs " + what + ", not '" + value + "'");
        }
    }

    /** The mutable state of {@link #parse}. */
    private static final class Builder {
        String host;
        int port;
        String password;
        int clients;
        int pipeline;
        long requests;
        double seconds;
        double warmup;
        Op op;
        int valueSize;
        int keys;
        boolean prefill;
        double getRatio;
        int subscribers;
        int rate;
        String channel;
        boolean quiet;
        boolean help;
        GameOptions game;
        Tls tls;
        boolean ws;

        Builder(BenchOptions o) {
            host = o.host;
            port = o.port;
            password = o.password;
            clients = o.clients;
            pipeline = o.pipeline;
            requests = o.requests;
            seconds = o.seconds;
            warmup = o.warmup;
            op = o.op;
            valueSize = o.valueSize;
            keys = o.keys;
            prefill = o.prefill;
            getRatio = o.getRatio;
            subscribers = o.subscribers;
            rate = o.rate;
            channel = o.channel;
            quiet = o.quiet;
            help = o.help;
            game = o.game;
            tls = o.tls;
            ws = o.ws;
        }

        BenchOptions build() {
            return new BenchOptions(host, port, password, clients, pipeline, requests, seconds, warmup, op, valueSize,
                    keys, prefill, getRatio, subscribers, rate, channel, quiet, help, game, tls, ws);
        }
    }
}
