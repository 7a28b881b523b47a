package bite.db;

import bite.protocol.ByteSink;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a batch of requests sends, in the order the database produced it: replies and pushes, to any number
 * of connections. Keeping one ordered list (instead of writing replies and pushes through different paths) is what
 * makes a connection see its pushes and replies in the order the database applied the changes — a requester's own
 * push lands before its reply, after its earlier replies.
 *
 * <p>Consecutive reply lines to one connection are gathered into one chunk. Runs on bite-db only.
 */
final class BatchOutput {

    /**
     * One batch's output, ready to hand to the connections; bite-db delivers it, at once or once the batch is
     * durable. Plain arrays, one copy per drain; nothing changes them after {@link #drain}.
     */
    record Deliveries(Client[] to, byte[][] bytes, boolean[] isPush) {

        static final Deliveries NONE = new Deliveries(new Client[0], new byte[0][], new boolean[0]);

        /** Queues every chunk on its connection, in order. Never blocks. */
        void deliver() {
            for (int i = 0; i < to.length; i++) send(to[i], bytes[i], isPush[i]);
        }

        boolean isEmpty() {
            return to.length == 0;
        }
    }

    private List<Client> to = new ArrayList<>();
    private List<byte[]> bytes = new ArrayList<>();
    private List<Boolean> pushes = new ArrayList<>();
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

    void push(Client client, byte[] line) {
        if (client == replying) flushReplies(); // its earlier replies come first
        add(client, line, true);
    }

    /** Files the pending reply lines. */
    void flushReplies() {
        if (pending.size() > 0 && replying != null) add(replying, pending.toByteArray(), false);
        pending.clear();
    }

    /** Everything filed since the last drain, to be delivered at once or once its batch is durable (on bite-db). */
    Deliveries drain() {
        flushReplies();
        replying = null;
        if (to.isEmpty()) return Deliveries.NONE;
        boolean[] isPush = new boolean[pushes.size()];
        for (int i = 0; i < isPush.length; i++) isPush[i] = pushes.get(i);
        Deliveries d = new Deliveries(to.toArray(new Client[0]), bytes.toArray(new byte[0][]), isPush);
        clear();
        return d;
    }

    private static void send(Client client, byte[] chunk, boolean push) {
        if (push) {
            client.push(chunk); // false: that connection is closing itself
        } else {
            client.reply(chunk);
        }
    }

    private void clear() {
        // a fan-out burst's capacity is not kept for good
        if (to.size() > 4096) {
            to = new ArrayList<>();
            bytes = new ArrayList<>();
            pushes = new ArrayList<>();
        } else {
            to.clear();
            bytes.clear();
            pushes.clear();
        }
    }

    private void add(Client client, byte[] chunk, boolean push) {
        if (client == null) return; // a unit test's anonymous requester
        to.add(client);
        bytes.add(chunk);
        pushes.add(push);
    }
}
