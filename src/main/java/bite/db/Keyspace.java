package bite.db;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The data: key to value. Point reads and writes go to a hash map; the keys are also kept sorted in
 * {@link KeyOrder}, where a key's subtree (the key and its descendants) is one contiguous range, for {@code k},
 * {@code j} and {@code js}. Overwriting a key that exists — the common write in game state — touches only the hash
 * map; the sorted set changes only when a key appears or goes. Plain and unsynchronized on purpose: only the
 * bite-db thread touches it.
 *
 * <p>Why two structures: with a sorted map alone, a point read at 1,000,000 keys took 3.4 µs (twenty string
 * comparisons over cold memory, {@code KeyspaceBench}); the hash map makes it a fraction of that, for about 40 bytes
 * more per key.
 */
final class Keyspace {

    private final HashMap<String, String> values = new HashMap<>();
    private final TreeSet<String> order = new TreeSet<>(KeyOrder.INSTANCE);

    String get(String key) {
        return values.get(key);
    }

    /** Stores {@code value}; returns the previous value or null. */
    String put(String key, String value) {
        String previous = values.put(key, value);
        if (previous == null) order.add(key);
        return previous;
    }

    /** Removes the key's own value (never its descendants); returns it, or null when there was none. */
    String remove(String key) {
        String previous = values.remove(key);
        if (previous != null) order.remove(key);
        return previous;
    }

    int size() {
        return values.size();
    }

    /**
     * The entries of {@code key}'s subtree in key order: the key itself first (when it has a value), then its
     * descendants. With {@code key} null, every entry.
     */
    Iterator<Map.Entry<String, String>> subtree(String key) {
        Iterator<String> keys = range(key).iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return keys.hasNext();
            }

            @Override
            public Map.Entry<String, String> next() {
                String k = keys.next();
                return Map.entry(k, values.get(k));
            }
        };
    }

    /** Everything, in key order, as a copy (for tests and tools; not for the hot path). */
    Map<String, String> view() {
        Map<String, String> copy = new LinkedHashMap<>();
        for (String k : order) copy.put(k, values.get(k));
        return Collections.unmodifiableMap(copy);
    }

    private NavigableSet<String> range(String key) {
        if (key == null) return order;
        // Keys hold no control characters, so key + U+0000 sorts after every "key.…" (the dot ranks lowest) and
        // before every other key that starts with key: exactly the subtree.
        return order.subSet(key, true, key + '\0', false);
    }
}
