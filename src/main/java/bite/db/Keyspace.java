package bite.db;

import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The data: key to value, sorted in {@link KeyOrder} so that a key's subtree (the key and its descendants) is one
 * contiguous range. Plain and unsynchronized on purpose: only the bite-db thread touches it.
 */
final class Keyspace {

    private final TreeMap<String, String> map = new TreeMap<>(KeyOrder.INSTANCE);

    String get(String key) {
        return map.get(key);
    }

    /** Stores {@code value}; returns the previous value or null. */
    String put(String key, String value) {
        return map.put(key, value);
    }

    /** Removes the key's own value (never its descendants); returns it, or null when there was none. */
    String remove(String key) {
        return map.remove(key);
    }

    int size() {
        return map.size();
    }

    /**
     * The entries of {@code key}'s subtree in key order: the key itself first (when it has a value), then its
     * descendants. With {@code key} null, every entry.
     */
    Iterator<Map.Entry<String, String>> subtree(String key) {
        return range(key).entrySet().iterator();
    }

    private NavigableMap<String, String> range(String key) {
        if (key == null) return map;
        // Keys hold no control characters, so key + U+0000 sorts after every "key.…" (the dot ranks lowest) and
        // before every other key that starts with key: exactly the subtree.
        return map.subMap(key, true, key + '\0', false);
    }

    /** Everything, for handing to storage or tests. */
    Map<String, String> view() {
        return java.util.Collections.unmodifiableMap(map);
    }
}
