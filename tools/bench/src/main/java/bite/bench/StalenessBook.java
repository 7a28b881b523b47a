package bite.bench;

/**
 * The view staleness of one room of the game: for every write, the time from the write to the moment every other
 * player of the room has seen that value or a newer one for that key. Owned by the game's one loop thread.
 *
 * <p>Player {@code i} writes key {@code i}; its writes are numbered 1, 2, 3, ... ({@link #wrote}). An observer that
 * sees number {@code s} of key {@code i} ({@link #seen}) has seen every earlier number too (latest wins: a
 * tick-batched subscriber skips the ones that were replaced). So for each key the book keeps the writes not yet seen
 * by everyone, oldest first, each with how many observers have reached it; a write is done when all other players
 * have, and since an observer's numbers only grow, writes are done in order. The work per write is one step per
 * observer, whatever the batching. A player that is {@link #gone} counts as having seen everything.
 */
final class StalenessBook {

    /** Receives each finished write: when it was written and how long until everyone had seen it (nanoseconds). */
    interface Sink {
        void record(long writtenAt, long staleNanos);
    }

    private final int players;
    private final Sink sink;
    /** seen[observer][key]: the highest write number of key that observer has seen. */
    private final long[][] seen;
    private final boolean[] gone;
    private int goneCount;
    private final Key[] keys;

    /** One key's writes not yet seen by everyone: numbers head .. next-1, in a ring indexed by number. */
    private static final class Key {
        long next = 1;
        long head = 1;
        long[] writtenAt = new long[16];
        int[] reached = new int[16];

        int slot(long number) {
            return (int) (number & (writtenAt.length - 1));
        }

        void grow() {
            long[] w = new long[writtenAt.length * 2];
            int[] r = new int[reached.length * 2];
            for (long n = head; n < next; n++) {
                w[(int) (n & (w.length - 1))] = writtenAt[slot(n)];
                r[(int) (n & (r.length - 1))] = reached[slot(n)];
            }
            writtenAt = w;
            reached = r;
        }
    }

    StalenessBook(int players, Sink sink) {
        this.players = players;
        this.sink = sink;
        this.seen = new long[players][players];
        this.gone = new boolean[players];
        this.keys = new Key[players];
        for (int i = 0; i < players; i++) {
            keys[i] = new Key();
        }
    }

    /** Player {@code key} writes its key at {@code now}; returns the write's number (1, 2, ...). */
    long wrote(int key, long now) {
        Key k = keys[key];
        if (k.next - k.head == k.writtenAt.length) {
            k.grow();
        }
        long number = k.next++;
        k.writtenAt[k.slot(number)] = now;
        k.reached[k.slot(number)] = goneCount - (gone[key] ? 1 : 0);
        finish(k, now);
        return number;
    }

    /** {@code observer} saw write {@code number} of {@code key} at {@code now}; older or repeated news is ignored. */
    void seen(int observer, int key, long number, long now) {
        if (observer == key || gone[observer]) {
            return;
        }
        Key k = keys[key];
        long last = seen[observer][key];
        if (number <= last) {
            return;
        }
        long upTo = Math.min(number, k.next - 1); // a number never written (a corrupt push) cannot finish writes
        for (long n = Math.max(last + 1, k.head); n <= upTo; n++) {
            k.reached[k.slot(n)]++;
        }
        seen[observer][key] = Math.max(last, upTo);
        finish(k, now);
    }

    /** {@code player} left (disconnected): from now on it counts as having seen every write. */
    void gone(int player, long now) {
        if (gone[player]) {
            return;
        }
        for (int key = 0; key < players; key++) {
            if (key != player) {
                seen(player, key, keys[key].next - 1, now);
            }
        }
        gone[player] = true;
        goneCount++;
    }

    /** Writes that some player has not seen yet. */
    long pending() {
        long n = 0;
        for (Key k : keys) {
            n += k.next - k.head;
        }
        return n;
    }

    /** Of the writes made at or after {@code since}, those that some player has not seen yet. */
    long pendingSince(long since) {
        long n = 0;
        for (Key k : keys) {
            for (long w = k.head; w < k.next; w++) {
                if (k.writtenAt[k.slot(w)] - since >= 0) {
                    n++;
                }
            }
        }
        return n;
    }

    private void finish(Key k, long now) {
        int others = players - 1;
        while (k.head < k.next && k.reached[k.slot(k.head)] >= others) {
            long at = k.writtenAt[k.slot(k.head)];
            sink.record(at, now - at);
            k.head++;
        }
    }
}
