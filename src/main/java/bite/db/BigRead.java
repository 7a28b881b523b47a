package bite.db;

import bite.protocol.ByteSink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A {@code k}, {@code j} or {@code js} too big for one step of bite-db: the request and an O(1) snapshot of the
 * keyspace at its position in the order. Made on bite-db, rendered on a render thread ({@link #render}, which touches
 * nothing but the snapshot), handed back to bite-db as a {@link Request.Rendered}; bite-db then files the reply into
 * {@link #slot} (which only bite-db touches), where the connection's later output waits behind it.
 *
 * @param tagged protocol 3: the reply starts with {@code =}
 */
record BigRead(Client client, Kind kind, String key, Keyspace.Snapshot snapshot, boolean tagged,
               HeldOutput.Rendering slot) {

    /** Which reply. */
    enum Kind { KEYS, JSON, JSON_WRAPPED }

    /** Replies are handed on in pieces of about this many bytes. */
    static final int CHUNK_BYTES = 64 * 1024;

    /** The reply line, in pieces of about {@link #CHUNK_BYTES}. Runs on a render thread. */
    byte[][] render() {
        List<byte[]> chunks = new ArrayList<>();
        Iterator<Map.Entry<String, String>> entries = snapshot.subtree(key);
        if (kind == Kind.KEYS) {
            ByteSink sink = new ByteSink(CHUNK_BYTES + 1024);
            if (tagged) sink.append((byte) '=');
            listing(entries, key, sink, () -> {
                chunks.add(sink.toByteArray());
                sink.clear();
            });
            chunks.add(sink.toByteArray());
        } else {
            StringBuilder out = new StringBuilder(CHUNK_BYTES + 1024);
            if (tagged) out.append('=');
            if (kind == Kind.JSON) {
                JsonView.write(entries, key, out, full -> spill(full, chunks));
            } else {
                JsonView.writeWrapped(entries, key, out, full -> spill(full, chunks));
            }
            spill(out.append('\n'), chunks);
        }
        return chunks.toArray(new byte[0][]);
    }

    private static void spill(StringBuilder out, List<byte[]> chunks) {
        chunks.add(out.toString().getBytes(StandardCharsets.UTF_8)); // cut between members: no split character
        out.setLength(0);
    }

    /**
     * {@code k KEY}'s line: {@code NAME VALUE} per descendant (the key itself is not listed), separated by NUL
     * bytes, then {@code \n}. Once {@code reply} holds {@link #CHUNK_BYTES}, {@code spill} may take it.
     */
    static void listing(Iterator<Map.Entry<String, String>> it, String key, ByteSink reply, Runnable spill) {
        int cut = key == null ? 0 : key.length() + 1;
        boolean first = true;
        while (it.hasNext()) {
            Map.Entry<String, String> e = it.next();
            if (e.getKey().length() < cut) continue; // the key itself is not listed
            if (!first) reply.append((byte) 0);
            first = false;
            reply.append(e.getKey().substring(cut)).append((byte) ' ').append(e.getValue());
            if (reply.size() >= CHUNK_BYTES) spill.run();
        }
        reply.append((byte) '\n');
    }
}
