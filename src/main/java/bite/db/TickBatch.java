package bite.db;

/**
 * The batching rule of one {@code every=MS} subscription, as a pure object: time comes in as arguments, so it is
 * tested without a clock or a thread. The events themselves wait in the {@link TickLog} its key and kind share with
 * the other {@code every=} subscriptions there; this object holds where this subscription stands in it and when it
 * may send. Owned by bite-db.
 *
 * <p>Windows of MS milliseconds start when the subscription is made. The first event after a batch (or after the
 * start) asks for a tick at the end of its window (the log keeps the subscriptions waiting for that first event, so
 * that an event costs nothing per subscription already waiting for its tick); at that tick the events above the subscription's position go out
 * together, the latest of each key, ordered by revision, unless the previous batch has not yet left for the socket:
 * then they keep merging in the log and the next window's end is asked for instead. A batch goes out at most once
 * per window, since ticks come only at window ends and each window's end is asked for once.
 */
final class TickBatch {

    private final long id;
    private final int everyMillis;
    private final long startMillis;
    private final TickLog log;
    private long position; // the revision up to which events were sent (or came before the subscription)
    private long tickAt = -1; // the window end a tick was asked for; -1: none
    private long lastSentWindow = -1;
    private long sentMark; // where the last batch sent ends in its connection's output (Client.outputMark)

    /**
     * @param id       the subscription's id, which its window ends carry ({@link TickQueue})
     * @param position the newest revision when the subscription is made: its batches hold the events above it
     */
    TickBatch(long id, int everyMillis, long startMillis, TickLog log, long position) {
        if (everyMillis < 1) throw new IllegalArgumentException("every " + everyMillis);
        this.id = id;
        this.everyMillis = everyMillis;
        this.startMillis = startMillis;
        this.log = log;
        this.position = position;
        log.join(this);
    }

    TickLog log() {
        return log;
    }

    long id() {
        return id;
    }

    /**
     * An event was filed in the log at time {@code now}. Returns the time a tick must come at, or -1 when one was
     * already asked for.
     */
    long offer(long now) {
        if (tickAt >= 0) return -1;
        tickAt = windowEnd(now);
        return tickAt;
    }

    /**
     * The tick asked for came, at {@code now}: the batch's lines in revision order as one chunk, or null when nothing
     * goes out now (nothing pending, or {@code previousLeft} is false: the previous batch is still waiting for the
     * socket). Then {@link #tickAt()} says whether another tick is needed.
     */
    byte[] onTick(long now, boolean previousLeft) {
        tickAt = -1;
        if (!log.hasAfter(position)) {
            log.idle(this);
            return null;
        }
        long window = windowOf(now);
        if (!previousLeft || window <= lastSentWindow) {
            tickAt = windowEnd(now); // keep merging; try again when this window ends
            return null;
        }
        lastSentWindow = window;
        byte[] batch = log.linesAfter(position);
        position = log.newest();
        log.idle(this); // the next event asks for a tick again
        return batch;
    }

    /** The revision up to which this subscription has sent. */
    long position() {
        return position;
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
        return log.countAfter(position);
    }

    private long windowOf(long now) {
        return Math.floorDiv(now - startMillis, everyMillis);
    }

    /** The end of the window {@code now} falls in (the start of the next one). */
    private long windowEnd(long now) {
        return startMillis + (windowOf(now) + 1) * everyMillis;
    }
}
