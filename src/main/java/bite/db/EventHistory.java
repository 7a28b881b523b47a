package bite.db;

/**
 * The most recent events of this server run, for {@code from=} replays: a ring of the last {@code capacity} events
 * (key, and value or null for a delete), revision {@code newest() - size() + 1} to {@link #newest()}. Plain and
 * unsynchronized: owned by bite-db (or a unit test's thread).
 *
 * <p>It holds references to the strings the keyspace holds anyway, so an event costs its two slots in the ring
 * until a value is overwritten in the keyspace; then the ring keeps that old value alive until it wraps. The cost
 * per event is measured in docs/BENCHMARKS.md.
 */
final class EventHistory {

    private final String[] keys;
    private final String[] values;
    private long newest; // the revision of the last event recorded (0: none yet)
    private long forgotten; // events up to this revision were dropped by forget()

    EventHistory(int capacity) {
        if (capacity < 0) throw new IllegalArgumentException("history capacity " + capacity);
        keys = new String[capacity];
        values = new String[capacity];
    }

    /** Records the event with revision {@code newest() + 1}. */
    void add(String key, String value) {
        newest++;
        if (keys.length == 0) return;
        int slot = (int) ((newest - 1) % keys.length);
        keys[slot] = key;
        values[slot] = value;
    }

    /** The revision of the latest event (NOW); 0 before the first. */
    long newest() {
        return newest;
    }

    /** How many events are held. */
    int size() {
        return (int) Math.min(newest - forgotten, keys.length);
    }

    /**
     * Drops every event held (their values with them), keeping the revisions going: over the memory cap, the values
     * of deleted and overwritten keys that only the history keeps alive are what deletes could not free. Returns how
     * many were dropped.
     */
    int forget() {
        int dropped = size();
        java.util.Arrays.fill(keys, null);
        java.util.Arrays.fill(values, null);
        forgotten = newest;
        return dropped;
    }

    /** The oldest revision held; 0 when none is held. */
    long oldest() {
        return size() == 0 ? 0 : newest - size() + 1;
    }

    /**
     * Whether every event after {@code revision} is held (so a resume from it misses nothing): it is at most NOW,
     * and at least the oldest held minus one (with nothing held: exactly NOW).
     */
    boolean coversAfter(long revision) {
        if (revision < 0 || revision > newest) return false;
        return size() == 0 ? revision == newest : revision >= oldest() - 1;
    }

    /** The key of held event {@code revision}. */
    String key(long revision) {
        return keys[slot(revision)];
    }

    /** The value of held event {@code revision}; null for a delete. */
    String value(long revision) {
        return values[slot(revision)];
    }

    private int slot(long revision) {
        if (revision < oldest() || revision > newest || size() == 0) {
            throw new IllegalArgumentException("revision " + revision + " is not held");
        }
        return (int) ((revision - 1) % keys.length);
    }
}
