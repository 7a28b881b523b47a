package bite.db;

import bite.command.Command.Kind;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Who listens where: subscribed key to the clients on it, each with the set of kinds it asked for (a bit per
 * {@link Kind}). Plain and unsynchronized on purpose: only the bite-db thread touches it.
 */
final class Subscriptions {

    /** Visits one subscription that a change matches. */
    interface Visitor {
        void visit(String subscribedKey, Client client, int kinds);
    }

    private final Map<String, Map<Client, Integer>> byKey = new HashMap<>();
    private final Map<Client, Set<String>> byClient = new HashMap<>();
    private int count;

    static int bit(Kind kind) {
        return 1 << kind.ordinal();
    }

    void subscribe(Client client, String key, Kind kind) {
        Map<Client, Integer> clients = byKey.computeIfAbsent(key, k -> new HashMap<>());
        int before = clients.getOrDefault(client, 0);
        int after = before | bit(kind);
        if (after == before) return; // the same key and kind twice is one subscription
        clients.put(client, after);
        byClient.computeIfAbsent(client, c -> new HashSet<>()).add(key);
        count++;
    }

    /** Removes every subscription of {@code client} on {@code key}, of every kind. */
    void unsubscribe(Client client, String key) {
        Map<Client, Integer> clients = byKey.get(key);
        if (clients == null) return;
        Integer kinds = clients.remove(client);
        if (kinds == null) return;
        count -= Integer.bitCount(kinds);
        if (clients.isEmpty()) byKey.remove(key);
        Set<String> keys = byClient.get(client);
        keys.remove(key);
        if (keys.isEmpty()) byClient.remove(client);
    }

    /** Removes everything {@code client} subscribed to. */
    void removeClient(Client client) {
        Set<String> keys = byClient.remove(client);
        if (keys == null) return;
        for (String key : keys) {
            Map<Client, Integer> clients = byKey.get(key);
            count -= Integer.bitCount(clients.remove(client));
            if (clients.isEmpty()) byKey.remove(key);
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
        Map<Client, Integer> clients = byKey.get(subscribed);
        if (clients == null) return;
        for (Map.Entry<Client, Integer> e : clients.entrySet()) {
            visitor.visit(subscribed, e.getKey(), e.getValue());
        }
    }
}
