package bite.bench;

import java.io.PrintStream;
import java.util.Locale;

/** The game's printed lines: one a second, and the summary with its {@code RESULT} line. Called by its loop thread. */
final class GameReport {

    private GameReport() {
    }

    /** What happened in one window (the whole measurement, or one second of it). Owned by the game's loop thread. */
    static final class Counts {
        long writes;
        long pushes;
        long bytes;
        long skipped;
        final Histogram stale = new Histogram();
        final Histogram delivery = new Histogram();
    }

    /** @param server the server's CPU ms, write calls and bytes written per second; -1 where unknown */
    static void second(PrintStream out, Counts c, double at, long nanos, double[] server, long disconnects) {
        double s = nanos / 1e9;
        String serverText = server[0] < 0 ? "" : String.format(Locale.ROOT, "  server cpu %3.0f%%%s", server[0] / 10,
                server[1] < 0 ? "" : String.format(Locale.ROOT, " write calls/s %,.0f", server[1]));
        out.printf(Locale.ROOT, "  %5.1f s  writes/s %,8.0f  pushes/s %,10.0f  received %7.2f MB/s  stale p99 %7.1f ms"
                + "%s  disconnects %d%n", at, c.writes / s, c.pushes / s, c.bytes / s / 1e6,
                c.stale.percentile(99) / 1e6, serverText, disconnects);
    }

    /**
     * @param cpu the server's CPU ms, write calls and bytes written per second (-1 where unknown), then this tool's
     *            own CPU in % of a core
     * @return {@link LoadTool#OK} when nothing went wrong and every write was seen by every player
     */
    static int summary(PrintStream out, GameOptions game, Counts total, long elapsedNanos, double[] cpu,
            long disconnects, long unseen, Tally problems) {
        double s = elapsedNanos / 1e9;
        long errors = problems.errors();
        out.printf(Locale.ROOT, "writes=%d (%.0f/s, skipped %d) pushes=%d (%.0f/s) received=%d bytes (%.0f/s)%n",
                total.writes, total.writes / s, total.skipped, total.pushes, total.pushes / s, total.bytes,
                total.bytes / s);
        Progress.printLatency(out, "view staleness (write until every other player of the room saw it)", total.stale);
        Progress.printLatency(out, "write-to-push latency", total.delivery);
        if (cpu[0] >= 0) {
            out.printf(Locale.ROOT, "server: cpu %.1f%% of a core, write calls %.0f/s, bytes written %.0f/s%n",
                    cpu[0] / 10, cpu[1], cpu[2]);
        }
        out.printf(Locale.ROOT, "client: cpu %.1f%% of a core%s%n", cpu[3],
                cpu[3] > 90 ? " (client-bound: staleness may be the client's)" : "");
        out.printf("disconnects=%d unseen=%d errors=%d%n", disconnects, unseen, errors);
        if (problems.firstProblem != null) {
            out.println("first problem: " + problems.firstProblem);
        }
        out.printf(Locale.ROOT, "RESULT op=game %s seconds=%.3f writes=%d writes_per_sec=%.0f skipped=%d pushes=%d "
                        + "pushes_per_sec=%.0f bytes=%d bytes_per_sec=%.0f stale_p50_us=%.1f stale_p99_us=%.1f "
                        + "stale_max_us=%.1f push_p50_us=%.1f push_p99_us=%.1f push_max_us=%.1f server_cpu_pct=%.1f "
                        + "server_write_calls_per_sec=%.0f server_write_bytes_per_sec=%.0f client_cpu_pct=%.1f "
                        + "disconnects=%d unseen=%d errors=%d%n", game.describe(), s, total.writes, total.writes / s,
                total.skipped, total.pushes, total.pushes / s, total.bytes, total.bytes / s,
                total.stale.percentile(50) / 1e3, total.stale.percentile(99) / 1e3, total.stale.max() / 1e3,
                total.delivery.percentile(50) / 1e3, total.delivery.percentile(99) / 1e3, total.delivery.max() / 1e3,
                cpu[0] / 10, cpu[1], cpu[2], cpu[3], disconnects, unseen, errors);
        return errors == 0 && unseen == 0 && total.skipped == 0 ? LoadTool.OK : LoadTool.FAILED;
    }
}
