package bite.db;

import bite.protocol.ByteSink;

import java.util.Arrays;

/**
 * Everything a batch of requests sends, in the order the database produced it: replies and pushes, to any number
 * of connections. Keeping one ordered list (instead of writing replies and pushes through different paths) is what
 * makes a connection see its pushes and replies in the order the database applied the changes — a requester's own
 * push lands before its reply, after its earlier replies.
 *
 * <p>Consecutive reply lines to one connection are gathered into one chunk. Runs on bite-db only.
 */
final class BatchOutput {

    /** Kept for reuse up to this many chunks: a fan-out burst's capacity is not kept for good. */
    private static final int KEPT_CAPACITY = 4096;

    /**
     * One batch's output, in order, ready to hand to the connections; bite-db delivers it, at once or once the batch
     * is durable. Filed into directly (no copy when drained); nothing changes it after {@link #drain} but
     * {@link #recycle}.
     */
    static final class Deliveries {

        private Client[] to = new Client[16];
        private byte[][] bytes = new byte[16][];
        private boolean[] isPush = new boolean[16];
        private int size;

        /** Queues every chunk on its connection, in order. Never blocks. */
        void deliver() {
            for (int i = 0; i < size; i++) send(to[i], bytes[i], isPush[i]);
        }

        boolean isEmpty() {
            return size == 0;
        }

        private void add(Client client, byte[] chunk, boolean push) {
            if (size == to.length) {
                to = Arrays.copyOf(to, size * 2);
                bytes = Arrays.copyOf(bytes, size * 2);
                isPush = Arrays.copyOf(isPush, size * 2);
            }
            to[size] = client;
            bytes[size] = chunk;
            isPush[size] = push;
            size++;
        }

        private void clear() {
            Arrays.fill(to, 0, size, null);
            Arrays.fill(bytes, 0, size, null);
            size = 0;
        }
    }

    private Deliveries filing = new Deliveries();
    private Deliveries spare; // a delivered batch's, emptied, for the next drain
    private final ByteSink pending = new ByteSink(4096);
    private Client replying; // whose reply lines are in pending

    /** Where the reply lines to {@code client} go; what was pending for another connection is filed first. */
    ByteSink replies(Client client) {
        if (client != replying) {
            flushReplies();
            replying = client;
        }
        return pending;
    }

    /** Files reply bytes to {@code client} as a chunk of their own (a big reply's piece: not copied). */
    void replyChunk(Client client, byte[] chunk) {
        if (client == replying) flushReplies(); // its earlier replies come first
        add(client, chunk, false);
    }

    void push(Client client, byte[] line) {
        if (client == replying) flushReplies(); // its earlier replies come first
        add(client, line, true);
    }

    /** Files the pending reply lines. */
    void flushReplies() {
        if (pending.size() > 0 && replying != null) add(replying, pending.toByteArray(), false);
        pending.clear();
    }

    /**
     * Everything filed since the last drain, to be delivered at once or once its batch is durable (on bite-db). What
     * comes after is filed elsewhere: nothing is delivered twice.
     */
    Deliveries drain() {
        flushReplies();
        replying = null;
        Deliveries d = filing;
        filing = spare != null ? spare : new Deliveries();
        spare = null;
        return d;
    }

    /** {@code d} was delivered (or failed): its arrays may take the next batch's output. */
    void recycle(Deliveries d) {
        if (d == filing || d.to.length > KEPT_CAPACITY) return;
        d.clear();
        spare = d;
    }

    private static void send(Client client, byte[] chunk, boolean push) {
        if (push) {
            client.push(chunk); // false: that connection is closing itself
        } else {
            client.reply(chunk);
        }
    }

    private void add(Client client, byte[] chunk, boolean push) {
        if (client == null) return; // a unit test's anonymous requester
        filing.add(client, chunk, push);
    }
}
