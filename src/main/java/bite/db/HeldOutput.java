package bite.db;

import bite.command.Command.Kind;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Long {@code from=} replays, continued over several steps of bite-db's loop, big reads being rendered on another
 * thread ({@link Rendering}), and the output of their connections held back meanwhile. Owned by bite-db.
 *
 * <p>A replay too long for one step (more than {@link #STEP} events) is queued here for its connection; from then
 * on, until it and everything queued behind it went out, everything else for that connection — its later replies,
 * the live pushes of all its subscriptions, further replays — is queued here behind it, in order, instead of going
 * to the output. Each step {@link #advance} moves at most {@link #STEP} replayed pushes (and what was held behind a
 * finished replay) to the output. The requests whose output is held complete only when it went out, so the
 * connection's reader sends nothing more meanwhile: what is held is bounded by the history and by the live pushes
 * of a few steps.
 */
final class HeldOutput {

    /** Replayed pushes moved to the output per step, for all connections together: about a normal batch's work. */
    static final int STEP = 1024;

    /** The events a replay pushes (copied out of the history, which may wrap meanwhile) and its closing reply. */
    static final class Replay {
        private final Kind kind;
        private final String subscribed;
        private final long[] revisions;
        private final String[] keys;
        private final String[] values;
        private final byte[] reply;
        private int next;

        Replay(Kind kind, String subscribed, long[] revisions, String[] keys, String[] values, byte[] reply) {
            this.kind = kind;
            this.subscribed = subscribed;
            this.revisions = revisions;
            this.keys = keys;
            this.values = values;
            this.reply = reply;
        }

        /**
         * The events after {@code after} (which {@code history} must cover) that a subscription of {@code kind} on
         * {@code subscribed} pushes: on the key or below it. Copied out in one pass over the history: references
         * only, cheap next to encoding and queueing the pushes, which is what later steps spread out.
         */
        static Replay collect(EventHistory history, Kind kind, String subscribed, long after, byte[] reply) {
            int n = (int) (history.newest() - after);
            long[] revisions = new long[n];
            String[] keys = new String[n];
            String[] values = new String[n];
            int found = 0;
            for (long rev = after + 1; rev <= history.newest(); rev++) {
                String key = history.key(rev);
                if (!isInSubtree(key, subscribed)) continue;
                revisions[found] = rev;
                keys[found] = key;
                values[found] = history.value(rev);
                found++;
            }
            return new Replay(kind, subscribed, Arrays.copyOf(revisions, found), Arrays.copyOf(keys, found),
                    Arrays.copyOf(values, found), reply);
        }

        private static boolean isInSubtree(String key, String subscribed) {
            return key.startsWith(subscribed)
                    && (key.length() == subscribed.length() || key.charAt(subscribed.length()) == '.');
        }

        int size() {
            return revisions.length;
        }

        /** Files up to {@code budget} replayed pushes; returns how many. */
        int pushTo(BatchOutput output, Client client, int budget) {
            int n = Math.min(budget, revisions.length - next);
            for (int i = 0; i < n; i++, next++) {
                output.push(client, new PushEncoder(keys[next], values[next], revisions[next]).tagged(subscribed, kind));
            }
            return n;
        }

        boolean finished() {
            return next == revisions.length;
        }
    }

    private record Chunk(byte[] bytes, boolean push) {}

    /**
     * The place of a {@link BigRead}'s reply: what comes after it waits until bite-db {@link #fill}s it with the
     * rendered reply. Only bite-db touches it.
     */
    static final class Rendering {
        private byte[][] chunks;

        void fill(byte[][] reply) {
            chunks = reply;
        }

        boolean ready() {
            return chunks != null;
        }
    }

    private static final class Held {
        final ArrayDeque<Object> queue = new ArrayDeque<>(); // Replay, Rendering or Chunk, in order
        final List<CompletableFuture<Void>> done = new ArrayList<>();
    }

    private final Map<Client, Held> byClient = new LinkedHashMap<>();

    boolean isEmpty() {
        return byClient.isEmpty();
    }

    /** Whether output to {@code client} must queue here. */
    boolean holding(Client client) {
        return !byClient.isEmpty() && byClient.containsKey(client);
    }

    /** Queues a replay for {@code client}, behind whatever is held for it. */
    void queue(Client client, Replay replay) {
        byClient.computeIfAbsent(client, c -> new Held()).queue.add(replay);
    }

    /** Queues the place of a big read's reply for {@code client}, behind whatever is held for it. */
    Rendering queueRendering(Client client) {
        Rendering rendering = new Rendering();
        byClient.computeIfAbsent(client, c -> new Held()).queue.add(rendering);
        return rendering;
    }

    /** Whether {@link #advance} has something to move: some connection's held output is not waiting for a render. */
    boolean canAdvance() {
        for (Held held : byClient.values()) {
            if (!(held.queue.peek() instanceof Rendering r) || r.ready()) return true;
        }
        return false;
    }

    /** Queues output for a {@link #holding} client. */
    void hold(Client client, byte[] bytes, boolean push) {
        byClient.get(client).queue.add(new Chunk(bytes, push));
    }

    /** A request of a {@link #holding} client is answered once what is held for it went out. */
    void holdDone(Client client, CompletableFuture<Void> done) {
        byClient.get(client).done.add(done);
    }

    /**
     * Moves at most {@link #STEP} replayed pushes, and what was held behind each finished replay, to the output;
     * the requests of connections with nothing held any more go to {@code released}.
     */
    void advance(BatchOutput output, List<CompletableFuture<Void>> released) {
        int budget = STEP;
        Iterator<Map.Entry<Client, Held>> it = byClient.entrySet().iterator();
        while (it.hasNext() && budget > 0) {
            Map.Entry<Client, Held> e = it.next();
            Client client = e.getKey();
            Held held = e.getValue();
            while (!held.queue.isEmpty() && budget > 0) {
                Object first = held.queue.peek();
                if (first instanceof Rendering rendering) {
                    if (!rendering.ready()) break;
                    for (byte[] chunk : rendering.chunks) output.replyChunk(client, chunk); // no copy
                } else if (first instanceof Replay replay) {
                    budget -= replay.pushTo(output, client, budget);
                    if (!replay.finished()) break;
                    output.replies(client).append(replay.reply);
                } else {
                    Chunk chunk = (Chunk) first;
                    if (chunk.push()) output.push(client, chunk.bytes());
                    else output.replies(client).append(chunk.bytes());
                }
                held.queue.poll();
            }
            if (held.queue.isEmpty()) {
                released.addAll(held.done);
                it.remove();
            }
        }
    }

    /** The connection closed: what was held for it is dropped, and its requests complete (nobody reads them). */
    void drop(Client client) {
        Held held = byClient.remove(client);
        if (held != null) held.done.forEach(f -> f.complete(null));
    }

    /** bite-db died: every held request fails, so that no reader waits for output that will never come. */
    void failAll(RuntimeException why) {
        for (Held held : byClient.values()) held.done.forEach(f -> f.completeExceptionally(why));
        byClient.clear();
    }
}
