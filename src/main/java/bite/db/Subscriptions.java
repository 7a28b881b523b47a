package bite.db;

import bite.command.Command.Kind;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Who listens where: subscribed key to the clients on it, each with the set of kinds it asked for (a bit per
 * {@link Kind}), beside each whether that subscription is tick-batched ({@code every=}, a flag per kind), and
 * whether the client speaks protocol 3 (its pushes are tagged): a change's fan-out learns all of it from the one
 * visit, with no lookup per subscriber. Plain and unsynchronized on purpose: only the bite-db thread touches it.
 *
 * <p>Shaped for the common case of one client per key and one key per client (a player on its own key, an idle
 * subscriber): a key with one client holds a {@link One}, not a map of its own, and a client with one key holds the
 * key itself, not a set; each becomes a map or a set at its second entry. That keeps an idle subscription at about
 * 100 bytes instead of 400 (docs/BENCHMARKS.md, "Idle subscribed connections").
 */
final class Subscriptions {

    /** Visits one subscription that a change matches. */
    interface Visitor {
        void visit(String subscribedKey, Client client, int kinds);
    }

    /** The only client on a key, and its kinds. */
    private static final class One {
        final Client client;
        int kinds;

        One(Client client, int kinds) {
            this.client = client;
            this.kinds = kinds;
        }
    }

    /** Key to {@link One}, or to a {@code Map<Client, Integer>} (kinds by client) once a second client is on it. */
    private final Map<String, Object> byKey = new HashMap<>();
    /** Client to its one key (a {@code String}), or to a {@code Set<String>} once it has a second. */
    private final Map<Client, Object> byClient = new HashMap<>();
    private int count;

    /** The kinds' bits; above them the tagged flag, then the tick-batched flags: below 128, so boxes are shared. */
    private static final int KINDS = 0b111;
    /** The flag, in a visit's {@code kinds}, of a client whose pushes are tagged (it said {@code hello 3}). */
    static final int TAGGED = 1 << 3;
    private static final int BATCHED_SHIFT = 4;
    private static final int BATCHED = KINDS << BATCHED_SHIFT;

    static int bit(Kind kind) {
        return 1 << kind.ordinal();
    }

    /** The flag, in a visit's {@code kinds}, of a tick-batched subscription of {@code kind}. */
    static int batchedBit(Kind kind) {
        return 1 << (kind.ordinal() + BATCHED_SHIFT);
    }

    /**
     * Marks {@code client}'s subscription of {@code kind} on {@code key} tick-batched or not; nothing when there is no
     * such subscription. A subscription starts unmarked.
     */
    void setBatched(Client client, String key, Kind kind, boolean batched) {
        mark(client, key, bit(kind), batchedBit(kind), batched);
    }

    /**
     * Marks every subscription of {@code client} tagged (protocol 3) or not ({@code hello 3}, {@code hello 2}); untagged
     * also means not tick-batched, which only protocol 3 has.
     */
    void setTagged(Client client, boolean tagged) {
        int flags = tagged ? TAGGED : TAGGED | BATCHED;
        Object keys = byClient.get(client);
        if (keys instanceof String key) {
            mark(client, key, KINDS, flags, tagged);
        } else if (keys != null) {
            for (String key : keySet(keys)) mark(client, key, KINDS, flags, tagged);
        }
    }

    /** Sets or clears {@code flag}'s bits on {@code client}'s entry on {@code key}, if it has a kind of {@code kinds}. */
    private void mark(Client client, String key, int kinds, int flag, boolean on) {
        Object entry = byKey.get(key);
        if (entry == null) return;
        if (entry instanceof One one) {
            if (one.client.equals(client) && (one.kinds & kinds) != 0) one.kinds = on ? one.kinds | flag : one.kinds & ~flag;
            return;
        }
        Map<Client, Integer> clients = many(entry);
        Integer had = clients.get(client);
        if (had != null && (had & kinds) != 0) clients.put(client, on ? had | flag : had & ~flag);
    }

    /** A subscription of a protocol-2 client. */
    void subscribe(Client client, String key, Kind kind) {
        subscribe(client, key, kind, false);
    }

