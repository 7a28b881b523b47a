package bite.db;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The data: key to value. Point reads and writes go to a hash map; the keys are also kept sorted in
 * {@link KeyOrder}, where a key's subtree (the key and its descendants) is one contiguous range, for {@code k},
 * {@code j} and {@code js}. Both map a key to the same {@link Cell}, so overwriting a key that exists — the common
 * write in game state — touches only the hash map and the cell; the sorted map changes only when a key appears or
 * goes. Owned by the bite-db thread: only it writes, and only it reads the hash map.
 *
 * <p>Snapshots ({@link #snapshot}, O(1)): a big read is rendered on another thread while bite-db goes on writing,
 * and must show exactly the state at its request's position. Every write is numbered; a cell keeps its newest
 * version first and, while some snapshot is open, the versions it replaced, so a snapshot taken at number S reads,
 * per key, the newest version numbered at most S. While snapshots are open a deleted key stays in the sorted map as
 * a tombstone; when the last one closes ({@link #release}), tombstones go and version chains are cut. The sorted map
 * is a concurrent skip list, safe to walk while bite-db inserts; a cell's head is published with a release store;
 * versions are immutable.
 * Costs against the plain hash map and tree set this replaced: docs/BENCHMARKS.md, "Big reads".
 *
 * <p>Why two structures: with a sorted map alone, a point read at 1,000,000 keys took 3.4 µs (twenty string
 * comparisons over cold memory, {@code KeyspaceBench}); the hash map makes it a fraction of that.
 */
final class Keyspace {

    /**
     * One value of a key and the write that stored it ({@code value} null: deleted). Changed in place only while no
     * snapshot is open (then no other thread reads any version: the next snapshot's hand-off publishes the change);
     * while snapshots are open, every write makes a new one, never changed after.
     */
    private static final class Version {
        String value;
        long number;
        Version older;

        Version(String value, long number, Version older) {
            this.value = value;
            this.number = number;
            this.older = older;
        }
    }

    /**
     * A key's versions, newest first. bite-db reads and writes the head plainly and publishes a new one with a
     * release store ({@link #set}); a snapshot reader reads it with an acquire load ({@link #acquire}): on x86 both
     * are plain moves, where a volatile store would cost a fence per write.
     */
    private static final class Cell {
        private static final VarHandle HEAD;

        static {
            try {
                HEAD = MethodHandles.lookup().findVarHandle(Cell.class, "head", Version.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        Version head;

        Cell(Version head) {
            this.head = head; // published through the skip list's own release (or a snapshot's hand-off)
        }

        void set(Version v) {
            HEAD.setRelease(this, v);
        }

        Version acquire() {
            return (Version) HEAD.getAcquire(this);
        }
    }

    private final HashMap<String, Cell> cells;
    private final ConcurrentSkipListMap<String, Cell> order;
    private int size; // keys with a value (tombstones not counted)
    private long written; // number of the last write
    private int openSnapshots;
    private final List<Cell> chained = new ArrayList<>(); // cells holding older versions for open snapshots
    private final List<String> tombstones = new ArrayList<>(); // deleted while snapshots were open

    /**
     * Starts with {@code initial}'s entries. The keys are sorted in an array first and the sorted map is built from
     * it in one linear pass: inserting a million keys one by one took seconds of a start-up with that many keys.
     */
    Keyspace(Map<String, String> initial) {
        cells = HashMap.newHashMap(initial.size());
        String[] keys = initial.keySet().toArray(new String[0]);
        Arrays.sort(keys, KeyOrder.INSTANCE);
        Cell[] sorted = new Cell[keys.length];
        for (int i = 0; i < keys.length; i++) {
            sorted[i] = new Cell(new Version(initial.get(keys[i]), 0, null));
            cells.put(keys[i], sorted[i]);
        }
        order = new ConcurrentSkipListMap<>(new SortedCells(keys, sorted)); // linear from a SortedMap of its order
        size = keys.length;
    }

    String get(String key) {
        Cell cell = cells.get(key);
        return cell == null ? null : cell.head.value;
    }

    /** Stores {@code value}; returns the previous value or null. */
    String put(String key, String value) {
        long number = ++written;
        Cell cell = cells.get(key);
        if (cell == null) {
            cell = new Cell(new Version(value, number, null));
            cells.put(key, cell);
            order.put(key, cell);
            size++;
            return null;
        }
        Version previous = cell.head;
        String old = previous.value;
        if (old == null) size++;
        if (openSnapshots == 0) { // nobody else reads: the common overwrite allocates nothing
            previous.value = value;
            previous.number = number;
        } else {
            cell.set(new Version(value, number, kept(cell, previous)));
        }
        return old;
    }

    /** Removes the key's own value (never its descendants); returns it, or null when there was none. */
    String remove(String key) {
        Cell cell = cells.get(key);
        if (cell == null || cell.head.value == null) return null;
        Version previous = cell.head;
        size--;
        long number = ++written;
        if (openSnapshots == 0) {
            cells.remove(key);
            order.remove(key);
        } else {
            cell.set(new Version(null, number, kept(cell, previous)));
            tombstones.add(key);
        }
        return previous.value;
    }

    int size() {
        return size;
    }

    /**
     * The entries of {@code key}'s subtree in key order, as they are now: the key itself first (when it has a
     * value), then its descendants. With {@code key} null, every entry. Only on bite-db.
     */
    Iterator<Map.Entry<String, String>> subtree(String key) {
        return new Reading(range(order, key), Long.MAX_VALUE);
    }

    /** True when {@code key}'s subtree holds more than {@code n} entries (counts at most n + 1). */
    boolean subtreeLarger(String key, int n) {
        Iterator<Map.Entry<String, String>> it = subtree(key);
        for (int i = 0; i <= n; i++) {
            if (!it.hasNext()) return false;
            it.next();
        }
        return true;
    }

    /** The state as it is now, readable from any thread until {@link #release}d (bite-db must release it). */
    Snapshot snapshot() {
        openSnapshots++;
        return new Snapshot(order, written);
    }

    /** A snapshot's reader is done with it; with the last one, tombstones and older versions go. On bite-db. */
    void release(Snapshot snapshot) {
        if (--openSnapshots > 0) return;
        for (Cell cell : chained) cell.head.older = null; // no reader left
        chained.clear();
        for (String key : tombstones) {
            Cell cell = cells.get(key);
            if (cell != null && cell.head.value == null) {
                cells.remove(key);
                order.remove(key);
            }
        }
        tombstones.clear();
    }

    /** Everything, in key order, as a copy (for tests and tools; not for the hot path). */
    Map<String, String> view() {
        Map<String, String> copy = new LinkedHashMap<>();
        subtree(null).forEachRemaining(e -> copy.put(e.getKey(), e.getValue()));
        return Collections.unmodifiableMap(copy);
    }

    /** The older version a new one keeps, while snapshots are open (someone may still read it). */
    private Version kept(Cell cell, Version previous) {
        if (previous.older == null) chained.add(cell);
        return previous;
    }

    /** The keyspace at one write's number: the sorted map (walked safely from any thread) and that number. */
    record Snapshot(ConcurrentSkipListMap<String, Cell> order, long number) {

        /** {@code key}'s subtree (or everything, for null) as it was, in key order. Any thread. */
        Iterator<Map.Entry<String, String>> subtree(String key) {
            return new Reading(range(order, key), number);
        }
    }

    private static ConcurrentNavigableMap<String, Cell> range(ConcurrentSkipListMap<String, Cell> order, String key) {
        if (key == null) return order;
        // Keys hold no control characters, so key + U+0000 sorts after every "key.…" (the dot ranks lowest) and
        // before every other key that starts with key: exactly the subtree.
        return order.subMap(key, true, key + '\0', false);
    }

    /** Walks a range, showing per key the newest version numbered at most {@code number}; skips the absent. */
    private static final class Reading implements Iterator<Map.Entry<String, String>> {
        private final Iterator<Map.Entry<String, Cell>> cells;
        private final long number;
        private Map.Entry<String, String> next;

        Reading(ConcurrentNavigableMap<String, Cell> range, long number) {
            this.cells = range.entrySet().iterator();
            this.number = number;
        }

        @Override
        public boolean hasNext() {
            while (next == null && cells.hasNext()) {
                Map.Entry<String, Cell> e = cells.next();
                Version v = e.getValue().acquire();
                while (v != null && v.number > number) v = v.older;
                if (v != null && v.value != null) next = Map.entry(e.getKey(), v.value);
            }
            return next != null;
        }

        @Override
        public Map.Entry<String, String> next() {
            if (!hasNext()) throw new NoSuchElementException();
            Map.Entry<String, String> e = next;
            next = null;
            return e;
        }
    }

    /** Distinct keys already sorted in {@link KeyOrder}, shown as a SortedMap only to be copied into the skip list. */
    private static final class SortedCells extends AbstractMap<String, Cell> implements SortedMap<String, Cell> {
        private final String[] keys;
        private final Cell[] cells;

        SortedCells(String[] keys, Cell[] cells) {
            this.keys = keys;
            this.cells = cells;
        }

        @Override
        public Comparator<? super String> comparator() {
            return KeyOrder.INSTANCE;
        }

        @Override
        public Set<Entry<String, Cell>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Cell>> iterator() {
                    return new Iterator<>() {
                        private int i;

                        @Override
                        public boolean hasNext() {
                            return i < keys.length;
                        }

                        @Override
                        public Entry<String, Cell> next() {
                            if (i == keys.length) throw new NoSuchElementException();
                            i++;
                            return Map.entry(keys[i - 1], cells[i - 1]);
                        }
                    };
                }

                @Override
                public int size() {
                    return keys.length;
                }
            };
        }

        @Override
        public String firstKey() {
            if (keys.length == 0) throw new NoSuchElementException();
            return keys[0];
        }

        @Override
        public String lastKey() {
            if (keys.length == 0) throw new NoSuchElementException();
            return keys[keys.length - 1];
        }

        @Override
        public SortedMap<String, Cell> subMap(String from, String to) {
            throw new UnsupportedOperationException("only for building a skip list");
        }

        @Override
        public SortedMap<String, Cell> headMap(String to) {
            throw new UnsupportedOperationException("only for building a skip list");
        }

        @Override
        public SortedMap<String, Cell> tailMap(String from) {
            throw new UnsupportedOperationException("only for building a skip list");
        }
    }
}
