package bite.db;

import bite.util.MemoryCap;

import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What a {@link Database} is connected to besides its data: the server's {@code info} fields, the event history's
 * size, where {@code every=} ticks and session-grace ends are asked for and the clock they count by, where big reads
 * are rendered, and the memory cap. A value: {@link #defaults()} (what unit tests use: nothing scheduled, everything
 * rendered in place, no cap), changed one concern at a time.
 *
 * @param serverInfo  the server's own {@code info} fields, as JSON members ({@code "a":1,"b":"x"})
 * @param historySize events kept for {@code from=} replays ({@code --history})
 * @param ticks       where the window ends of {@code every=} subscriptions are asked for
 * @param clockMillis the time in milliseconds, for {@code every=} windows (any origin; only differences count)
 * @param graceMillis {@code --session-grace}: how long a protocol-3 session outlives its connection
 * @param graces      where the ends of session graces are asked for
 * @param bigReads    where reads too big for one step go to be rendered ({@link BigRead}); null: none
 * @param memory      over it, requests that add data get {@code ERR out of memory}
 */
record DatabaseWiring(Supplier<String> serverInfo, int historySize, TickScheduler ticks, LongSupplier clockMillis,
                      long graceMillis, Sessions.GraceScheduler graces, Consumer<BigRead> bigReads,
                      MemoryCap memory) {

    /** Events kept for {@code from=} replays when no {@code --history} is given. */
    static final int DEFAULT_HISTORY = 100_000;

    static DatabaseWiring defaults() {
        return new DatabaseWiring(() -> "", DEFAULT_HISTORY, (delay, tick) -> { }, () -> System.nanoTime() / 1_000_000,
                0, (delay, end) -> { }, null, MemoryCap.NONE);
    }

    DatabaseWiring serverInfo(Supplier<String> info) {
        return new DatabaseWiring(info, historySize, ticks, clockMillis, graceMillis, graces, bigReads, memory);
    }

    DatabaseWiring history(int size) {
        return new DatabaseWiring(serverInfo, size, ticks, clockMillis, graceMillis, graces, bigReads, memory);
    }

    DatabaseWiring ticks(TickScheduler scheduler, LongSupplier clock) {
        return new DatabaseWiring(serverInfo, historySize, scheduler, clock, graceMillis, graces, bigReads, memory);
    }

    DatabaseWiring sessions(long grace, Sessions.GraceScheduler scheduler) {
        return new DatabaseWiring(serverInfo, historySize, ticks, clockMillis, grace, scheduler, bigReads, memory);
    }

    DatabaseWiring bigReads(Consumer<BigRead> renderer) {
        return new DatabaseWiring(serverInfo, historySize, ticks, clockMillis, graceMillis, graces, renderer, memory);
    }

    DatabaseWiring memory(MemoryCap cap) {
        return new DatabaseWiring(serverInfo, historySize, ticks, clockMillis, graceMillis, graces, bigReads, cap);
    }
}
