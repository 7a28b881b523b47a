package bite.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The game: {@code rooms} rooms of {@code players} players. Each player subscribes to its room and writes its own
 * position at {@code hz} (see {@link GameWire} for the wire forms, on Bite and on Redis); every push it receives
 * tells the room's {@link StalenessBook} what it has seen. Writes are paced open loop over all players (write m is
 * due at start + m / (rooms x players x hz), a late loop catches up) and sent by the same thread that reads every
 * connection through one selector, so the whole game state is this thread's: the thread that calls {@link #run}.
 * Prints a line a second and a summary with a {@code RESULT} line.
 */
final class GameLoad {

    private static final long SECOND = 1_000_000_000L;
    private static final long SETUP_TIMEOUT_NANOS = 60 * SECOND;
    private static final long DRAIN_NANOS = 2 * SECOND;

    private final BenchOptions options;
    private final GameOptions game;
    private final PrintStream out;
    private final long base = System.nanoTime() - 1;
    private final GameWire wire;
    private final GameWire.Update update = new GameWire.Update();
    private final StalenessBook[] books;
    private final GameConn[] writers;
    private final List<GameConn> conns = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(256 * 1024);
    private final Selector selector;

    private GameReport.Counts total = new GameReport.Counts();
    private GameReport.Counts second = new GameReport.Counts();
    /** Set when the warm-up is over: only what was written from {@link #measureFrom} on is counted. */
    private boolean measuring;
    private long measureFrom;
    private final ArrayDeque<GameConn> unsent = new ArrayDeque<>();
    private long confirmed;
    private long disconnects;
    private final Tally problems = new Tally();
    /** This tool's own CPU while measuring, in % of one core (-1 when /proc cannot tell): near 100 it is the limit. */
    private double clientCpuPercent;

    GameLoad(BenchOptions options, PrintStream out) throws IOException {
        this.options = options;
        this.game = options.game();
        this.out = out;
        this.wire = new GameWire(options.valueSize());
        this.books = new StalenessBook[game.rooms()];
        for (int r = 0; r < game.rooms(); r++) {
            books[r] = new StalenessBook(game.players(), this::recordStaleness);
        }
        this.writers = new GameConn[game.connections()];
        this.selector = Selector.open();
    }

    int run() throws InterruptedException {
        try {
            long t0 = System.nanoTime();
            connect();
            long deadline = System.nanoTime() + SETUP_TIMEOUT_NANOS;
            while (confirmed < game.connections() && problems.errors() == 0 && System.nanoTime() < deadline) {
                poll(100);
            }
            if (confirmed < game.connections()) {
                out.printf("bench: only %d of %d players were subscribed%s%n", confirmed, game.connections(),
                        problems.firstProblem == null ? "" : " (" + problems.firstProblem + ")");
                return LoadTool.FAILED;
            }
            out.printf(Locale.ROOT, "subscribed: %d players in %d rooms in %.3f s%n", game.connections(), game.rooms(),
                    (System.nanoTime() - t0) / 1e9);
            return play();
        } catch (IOException e) {
            out.println("bench: " + e.getMessage());
            return LoadTool.FAILED;
        } finally {
            for (GameConn c : conns) {
                c.close();
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // done with it
            }
        }
    }

    private void connect() throws IOException {
        for (int r = 0; r < game.rooms(); r++) {
            for (int p = 0; p < game.players(); p++) {
                int index = r * game.players() + p;
                if (game.redis()) {
                    GameConn sub = open(GameConn.Role.REDIS_SUBSCRIBER, r, p);
                    wire.redisSubscribe(r);
                    sub.send(wire.buffer(), wire.length());
                    writers[index] = open(GameConn.Role.REDIS_COMMANDS, r, p);
                } else {
                    GameConn c = open(GameConn.Role.BITE, r, p);
                    c.setupReplies = options.password() == null ? 2 : 3;
                    wire.biteSetup(options.password(), r, game.everyMs());
                    c.send(wire.buffer(), wire.length());
                    writers[index] = c;
                }
            }
            poll(0); // read the confirmations so far, so that the server's replies never pile up
        }
    }

