package bite.bench;

import bite.bench.BenchOptions.UsageException;

import java.util.Locale;
import java.util.Set;

/**
 * The options of {@code --op game} (see {@link GameLoad}), parsed as part of {@link BenchOptions} on the main
 * thread. Immutable.
 *
 * @param rooms     rooms, each with its own players; default 10
 * @param players   players per room, one connection each (two on Redis); default 100
 * @param hz        position writes per second of each player; default 20
 * @param everyMs   Bite: the subscription's {@code every=MS}; 0 subscribes without it (every change pushed at once);
 *                  default 50
 * @param redis     play the same game on Redis: SET + PUBLISH per update, a SUBSCRIBE connection per player
 * @param serverPid the server's process id, to report its CPU and write calls from /proc; 0 (default) reports none
 */
record GameOptions(int rooms, int players, int hz, int everyMs, boolean redis, long serverPid) {

    static final Set<String> NAMES = Set.of("--rooms", "--players", "--hz", "--every", "--proto", "--server-pid");

    static final String USAGE = """
              --op game          R rooms of P players: each player subscribes to its room (#k room.R, protocol 3)
                                 and writes its position to room.R.players.I.pos at --hz; reports writes,
                                 pushes, bytes received, view staleness (write until every other player of the
                                 room has seen it or a newer value), server CPU, disconnects. Runs 10 s unless
                                 --seconds; --warmup S plays S seconds first, not counted
              --rooms N          game: rooms (10)
              --players N        game: players per room (100)
              --hz N             game: position writes per second per player (20)
              --every MS         game: subscribe with every=MS, 0 = no batching (50)
              --proto P          game: bite | redis (bite); redis: SET + PUBLISH room.R per update, each
                                 player SUBSCRIBEd to its room on a second connection
              --server-pid PID   game: read the server's CPU and write calls from /proc/PID (Linux)
            """;

    static GameOptions defaults() {
        return new GameOptions(10, 100, 20, 50, false, 0);
    }

    /** This with option {@code name} (one of {@link #NAMES}) set to {@code value}. */
    GameOptions with(String name, String value) throws UsageException {
        return switch (name) {
            case "--rooms" -> new GameOptions(BenchOptions.intIn(name, value, 1, 100_000), players, hz, everyMs, redis,
                    serverPid);
            case "--players" -> new GameOptions(rooms, BenchOptions.intIn(name, value, 1, 10_000), hz, everyMs, redis,
                    serverPid);
            case "--hz" -> new GameOptions(rooms, players, BenchOptions.intIn(name, value, 1, 1000), everyMs, redis,
                    serverPid);
            case "--every" -> new GameOptions(rooms, players, hz, BenchOptions.intIn(name, value, 0, 60_000), redis,
                    serverPid);
            case "--proto" -> new GameOptions(rooms, players, hz, everyMs, proto(value), serverPid);
            case "--server-pid" -> new GameOptions(rooms, players, hz, everyMs, redis,
                    BenchOptions.longIn(name, value, 1, Integer.MAX_VALUE));
            default -> throw new IllegalArgumentException(name);
        };
    }

    int connections() {
        return rooms * players;
    }

    long writesPerSecond() {
        return (long) rooms * players * hz;
    }

    String describe() {
        return String.format(Locale.ROOT, "proto=%s rooms=%d players=%d hz=%d every=%s", redis ? "redis" : "bite",
                rooms, players, hz, redis ? "-" : Integer.toString(everyMs));
    }

    private static boolean proto(String value) throws UsageException {
        return switch (value) {
            case "bite" -> false;
            case "redis" -> true;
            default -> throw new UsageException("--proto must be bite or redis, not '" + value + "'");
        };
    }
}
