package bite.db;

import bite.command.Command;
import bite.command.Command.Kind;
import bite.protocol.ByteSink;
import bite.protocol.Json;
import bite.protocol.Utf8;
import bite.storage.Change;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The state the single writer owns — keyspace, subscriptions, the changes not yet handed to storage — and what
 * each command does to it. Everything in this class runs on the bite-db thread (or a unit test's thread); nothing
 * here is synchronized, and nothing here blocks: pushes only append to subscribers' outbound queues.
 */
final class Database {

    private final Keyspace keyspace;
    private final Subscriptions subscriptions = new Subscriptions();
    private final List<Change> changes = new ArrayList<>();
    private final BatchOutput output = new BatchOutput();
    private Client current; // the requester of the command being applied
    private final int maxValueBytes;
    private final Supplier<String> serverInfo;

    private long commandsProcessed;
    private long pushesSent;
    private long slowConsumerDisconnects;

    Database(Map<String, String> initial, int maxValueBytes) {
        this(initial, maxValueBytes, () -> "");
    }

    /** {@code serverInfo}: the server's own {@code info} fields, as JSON members ({@code "a":1,"b":"x"}). */
    Database(Map<String, String> initial, int maxValueBytes, Supplier<String> serverInfo) {
        this.maxValueBytes = maxValueBytes;
        this.serverInfo = serverInfo;
        this.keyspace = new Keyspace(initial);
    }

    /** {@code info}: the server's fields, then the database's own counters. */
    private String info() {
        String server = serverInfo.get();
        return "{" + server + (server.isEmpty() ? "" : ",")
                + "\"keys\":" + keyspace.size()
                + ",\"subscriptions\":" + subscriptions.count()
                + ",\"commands_processed\":" + commandsProcessed
                + ",\"pushes_sent\":" + pushesSent
                + ",\"slow_consumer_disconnects\":" + slowConsumerDisconnects + "}";
    }

    /**
     * Applies one command from {@code from} (null only in tests without connections): its reply line and the pushes
     * it causes go to {@link #output()}, in order.
     */
    void apply(Client from, Command command) {
        commandsProcessed++;
        current = from;
        switch (command) {
            case Command.Set(String key, String value) -> {
                if (tooLong(value)) return;
                set(key, value);
                reply("OK");
            }
            case Command.SetIfAbsent(String key, String value) -> {
                if (tooLong(value)) return;
                if (keyspace.get(key) != null) {
                    reply("NO");
                } else {
                    set(key, value);
                    reply("OK");
                }
            }
            case Command.SetMany(List<Command.Set> items) -> {
                for (Command.Set item : items) {
                    if (tooLong(item.value())) return; // all or nothing
                }
                for (Command.Set item : items) set(item.key(), item.value());
                reply("OK");
            }
            case Command.Get(String key) -> {
                String value = keyspace.get(key);
                reply(value == null ? "" : value);
            }
            case Command.Increment(String key) -> increment(key);
            case Command.Append(String key, String value) -> {
                String old = keyspace.get(key);
                String updated = old == null ? value : old + value;
                if (tooLong(updated)) return;
                set(key, updated);
                reply("OK");
            }
            case Command.Delete(String key) -> {
                if (keyspace.remove(key) != null) {
                    changes.add(new Change(key, null));
                    publish(key, null);
                }
                reply("OK");
            }
            case Command.Keys(String key) -> listing(key, output.replies(from));
            case Command.Json(String key, boolean wrapped) ->
                    reply(wrapped ? JsonView.wrapped(keyspace, key) : JsonView.subtree(keyspace, key));
            case Command.Subscribe(Kind kind, String key, String value) -> {
                subscriptions.subscribe(from, key, kind);
                if (value != null) publish(key, value);
                reply("OK");
            }
            case Command.Unsubscribe(String key, String value) -> {
                if (value != null) publish(key, value); // the farewell reaches this connection too
                subscriptions.unsubscribe(from, key);
                reply("OK");
            }
            case Command.Notify(String key, String value) -> {
                publish(key, value);
                reply("OK");
            }
            case Command.Invalid(String reason) -> reply("ERR " + reason);
            case Command.Answer(String line) -> reply(line);
            case Command.Ping() -> reply("PONG");
            case Command.Quit() -> reply("OK"); // the connection closes once this is sent
            case Command.Info() -> reply(info());
            case Command.Auth a -> throw new IllegalArgumentException("auth is answered by the connection");
        }
    }

    /** Where replies and pushes wait, in order, until the batch is handed over. */
    BatchOutput output() {
        return output;
    }

    private void reply(String line) {
        output.replies(current).line(line);
    }

    /** The changes applied since the last call, handed over to storage. */
    List<Change> drainChanges() {
        if (changes.isEmpty()) return List.of();
        List<Change> drained = List.copyOf(changes);
        changes.clear();
        return drained;
    }

    /** A connection closed: forget its subscriptions. */
    void disconnected(Client client, boolean slowConsumer) {
        subscriptions.removeClient(client);
        if (slowConsumer) slowConsumerDisconnects++;
    }

    Keyspace keyspace() {
        return keyspace;
    }

    int subscriptionCount() {
        return subscriptions.count();
    }

    long commandsProcessed() {
        return commandsProcessed;
    }

    long pushesSent() {
        return pushesSent;
    }

    long slowConsumerDisconnects() {
        return slowConsumerDisconnects;
    }

    private void set(String key, String value) {
        keyspace.put(key, value);
        changes.add(new Change(key, value));
        publish(key, value);
    }

    private boolean tooLong(String value) {
        // a char takes at most 3 UTF-8 bytes, so short strings need no count
        if ((long) value.length() * 3 <= maxValueBytes || Utf8.length(value) <= maxValueBytes) return false;
        reply("ERR value too long");
        return true;
    }

    private void increment(String key) {
        String old = keyspace.get(key);
        long next;
        if (old == null) {
            next = 1;
        } else {
            Long n = parseInteger(old);
            if (n == null) {
                reply("ERR value is not an integer");
                return;
            }
            if (n == Long.MAX_VALUE) {
                reply("ERR increment would overflow");
                return;
            }
            next = n + 1;
        }
        String text = Long.toString(next);
        set(key, text);
        reply(text);
    }

    /** {@code -?[0-9]+} that fits in a signed 64-bit integer (leading zeros allowed), else null. */
    static Long parseInteger(String s) {
        int i = s.startsWith("-") ? 1 : 0;
        if (i == s.length()) return null;
        for (int j = i; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c < '0' || c > '9') return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException tooBig) {
            return null;
        }
    }

    private void listing(String key, ByteSink reply) {
        Iterator<Map.Entry<String, String>> it = keyspace.subtree(key);
        int cut = key == null ? 0 : key.length() + 1;
        boolean first = true;
        while (it.hasNext()) {
            Map.Entry<String, String> e = it.next();
            if (e.getKey().length() < cut) continue; // the key itself is not listed
            if (!first) reply.append((byte) 0);
            first = false;
            reply.append(e.getKey().substring(cut)).append((byte) ' ').append(e.getValue());
        }
        reply.append((byte) '\n');
    }

    private static final Kind[] KINDS = Kind.values(); // values() copies the array on every call: once per push

    /**
     * Files the push of a change of {@code key} ({@code value} null: deleted) for every subscription on the key and
     * its ancestors. Each payload is encoded once per subscribed key and kind and shared by all its subscribers.
     */
    private void publish(String key, String value) {
        if (subscriptions.isEmpty()) return;
        PushEncoder encoder = new PushEncoder(key, value);
        subscriptions.forEachMatch(key, (subscribed, client, kinds) -> {
            for (Kind kind : KINDS) {
                if ((kinds & Subscriptions.bit(kind)) == 0) continue;
                output.push(client, encoder.payload(subscribed, kind));
                pushesSent++;
            }
        });
    }

    /** Encodes the pushes of one change, caching the payload for the subscribed key being visited. */
    private static final class PushEncoder {
        private final String key;
        private final String value;
        private String cachedFor;
        private final byte[][] cached = new byte[KINDS.length][];

        PushEncoder(String key, String value) {
            this.key = key;
            this.value = value;
        }

        byte[] payload(String subscribed, Kind kind) {
            if (!subscribed.equals(cachedFor)) {
                cachedFor = subscribed;
                java.util.Arrays.fill(cached, null);
            }
            byte[] bytes = cached[kind.ordinal()];
            if (bytes == null) {
                bytes = (encode(subscribed, kind) + "\n").getBytes(StandardCharsets.UTF_8);
                cached[kind.ordinal()] = bytes;
            }
            return bytes;
        }

        private String encode(String subscribed, Kind kind) {
            // RELPATH: the changed key below the subscribed one; the last segment when it is the subscribed key
            String relpath = key.length() == subscribed.length()
                    ? key.substring(key.lastIndexOf('.') + 1)
                    : key.substring(subscribed.length() + 1);
            return switch (kind) {
                case VALUE -> value == null ? "" : value;
                case KEYED -> value == null ? relpath : relpath + " " + value;
                case JSON -> JsonView.nest(relpath, value == null ? "null" : Json.quote(value));
            };
        }
    }
}