    private GameConn open(GameConn.Role role, int room, int player) throws IOException {
        GameConn c = GameConn.open(options.host(), options.port(), role, room, player);
        c.channel.register(selector, SelectionKey.OP_READ, c);
        conns.add(c);
        return c;
    }

    private int play() throws IOException {
        long start = System.nanoTime();
        long warmupEnd = start + (long) (options.warmup() * SECOND);
        long end = warmupEnd + (long) (options.seconds() * SECOND);
        double interval = (double) SECOND / game.writesPerSecond();
        long m = 0;
        long nextReport = warmupEnd + SECOND;
        long secondStart = warmupEnd;
        ServerStats statsAtSecond = ServerStats.read(game.serverPid());
        ServerStats statsAtStart = statsAtSecond;
        ServerStats selfAtStart = ServerStats.read(ProcessHandle.current().pid());
        long now = start;
        while (now < end) {
            if (!measuring && now >= warmupEnd) {
                measuring = true;
                measureFrom = now;
                total = new GameReport.Counts();
                second = new GameReport.Counts();
                statsAtStart = ServerStats.read(game.serverPid());
                statsAtSecond = statsAtStart;
                selfAtStart = ServerStats.read(ProcessHandle.current().pid());
            }
            long due = start + (long) (m * interval);
            while (due <= now && due < end) {
                write((int) (m % game.connections()));
                m++;
                due = start + (long) (m * interval);
            }
            for (int i = unsent.size(); i > 0; i--) { // what a full socket did not take, once a turn
                GameConn c = unsent.poll();
                if (!c.closed && c.flush()) {
                    unsent.add(c);
                }
            }
            long wait = due - System.nanoTime();
            poll(wait <= 0 ? 0 : Math.max(1, wait / 1_000_000)); // writes go out in batches of at most a ms

            now = System.nanoTime();
            if (now >= nextReport) {
                ServerStats stats = ServerStats.read(game.serverPid());
                report(now - secondStart, statsAtSecond.ratesUntil(stats, now - secondStart));
                statsAtSecond = stats;
                secondStart = now;
                second = new GameReport.Counts();
                nextReport += SECOND;
            }
        }
        for (long due = start + (long) (m * interval); due < end; due = start + (long) (m * interval)) {
            write((int) (m % game.connections())); // what fell due while the last turn waited: the count is exact
            m++;
        }
        long elapsed = System.nanoTime() - warmupEnd;
        double[] server = statsAtStart.ratesUntil(ServerStats.read(game.serverPid()), elapsed);
        clientCpuPercent = selfAtStart.ratesUntil(ServerStats.read(ProcessHandle.current().pid()), elapsed)[0] / 10;
        long drainEnd = System.nanoTime() + DRAIN_NANOS;
        while (unseen() > 0 && System.nanoTime() < drainEnd) {
            poll(10);
        }
        return summary(elapsed, server);
    }

    private void write(int index) throws IOException {
        GameConn c = writers[index];
        if (c == null || c.closed) {
            return;
        }
        int room = index / game.players();
        int player = index % game.players();
        long now = System.nanoTime();
        long seq = books[room].wrote(player, now);
        if (game.redis()) {
            wire.redisWrite(room, player, seq, now - base);
        } else {
            wire.biteWrite(room, player, seq, now - base);
        }
        if (c.send(wire.buffer(), wire.length())) {
            if (c.hasUnsent() && !unsent.contains(c)) {
                unsent.add(c);
            }
            total.writes++;
            second.writes++;
        } else {
            total.skipped++; // the book still counts it: its staleness ends when a later write is seen
            second.skipped++;
        }
    }

