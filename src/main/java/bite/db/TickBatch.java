package bite.db;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The batching rule of one {@code every=MS} subscription, as a pure object: time comes in as arguments, so it is
 * tested without a clock or a thread. Owned by bite-db.
 *
 * <p>Windows of MS milliseconds start when the subscription is made. An event files its push line under its key,
 * replacing whatever that key had pending (latest wins: a delete replaces a set and the other way round). The first
 * event of an empty pending set asks for a tick at the end of its window; at that tick the pending lines go out
 * together, ordered by revision, unless the previous batch has not yet left for the socket: then they keep merging
 * and the next window's end is asked for instead. A batch goes out at most once per window, since ticks come only
 * at window ends and each window's end is asked for once.
 */
final class TickBatch {

    private record Pending(long revision, byte[] line) {}

    private final int everyMillis;
    private final long startMillis;
    private final Map<String, Pending> byKey = new HashMap<>();
    private long tickAt = -1; // the window end a tick was asked for; -1: none
    private long lastSentWindow = -1;
    private long sentMark; // where the last batch sent ends in its connection's output (Client.outputMark)

    TickBatch(int everyMillis, long startMillis) {
        if (everyMillis < 1) throw new IllegalArgumentException("every " + everyMillis);
        this.everyMillis = everyMillis;
        this.startMillis = startMillis;
    }

    /**
     * Files the event of {@code revision} on {@code key} (its push line {@code line}) at time {@code now}. Returns the
     * time a tick must come at, or -1 when one was already asked for.
     */
    long offer(String key, long revision, byte[] line, long now) {
        byKey.put(key, new Pending(revision, line));
        if (tickAt >= 0) return -1;
        tickAt = windowEnd(now);
        return tickAt;
    }

    /**
     * The tick asked for came, at {@code now}: the batch's lines in revision order, or null when nothing goes out now
     * (nothing pending, or {@code previousLeft} is false: the previous batch is still waiting for the socket). Then
     * {@link #tickAt()} says whether another tick is needed.
     */
    List<byte[]> onTick(long now, boolean previousLeft) {
        tickAt = -1;
        if (byKey.isEmpty()) return null;
        long window = windowOf(now);
        if (!previousLeft || window <= lastSentWindow) {
            tickAt = windowEnd(now); // keep merging; try again when this window ends
            return null;
        }
        lastSentWindow = window;
        List<Pending> pending = new ArrayList<>(byKey.values());
        byKey.clear();
        pending.sort((a, b) -> Long.compare(a.revision(), b.revision()));
        List<byte[]> lines = new ArrayList<>(pending.size());
        for (Pending p : pending) lines.add(p.line());
        return lines;
    }

    /** Where the last batch sent ends in the connection's output; 0 before the first. */
    long sentMark() {
        return sentMark;
    }

    /** The batch {@link #onTick} gave was queued, ending at {@code mark} of the connection's output. */
    void sentAt(long mark) {
        sentMark = mark;
    }

    /** The time of the tick asked for and not yet come; -1 when none. */
    long tickAt() {
        return tickAt;
    }

    /** Keys with an event waiting. */
    int pending() {
        return byKey.size();
    }

    private long windowOf(long now) {
        return Math.floorDiv(now - startMillis, everyMillis);
    }

    /** The end of the window {@code now} falls in (the start of the next one). */
    private long windowEnd(long now) {
        return startMillis + (windowOf(now) + 1) * everyMillis;
    }
}
