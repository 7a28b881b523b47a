package bite.db;

import bite.command.Command;
import bite.command.Command.Kind;
import bite.protocol.ByteSink;
import bite.protocol.Utf8;
import bite.storage.Change;
import bite.storage.SessionRecords;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The state the single writer owns — keyspace, subscriptions, the changes not yet handed to storage — and what
 * each command does to it. Everything in this class runs on the bite-db thread (or a unit test's thread); nothing
 * here is synchronized, and nothing here blocks: pushes only append to subscribers' outbound queues.
 */
final class Database {

    private static final System.Logger LOG = System.getLogger("bite.db");

    /** Events kept for {@code from=} replays when no {@code --history} is given. */
    static final int DEFAULT_HISTORY = 100_000;

    private final Keyspace keyspace;
    private final Subscriptions subscriptions = new Subscriptions();
    private final List<Change> changes = new ArrayList<>();
    private final BatchOutput output = new BatchOutput();
    private final EventFanout events;
    private final Sessions sessions;
    private Client current; // the requester of the command being applied
    private boolean runningActions; // ended sessions' actions: they reply to nobody
    private final int maxValueBytes;
    private final Supplier<String> serverInfo;

    private long commandsProcessed;
    private final CommandCounts commandsByKind = new CommandCounts();
    private long slowConsumerDisconnects;

    Database(Map<String, String> initial, int maxValueBytes) {
        this(initial, maxValueBytes, () -> "");
    }

    /** {@code serverInfo}: the server's own {@code info} fields, as JSON members ({@code "a":1,"b":"x"}). */
    Database(Map<String, String> initial, int maxValueBytes, Supplier<String> serverInfo) {
        this(initial, maxValueBytes, serverInfo, DEFAULT_HISTORY, (delay, tick) -> {
        }, () -> System.nanoTime() / 1_000_000);
    }

    /**
     * @param historySize  events kept for {@code from=} replays ({@code --history})
     * @param ticks        where the window ends of {@code every=} subscriptions are asked for
     * @param clockMillis  the time in milliseconds, for {@code every=} windows (any origin; only differences count)
     */
    Database(Map<String, String> initial, int maxValueBytes, Supplier<String> serverInfo, int historySize,
             TickScheduler ticks, LongSupplier clockMillis) {
        this(initial, maxValueBytes, serverInfo, historySize, ticks, clockMillis, 0, (delay, end) -> { });
    }

    /**
     * @param graceMillis {@code --session-grace}: how long a protocol-3 session outlives its connection
     * @param graces      where the ends of session graces are asked for
     */
    Database(Map<String, String> initial, int maxValueBytes, Supplier<String> serverInfo, int historySize,
             TickScheduler ticks, LongSupplier clockMillis, long graceMillis, Sessions.GraceScheduler graces) {
        this.maxValueBytes = maxValueBytes;
        this.serverInfo = serverInfo;
        this.keyspace = new Keyspace(initial);
        this.events = new EventFanout(output, subscriptions, historySize, ticks, clockMillis);
        this.sessions = new Sessions(changes, graceMillis, graces, events::userOf);
    }

    /** {@code info}: the server's fields, then the database's own counters. */
    private String info() {
        String server = serverInfo.get();
        return "{" + server + (server.isEmpty() ? "" : ",")
                + "\"keys\":" + keyspace.size()
                + ",\"subscriptions\":" + subscriptions.count()
                + ",\"commands_processed\":" + commandsProcessed
                + ",\"pushes_sent\":" + events.pushesSent()
                + ",\"slow_consumer_disconnects\":" + slowConsumerDisconnects
                + "," + events.info() + "," + sessions.info() + "}";
    }

    /**
     * Applies one command from {@code from} (null only in tests without connections): its reply line and the pushes
     * it causes go to {@link #output()}, in order.
     */
    void apply(Client from, Command command) {
        commandsProcessed++;
        commandsByKind.count(command);
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
            case Command.DeleteTree(String key) -> {
                List<String> doomed = new ArrayList<>();
                for (Iterator<Map.Entry<String, String>> it = keyspace.subtree(key); it.hasNext(); ) {
                    doomed.add(it.next().getKey());
                }
                for (String k : doomed) { // in key order; all in this step, so in one change-set for storage
                    keyspace.remove(k);
                    changes.add(new Change(k, null));
                    publish(k, null);
                }
                reply("OK");
            }
            case Command.Keys(String key) -> {
                boolean holding = events.holding(from);
                ByteSink sink = holding ? new ByteSink(256) : output.replies(from);
                if (events.tagged(from)) sink.append((byte) '=');
                listing(key, sink);
                if (holding) events.hold(from, sink.toByteArray());
            }
            case Command.Json(String key, boolean wrapped) ->
                    reply(wrapped ? JsonView.wrapped(keyspace, key) : JsonView.subtree(keyspace, key));
            case Command.Subscribe(Kind kind, String key, String value, Command.SubscribeOptions options) -> {
                subscriptions.subscribe(from, key, kind);
                if (events.tagged(from)) {
                    events.subscribe3(from, kind, key, options);
                    return;
                }
                if (value != null) publish(key, value);
                reply("OK");
            }
            case Command.Unsubscribe(String key, String value) -> {
                if (value != null) publish(key, value); // the farewell reaches this connection too
                subscriptions.unsubscribe(from, key);
                events.unsubscribed(from, key);
                reply("OK");
            }
            case Command.Hello(int version, String session) ->
                    reply(version == 2 ? events.hello(from, 2) : events.hello3(from, sessions.hello3(from, session)));
            case Command.OnDisconnect(Command action) -> {
                if (action instanceof Command.Set(String key, String value) && tooLong(value)) return;
                String refused = sessions.register(from, action);
                reply(refused == null ? "OK" : "ERR " + refused);
            }
            case Command.OnDisconnectClear() -> {
                String refused = sessions.clear(from);
                reply(refused == null ? "OK" : "ERR " + refused);
            }
            case Command.Notify(String key, String value) -> {
                publish(key, value);
                reply("OK");
            }
            case Command.Invalid(String reason) -> reply("ERR " + reason);
            case Command.Answer(String line) -> reply(line);
            case Command.Authenticated(String user, String role) -> {
                events.authenticated(from, user);
                reply("OK");
            }
            case Command.Ping() -> reply("PONG");
            case Command.Quit() -> {
                sessions.quit(from); // its actions run right after this request
                reply("OK"); // the connection closes once this is sent
            }
            case Command.Info() -> reply(info());
            case Command.Auth a -> throw new IllegalArgumentException("auth is answered by the connection");
        }
    }

    /** Where replies and pushes wait, in order, until the batch is handed over. */
    BatchOutput output() {
        return output;
    }

    private void reply(String line) {
        if (runningActions) return; // an ended session's action: nobody waits for its reply
        events.replyTo(current, line);
    }

    /** bite-db's loop: where events and replies go (replays going on, ticks). */
    EventFanout events() {
        return events;
    }

    private void publish(String key, String value) {
        events.publish(key, value);
    }

    /** The session registry (bite-db's loop hands it grace ends and the stop). */
    Sessions sessions() {
        return sessions;
    }

    /**
     * Runs the actions of the sessions that ended while the last request was applied: after that request, as a step
     * of their own, each an event like the request it is.
     */
    void runEndedSessions() {
        if (sessions.hasEnded()) runActions(sessions.takeEnded());
    }

    /**
     * At start: runs, as one step, the actions of the sessions the last run did not end, and ends them on disk in
     * the same change-set. Returns how many actions ran.
     */
    int runRecovered(List<SessionRecords.Recovered> recovered) {
        List<Command> actions = sessions.recovered(recovered);
        runActions(actions);
        return actions.size();
    }

    private void runActions(List<Command> actions) {
        runningActions = true;
        try {
            for (Command action : actions) {
                try {
                    apply(null, action);
                } catch (RuntimeException e) { // one failing action does not stop the others
                    LOG.log(System.Logger.Level.ERROR, "internal error running an ondisconnect action", e);
                }
            }
        } finally {
            runningActions = false;
        }
    }

    /** The changes applied since the last call, handed over to storage. */
    List<Change> drainChanges() {
        if (changes.isEmpty()) return List.of();
        List<Change> drained = List.copyOf(changes);
        changes.clear();
        return drained;
    }

    /** A connection closed: forget its subscriptions; its session ends or its grace starts. */
    void disconnected(Client client, boolean slowConsumer) {
        sessions.closed(client, events.tagged(client));
        subscriptions.removeClient(client);
        events.disconnected(client);
        if (slowConsumer) slowConsumerDisconnects++;
    }

    Keyspace keyspace() {
        return keyspace;
    }

    int subscriptionCount() {
        return subscriptions.count();
    }

    /** Commands applied so far by kind, named as {@code set}, {@code set_if_absent}, {@code get}, ... */
    java.util.SortedMap<String, Long> commandsByKind() {
        return commandsByKind.byName();
    }

    long commandsProcessed() {
        return commandsProcessed;
    }

    long pushesSent() {
        return events.pushesSent();
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
}
