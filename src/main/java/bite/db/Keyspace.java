package bite.db;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.SortedSet;
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

    private final HashMap<String, String> values;
    private final TreeSet<String> order = new TreeSet<>(KeyOrder.INSTANCE);

    /**
     * Starts with {@code initial}'s entries. The keys are sorted in an array first and the sorted set is built from
     * it in one linear pass: inserting a million keys one by one into the tree took about 5 s on one core (twenty
     * comparisons over cold memory each, plus rebalancing), most of a start-up with that many keys.
     */
    Keyspace(Map<String, String> initial) {
        values = new HashMap<>(initial);
        String[] keys = values.keySet().toArray(new String[0]);
        Arrays.sort(keys, KeyOrder.INSTANCE);
        order.addAll(new SortedKeys(keys)); // TreeSet builds from a SortedSet of its own order in linear time
    }

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

    /** Distinct keys already sorted in {@link KeyOrder}, shown as a SortedSet only to be copied into a TreeSet. */
    private static final class SortedKeys extends AbstractSet<String> implements SortedSet<String> {
        private final String[] keys;

        SortedKeys(String[] keys) {
            this.keys = keys;
        }

        @Override
        public Comparator<? super String> comparator() {
            return KeyOrder.INSTANCE;
        }

        @Override
        public Iterator<String> iterator() {
            return Arrays.asList(keys).iterator();
        }

        @Override
        public int size() {
            return keys.length;
        }

        @Override
        public String first() {
            if (keys.length == 0) throw new NoSuchElementException();
            return keys[0];
        }

        @Override
        public String last() {
            if (keys.length == 0) throw new NoSuchElementException();
            return keys[keys.length - 1];
        }

        @Override
        public SortedSet<String> subSet(String from, String to) {
            throw new UnsupportedOperationException("only for building a TreeSet");
        }

        @Override
        public SortedSet<String> headSet(String to) {
            throw new UnsupportedOperationException("only for building a TreeSet");
        }

        @Override
        public SortedSet<String> tailSet(String from) {
            throw new UnsupportedOperationException("only for building a TreeSet");
        }
    }
}
