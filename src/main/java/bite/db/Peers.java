package bite.db;

import bite.command.Command.Kind;
import bite.protocol.Json;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What bite-db knows of each connection: who it authenticated as (any connection), and, once it said
 * {@code hello 3}, its protocol and its {@code every=} subscriptions with their batches. A connection not in here
 * speaks protocol 2. Also issues this server run's epoch from a {@link SecureRandom} (session tokens are
 * {@link Sessions}'). Owned by bite-db.
 */
final class Peers {

    /** One connection's protocol-3 state. */
    static final class Peer {
        int protocol = 3;
        /** Its {@code every=} subscriptions (few per connection). */
        final List<Ticked> ticked = new ArrayList<>(2);
    }

    /** A subscription of one connection: its key and kind. */
    record SubKey(String key, Kind kind) {}

    /** An {@code every=} subscription: its id (what its ticks carry), its connection and its batch. */
    record Ticked(long id, Client client, SubKey sub, TickBatch batch) {}

    private final SecureRandom random = new SecureRandom();
    private final String epoch = hex(8);
    private final Map<Client, Peer> byClient = new HashMap<>();
    private final Map<Long, Ticked> tickedById = new HashMap<>();
    /** The events waiting for the {@code every=} subscriptions of each key and kind, shared by them. */
    private final Map<SubKey, TickLog> logs = new HashMap<>();
    private long lastTickedId;
    /** Who each connection authenticated as (issue 15); a connection not in here is nobody's. */
    private final Map<Client, String> users = new HashMap<>();
    /** Open connections per user, for {@code info}. */
    private final Map<String, Integer> connectionsByUser = new TreeMap<>();

    /** This server run's epoch: 16 lower-case hex digits. */
    String epoch() {
        return epoch;
    }

    /** The connection's state, or null when it speaks protocol 2 (cheap when nobody said {@code hello 3}). */
    Peer get(Client client) {
        return byClient.isEmpty() || client == null ? null : byClient.get(client);
    }

    boolean tagged(Client client) {
        Peer peer = get(client);
        return peer != null && peer.protocol == 3;
    }

    /** {@code hello 3}: the connection speaks protocol 3 from now on. */
    Peer hello3(Client client) {
        Peer peer = byClient.computeIfAbsent(client, c -> new Peer());
        peer.protocol = 3;
        return peer;
    }

    /** {@code hello 2}: untagged from now on; its {@code every=} subscriptions push at once from now on. */
    void hello2(Client client) {
        Peer peer = get(client);
        if (peer == null) return;
        peer.protocol = 2;
        for (Ticked t : peer.ticked) forget(t);
        peer.ticked.clear();
    }

    /**
     * Makes {@code sub} of {@code client} tick-batched (every {@code every} ms from {@code now}, with the events
     * above revision {@code revision}), or not (0).
     */
    Ticked setEvery(Client client, SubKey sub, int every, long now, long revision) {
        Peer peer = get(client);
        for (Iterator<Ticked> it = peer.ticked.iterator(); it.hasNext(); ) {
            Ticked old = it.next();
            if (old.sub().equals(sub)) {
                forget(old);
                it.remove();
            }
        }
        if (every == 0) return null;
        TickLog log = logs.computeIfAbsent(sub, s -> new TickLog());
        long id = ++lastTickedId;
        Ticked t = new Ticked(id, client, sub, new TickBatch(id, every, now, log, revision));
        peer.ticked.add(t);
        tickedById.put(t.id(), t);
        return t;
    }

    /** The events waiting for the {@code every=} subscriptions of {@code key} and {@code kind}; null when none. */
    TickLog log(String key, Kind kind) {
        return logs.get(new SubKey(key, kind));
    }

    /** A tick-batched subscription is gone: no more ticks for it, and its log goes when nobody else uses it. */
    private void forget(Ticked t) {
        tickedById.remove(t.id());
        if (t.batch().log().leave(t.batch())) logs.remove(t.sub());
        else t.batch().log().trim();
    }

    /** The subscription a tick is for; null when it was replaced or removed since. */
    Ticked ticked(long id) {
        return tickedById.get(id);
    }

    /** {@code #-}: the connection's subscriptions on {@code key}, of every kind, are gone. */
    void unsubscribed(Client client, String key) {
        Peer peer = get(client);
        if (peer == null) return;
        for (Iterator<Ticked> it = peer.ticked.iterator(); it.hasNext(); ) {
            Ticked t = it.next();
            if (t.sub().key().equals(key)) {
                forget(t);
                it.remove();
            }
        }
    }

    /** The user {@code client} authenticated as; null when unknown or by the server password. */
    String userOf(Client client) {
        return users.isEmpty() || client == null ? null : users.get(client);
    }

    /** A successful {@code auth} of {@code client} as {@code user} (null: the server password). */
    void authenticated(Client client, String user) {
        if (user == null || client == null) return;
        String before = users.put(client, user);
        if (before != null) connectionsByUser.merge(before, -1, (a, b) -> a + b == 0 ? null : a + b);
        connectionsByUser.merge(user, 1, Integer::sum);
    }

    /** {@code {"alice":2,...}}: open connections per authenticated user (user names are valid key segments). */
    String userConnectionsJson() {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Integer> e : connectionsByUser.entrySet()) {
            if (sb.length() > 1) sb.append(',');
            sb.append(Json.quote(e.getKey())).append(':').append(e.getValue());
        }
        return sb.append('}').toString();
    }

    /** The connection closed. */
    void remove(Client client) {
        String user = users.isEmpty() ? null : users.remove(client);
        if (user != null) connectionsByUser.merge(user, -1, (a, b) -> a + b == 0 ? null : a + b);
        Peer peer = byClient.remove(client);
        if (peer != null) for (Ticked t : peer.ticked) forget(t);
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
