package bite.storage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * bite-storage's own copy of the data, which snapshots are written from, so that bite-db's keyspace is never read by
 * another thread. Owned by bite-storage; while a snapshot is being written (by a bite-disk helper) the copy is
 * frozen and read by that helper only, and new changes go to a small overlay, folded in when the snapshot is done.
 */
final class DataCopy {

    private final HashMap<String, String> base;
    private HashMap<String, String> overlay; // non-null while base is frozen; in it, null marks a delete

    /** @param base the recovered data; the strings are shared with bite-db's, so a key costs about one map node */
    DataCopy(HashMap<String, String> base) {
        this.base = base;
    }

    void apply(List<Change> changes) {
        for (Change c : changes) {
            if (overlay != null) {
                overlay.put(c.key(), c.value());
            } else if (c.value() == null) {
                base.remove(c.key());
            } else {
                base.put(c.key(), c.value());
            }
        }
    }

    /** Freezes the copy for a snapshot and returns it: nothing changes it until {@link #thaw}. */
    Map<String, String> freeze() {
        if (overlay != null) throw new IllegalStateException("already frozen");
        overlay = new HashMap<>();
        return base;
    }

    /** The snapshot is written (or failed): the changes made meanwhile are folded in. */
    void thaw() {
        for (Map.Entry<String, String> e : overlay.entrySet()) {
            if (e.getValue() == null) {
                base.remove(e.getKey());
            } else {
                base.put(e.getKey(), e.getValue());
            }
        }
        overlay = null;
    }

    /** The whole copy, for the final snapshot: only when not frozen. */
    Map<String, String> current() {
        if (overlay != null) throw new IllegalStateException("frozen");
        return base;
    }
}
