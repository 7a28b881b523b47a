package bite.bench;

import bite.bench.BenchOptions.UsageException;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code java -jar bite-bench.jar}: a load tool for Bite servers, in the spirit of {@code redis-benchmark}. Plain
 * JDK, blocking sockets on virtual threads, every reply checked. See {@link BenchOptions#USAGE} for the options.
 * Runs on the main thread, which starts the connections' threads and waits for them.
 */
public final class LoadTool {

    /** Exit status: the run completed without a single error. */
    public static final int OK = 0;
    /** Exit status: errors, lost messages, or no connection. */
    public static final int FAILED = 1;
    /** Exit status: the command line was wrong. */
    public static final int USAGE = 2;

    private LoadTool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /**
     * Runs one benchmark as the command line {@code args} asks and prints progress and the summary to {@code out}.
     *
     * @return {@link #OK}, {@link #FAILED} or {@link #USAGE}
     */
    public static int run(String[] args, PrintStream out) {
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (UsageException e) {
            out.println("bench: " + e.getMessage());
            out.println("run with --help for the options");
            return USAGE;
        }
        if (o.help()) {
            out.print(BenchOptions.USAGE);
            return OK;
        }
        out.println(header(o));
        try {
            return switch (o.op()) {
                case PUBSUB -> new FanoutLoad(o, out).run();
                case GAME -> new GameLoad(o, out).run();
                default -> new KvLoad(o, out).run();
            };
        } catch (IOException e) {
            out.println("bench: " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("bench: interrupted");
            return FAILED;
        }
    }

    static String header(BenchOptions o) {
        String amount = (o.timed() ? String.format(Locale.ROOT, "seconds=%s", o.seconds())
                : (o.op() == BenchOptions.Op.PUBSUB ? "messages=" : "requests=") + o.requests())
                + (o.warmup() > 0 ? String.format(Locale.ROOT, " warmup=%s", o.warmup()) : "");
        if (o.op() == BenchOptions.Op.GAME) {
            return String.format(Locale.ROOT, "bench: op=game server=%s:%d %s %s value_size=%d", o.host(), o.port(),
                    o.game().describe(), amount, o.valueSize());
        }
        if (o.op() == BenchOptions.Op.PUBSUB) {
            return String.format(Locale.ROOT, "bench: op=pubsub server=%s:%d channel=%s subscribers=%d rate=%d/s %s "
                    + "value_size=%d", o.host(), o.port(), o.channel(), o.subscribers(), o.rate(), amount, o.valueSize());
        }
        return String.format(Locale.ROOT, "bench: op=%s%s server=%s:%d clients=%d pipeline=%d %s keys=%d value_size=%d%s",
                o.op().wireName(), o.op() == BenchOptions.Op.MIXED ? " get_ratio=" + o.getRatio() : "", o.host(),
                o.port(), o.clients(), o.pipeline(), amount, o.keys(), o.valueSize(), o.prefill() ? " prefill" : "");
    }
}