    private void poll(long timeoutMillis) throws IOException {
        if (timeoutMillis > 0) {
            selector.select(timeoutMillis);
        } else {
            selector.selectNow();
        }
        for (SelectionKey key : selector.selectedKeys()) {
            GameConn c = (GameConn) key.attachment();
            if (c.closed) {
                continue;
            }
            int n;
            try {
                n = c.read(readBuffer, this::line);
            } catch (IOException e) {
                n = -1;
            }
            if (n < 0) {
                lost(c, "the server closed the connection");
            } else {
                total.bytes += n;
                second.bytes += n;
            }
        }
        selector.selectedKeys().clear();
    }

    private void lost(GameConn c, String why) {
        disconnects++;
        problems.connectionFailures++;
        problems.problem("room " + c.room + " player " + c.player + ": " + why);
        c.close();
        if (c.role != GameConn.Role.REDIS_COMMANDS) {
            books[c.room].gone(c.player, System.nanoTime());
        }
    }

    /** One line from connection {@code c}: a setup reply, a write's reply, or a push. */
    private void line(GameConn c, byte[] b, int start, int length) {
        long now = System.nanoTime();
        boolean push = switch (c.role) {
            case BITE -> length > 0 && b[start] == '>';
            case REDIS_COMMANDS -> false;
            case REDIS_SUBSCRIBER -> true;
        };
        if (!push) {
            reply(c, b, start, length);
            return;
        }
        if (c.role == GameConn.Role.REDIS_SUBSCRIBER) {
            switch (c.respLine(b, start, length)) {
                case PAYLOAD -> { } // parsed below
                case SUBSCRIBED -> {
                    confirmed++;
                    return;
                }
                case BAD -> {
                    bad(c, "a RESP line '" + Tally.printable(new String(b, start, length)) + "' outside an array");
                    return;
                }
                case OTHER -> {
                    return;
                }
            }
        }
        boolean parsed = c.role == GameConn.Role.BITE ? GameWire.parseBitePush(b, start, length, update)
                : GameWire.parseUpdate(b, start, start + length, update);
        if (!parsed || update.player >= game.players()) {
            bad(c, "an unexpected push '" + Tally.printable(new String(b, start, length)) + "'");
            return;
        }
        total.pushes++;
        second.pushes++;
        if (measuring && update.ts >= measureFrom - base) {
            total.delivery.record(now - base - update.ts);
            second.delivery.record(now - base - update.ts);
        }
        books[c.room].seen(c.player, update.player, update.seq, now);
    }

    /** A reply: {@code OK}/{@code =OK ...} (Bite), {@code +OK} or {@code :N} (Redis); the setup ones confirm. */
    private void reply(GameConn c, byte[] b, int start, int length) {
        boolean ok = length >= 2 && (b[start] == '=' ? length >= 3 && b[start + 1] == 'O' && b[start + 2] == 'K'
                : b[start] == 'O' && b[start + 1] == 'K' || b[start] == '+' || b[start] == ':');
        if (!ok) {
            bad(c, "the reply '" + Tally.printable(new String(b, start, length)) + "'");
        } else if (c.setupReplies > 0 && --c.setupReplies == 0) {
            confirmed++;
        }
    }

    private void bad(GameConn c, String what) {
        problems.wrongReplies++;
        problems.problem("room " + c.room + " player " + c.player + ": " + what);
    }

    private void recordStaleness(long writtenAt, long staleNanos) {
        if (measuring && writtenAt - measureFrom >= 0) {
            total.stale.record(staleNanos);
            second.stale.record(staleNanos);
        }
    }

    private long unseen() {
        long n = 0;
        for (StalenessBook book : books) {
            n += book.pendingSince(measureFrom);
        }
        return n;
    }

    private void report(long nanos, double[] server) {
        if (!options.quiet()) {
            GameReport.second(out, second, (System.nanoTime() - measureFrom) / 1e9, nanos, server, disconnects);
        }
    }

    private int summary(long elapsedNanos, double[] server) {
        return GameReport.summary(out, game, total, elapsedNanos, new double[] {server[0], server[1], server[2],
                clientCpuPercent}, disconnects, unseen(), problems);
    }
}
