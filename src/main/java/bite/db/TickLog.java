package bite.db;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The events that the {@code every=} subscriptions of one subscribed key and kind have yet to send, shared by all
 * of them: an event is filed here once, however many such subscriptions there are, instead of once per
 * subscription. Owned by bite-db.
 *
 * <p>It holds one node per key, the key's latest event (its push line, already encoded), in revision order: a new
 * event on a key unlinks the key's older node. That is all the "latest wins" rule needs, for every subscription at
 * once: a subscription's next batch always runs from its own position (the revision up to which it has sent) to
 * the newest event here, so an event superseded by a newer one is never part of anybody's next batch. A
 * subscription's batch is the nodes above its position, in order; what this log holds is bounded by the number of
 * keys below the subscribed key, however far behind a slow reader's subscription falls. Nodes that every
 * subscription has sent are trimmed from time to time (when the log has doubled since the last trim).
 */
final class TickLog {

    private static final class Node {
        final String key;
        final long revision;
        final byte[] line;
        Node prev;
        Node next;

        Node(String key, long revision, byte[] line) {
            this.key = key;
            this.revision = revision;
            this.line = line;
        }
    }

    private static final int MIN_TRIM = 64;

    private final Map<String, Node> latest = new HashMap<>();
    private final List<TickBatch> members = new ArrayList<>();
    /** Members with no tick asked for: the next event must ask one for each ({@link #takeIdle}). */
    private final List<TickBatch> idle = new ArrayList<>();
    private Node head;
    private Node tail;
    private long newest; // the revision of the newest event filed (it stays when its node is trimmed)
    private int trimAt = MIN_TRIM;

    /** Files the event of {@code revision} on {@code key}; a second call for the same event does nothing. */
    void append(String key, long revision, byte[] line) {
        if (revision <= newest) return; // filed already, for another subscription of this log
        newest = revision;
        Node node = new Node(key, revision, line);
        Node old = latest.put(key, node);
        if (old != null) unlink(old);
        node.prev = tail;
        if (tail == null) head = node;
        else tail.next = node;
        tail = node;
        if (latest.size() > trimAt) trim();
    }

    /** The revision of the newest event filed; 0 before the first. */
    long newest() {
        return newest;
    }

    /** Whether an event above {@code position} waits here. */
    boolean hasAfter(long position) {
        return tail != null && tail.revision > position;
    }

    /** How many keys have an event above {@code position}. */
    int countAfter(long position) {
        int n = 0;
        for (Node node = tail; node != null && node.revision > position; node = node.prev) n++;
        return n;
    }

    /** The push lines of the events above {@code position}, in revision order, as one chunk; null when none. */
    byte[] linesAfter(long position) {
        if (!hasAfter(position)) return null;
        int bytes = 0;
        Node first = tail;
        for (Node node = tail; node != null && node.revision > position; node = node.prev) {
            bytes += node.line.length;
            first = node;
        }
        byte[] chunk = new byte[bytes];
        int at = 0;
        for (Node node = first; node != null; node = node.next) {
            System.arraycopy(node.line, 0, chunk, at, node.line.length);
            at += node.line.length;
        }
        return chunk;
    }

    /** A new subscription; it has no tick asked for yet. */
    void join(TickBatch batch) {
        members.add(batch);
        idle.add(batch);
    }

    /** Removes {@code batch}; true when no subscription is left (the log can go). */
    boolean leave(TickBatch batch) {
        members.remove(batch);
        idle.remove(batch);
        return members.isEmpty();
    }

    /** {@code batch} has no tick asked for any more (it sent, or had nothing to send). */
    void idle(TickBatch batch) {
        idle.add(batch);
    }

    /** Moves the members with no tick asked for to {@code into}: the caller asks one for each. */
    void takeIdle(List<TickBatch> into) {
        if (idle.isEmpty()) return;
        into.addAll(idle);
        idle.clear();
    }

    /** Keys with a node (for tests). */
    int size() {
        return latest.size();
    }

    /** Drops the nodes every subscription has sent. */
    void trim() {
        long sent = Long.MAX_VALUE;
        for (TickBatch b : members) sent = Math.min(sent, b.position());
        while (head != null && head.revision <= sent) {
            latest.remove(head.key); // head is its key's latest node: older ones were unlinked
            Node next = head.next;
            head.next = null;
            head = next;
            if (head == null) tail = null;
            else head.prev = null;
        }
        trimAt = Math.max(MIN_TRIM, 2 * latest.size());
    }

    private void unlink(Node node) {
        if (node.prev == null) head = node.next;
        else node.prev.next = node.next;
        if (node.next == null) tail = node.prev;
        else node.next.prev = node.prev;
        node.prev = node.next = null;
    }
}