    /**
     * One more subscription (nothing when {@code client} has it already); {@code tagged}: the client speaks protocol 3
     * (it is marked so on every key it is on).
     */
    void subscribe(Client client, String key, Kind kind, boolean tagged) {
        int bit = bit(kind);
        int with = bit | (tagged ? TAGGED : 0); // what the entry gets: the kind, and the tag
        Object on = byKey.get(key);
        if (on == null) {
            byKey.put(key, new One(client, with));
        } else if (on instanceof One one && one.client.equals(client)) {
            if ((one.kinds & bit) != 0) return; // the same key and kind twice is one subscription
            one.kinds |= with;
            count++;
            return;
        } else if (on instanceof One one) {
            Map<Client, Integer> clients = new HashMap<>(4);
            clients.put(one.client, one.kinds);
            clients.put(client, with);
            byKey.put(key, clients);
        } else {
            Map<Client, Integer> clients = many(on);
            int before = clients.getOrDefault(client, 0);
            if ((before & bit) != 0) return;
            clients.put(client, before | with);
            if (before != 0) {
                count++;
                return;
            }
        }
        addKey(client, key);
        count++;
    }

    /** Removes every subscription of {@code client} on {@code key}, of every kind. */
    void unsubscribe(Client client, String key) {
        if (dropFromKey(client, key)) removeKey(client, key);
    }

    /** Removes everything {@code client} subscribed to. */
    void removeClient(Client client) {
        Object keys = byClient.remove(client);
        if (keys == null) return;
        if (keys instanceof String key) {
            dropFromKey(client, key);
        } else {
            for (String key : keySet(keys)) dropFromKey(client, key);
        }
    }

    /** Subscriptions in all: one per (client, key, kind). */
    int count() {
        return count;
    }

    boolean isEmpty() {
        return byKey.isEmpty();
    }

    /**
     * Visits every subscription a change of {@code key} notifies: those on the key itself and on each of its
     * ancestors, on dot boundaries. The registry must not be changed during the visit.
     */
    void forEachMatch(String key, Visitor visitor) {
        if (byKey.isEmpty()) return;
        visitKey(key, key, visitor);
        for (int dot = key.indexOf('.'); dot >= 0; dot = key.indexOf('.', dot + 1)) {
            visitKey(key.substring(0, dot), key, visitor);
        }
    }

    private void visitKey(String subscribed, String changed, Visitor visitor) {
        Object on = byKey.get(subscribed);
        if (on == null) return;
        if (on instanceof One one) {
            visitor.visit(subscribed, one.client, one.kinds);
            return;
        }
        for (Map.Entry<Client, Integer> e : many(on).entrySet()) {
            visitor.visit(subscribed, e.getKey(), e.getValue());
        }
    }

    /** Takes {@code client}'s kinds off {@code key}; whether it had any there. */
    private boolean dropFromKey(Client client, String key) {
        Object on = byKey.get(key);
        if (on == null) return false;
        int kinds;
        if (on instanceof One one) {
            if (!one.client.equals(client)) return false;
            kinds = one.kinds;
            byKey.remove(key);
        } else {
            Map<Client, Integer> clients = many(on);
            Integer had = clients.remove(client);
            if (had == null) return false;
            kinds = had;
            if (clients.size() == 1) {
                Map.Entry<Client, Integer> last = clients.entrySet().iterator().next();
                byKey.put(key, new One(last.getKey(), last.getValue()));
            }
        }
        count -= Integer.bitCount(kinds & KINDS);
        return true;
    }

    private void addKey(Client client, String key) {
        Object keys = byClient.get(client);
        if (keys == null) {
            byClient.put(client, key);
        } else if (keys instanceof String one) {
            if (one.equals(key)) return;
            Set<String> set = new HashSet<>(4);
            set.add(one);
            set.add(key);
            byClient.put(client, set);
        } else {
            keySet(keys).add(key);
        }
    }

    private void removeKey(Client client, String key) {
        Object keys = byClient.get(client);
        if (keys instanceof String one) {
            if (one.equals(key)) byClient.remove(client);
        } else if (keys != null) {
            Set<String> set = keySet(keys);
            set.remove(key);
            if (set.size() == 1) byClient.put(client, set.iterator().next());
            else if (set.isEmpty()) byClient.remove(client);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<Client, Integer> many(Object on) {
        return (Map<Client, Integer>) on;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> keySet(Object keys) {
        return (Set<String>) keys;
    }
}
