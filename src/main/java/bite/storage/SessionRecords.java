package bite.storage;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How sessions' {@code ondisconnect} actions are kept on disk: as {@link Change}s of reserved keys, which no client
 * key can be (a key never holds a NUL), in the same change-sets, log records and snapshot as the data. One key per
 * action, {@code NUL "ondisconnect" NUL TOKEN NUL SEQ} (SEQ: 16 hex digits, rising in the order registered), its
 * value the action as bite-db encodes it. Registering writes the action's key; {@code ondisconnect -} and the
 * session's end delete them. Because a session's end deletes its keys in the same change-set as the changes its
 * actions make, the two are one log record: after a crash either both are on disk or neither is, so an action runs
 * exactly once. Files written before sessions existed hold no such key and read as before. Stateless.
 */
public final class SessionRecords {

    private static final String PREFIX = "\0ondisconnect\0";

    private SessionRecords() {
        throw new AssertionError();
    }

    /**
     * A session found in a recovered data directory: its token, its actions in registration order, and the keys
     * of their records (which {@link #ended} deletes).
     */
    public record Recovered(String token, List<String> actions, List<String> keys) {

        /** The changes that end this session on disk: every record of it deleted. */
        public List<Change> ended() {
            List<Change> deletes = new ArrayList<>(keys.size());
            for (String key : keys) deletes.add(new Change(key, null));
            return deletes;
        }
    }

    /** The record of action {@code seq} of session {@code token}. */
    public static Change action(String token, long seq, String action) {
        return new Change(key(token, seq), action);
    }

    /** Deletes the record of action {@code seq} of session {@code token}. */
    public static Change removed(String token, long seq) {
        return new Change(key(token, seq), null);
    }

    /** Whether {@code key} is a session record's rather than a client's. */
    public static boolean isSessionKey(String key) {
        return key.startsWith(PREFIX);
    }

    /**
     * Takes the session records out of recovered {@code data} (which keeps the client keys only) and returns the
     * sessions they hold, in token order, each with its actions in registration order.
     */
    public static List<Recovered> split(Map<String, String> data) {
        TreeMap<String, TreeMap<String, String>> byToken = new TreeMap<>();
        for (Iterator<Map.Entry<String, String>> it = data.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, String> e = it.next();
            String key = e.getKey();
            if (!isSessionKey(key)) continue;
            it.remove();
            int cut = key.lastIndexOf('\0');
            if (cut <= PREFIX.length()) continue; // not written by this class: ignore
            String token = key.substring(PREFIX.length(), cut);
            byToken.computeIfAbsent(token, t -> new TreeMap<>()).put(key, e.getValue()); // seq order within it
        }
        List<Recovered> sessions = new ArrayList<>(byToken.size());
        for (Map.Entry<String, TreeMap<String, String>> e : byToken.entrySet()) {
            sessions.add(new Recovered(e.getKey(), List.copyOf(e.getValue().values()),
                    List.copyOf(e.getValue().keySet())));
        }
        return sessions;
    }

    private static String key(String token, long seq) {
        String hex = Long.toHexString(seq);
        return PREFIX + token + '\0' + "0".repeat(16 - hex.length()) + hex;
    }
}
