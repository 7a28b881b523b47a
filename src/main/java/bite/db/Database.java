package bite.db;

import bite.command.Command;
import bite.command.Command.Kind;
import bite.protocol.ByteSink;
import bite.protocol.Utf8;
import bite.storage.Change;
import bite.storage.SessionRecords;
import bite.util.MemoryCap;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The state the single writer owns — keyspace, subscriptions, the changes not yet handed to storage — and what
 * each command does to it. Everything in this class runs on the bite-db thread (or a unit test's thread); nothing
 * here is synchronized, and nothing here blocks: pushes only append to subscribers' outbound queues.
 */
final class Database {

    private static final System.Logger LOG = System.getLogger("bite.db");

    /** Reads of more entries than this are rendered on another thread (about a millisecond of bite-db's work). */
    static final int INLINE_ENTRIES = 2048;

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
    /** Where big reads go to be rendered (null: render everything here, as unit tests do). */
    private final Consumer<BigRead> bigReads;
    private final MemoryCap memory;

    private long commandsProcessed;
    private final CommandCounts commandsByKind = new CommandCounts();
    private long slowConsumerDisconnects;

    Database(Map<String, String> initial, int maxValueBytes) {
        this(initial, maxValueBytes, DatabaseWiring.defaults());
    }

    Database(Map<String, String> initial, int maxValueBytes, DatabaseWiring wiring) {
        this.bigReads = wiring.bigReads();
        this.memory = wiring.memory();
        this.maxValueBytes = maxValueBytes;
        this.serverInfo = wiring.serverInfo();
        this.keyspace = new Keyspace(initial);
        this.events = new EventFanout(output, subscriptions, wiring.historySize(), wiring.ticks(),
                wiring.clockMillis());
        this.sessions = new Sessions(changes, wiring.graceMillis(), wiring.graces(), events::userOf);
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
                if (tooLong(value) || outOfMemory()) return;
                set(key, value);
                reply("OK");
            }
            case Command.SetIfAbsent(String key, String value) -> {
                if (tooLong(value)) return;
                if (keyspace.get(key) != null) {
                    reply("NO");
                } else if (!outOfMemory()) {
                    set(key, value);
                    reply("OK");
                }
            }
            case Command.SetMany(List<Command.Set> items) -> {
                for (Command.Set item : items) {
                    if (tooLong(item.value())) return; // all or nothing
                }
                if (outOfMemory()) return;
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
                if (tooLong(updated) || outOfMemory()) return;
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
                if (renderedElsewhere(from, BigRead.Kind.KEYS, key)) return;
                boolean holding = events.holding(from);
                ByteSink sink = holding ? new ByteSink(256) : output.replies(from);
                if (events.tagged(from)) sink.append((byte) '=');
                BigRead.listing(keyspace.subtree(key), key, sink, () -> { });
                if (holding) events.hold(from, sink.toByteArray());
            }
            case Command.Json(String key, boolean wrapped) -> {
                if (renderedElsewhere(from, wrapped ? BigRead.Kind.JSON_WRAPPED : BigRead.Kind.JSON, key)) return;
                reply(wrapped ? JsonView.wrapped(keyspace, key) : JsonView.subtree(keyspace, key));
            }
            case Command.Subscribe(Kind kind, String key, String value, Command.SubscribeOptions options) -> {
                subscriptions.subscribe(from, key, kind, events.tagged(from));
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
                if (outOfMemory()) return;
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

    /**
     * A read of more than {@link #INLINE_ENTRIES} entries is rendered on another thread from a snapshot taken here,
     * at its position in the order; the connection's later output waits behind its place. False: render it here.
     */
    private boolean renderedElsewhere(Client from, BigRead.Kind kind, String key) {
        if (bigReads == null || !keyspace.subtreeLarger(key, INLINE_ENTRIES)) return false;
        HeldOutput.Rendering slot = events.holdRendering(from);
        bigReads.accept(new BigRead(from, kind, key, keyspace.snapshot(), events.tagged(from), slot));
        return true;
    }

    /** A big read's reply came back from its render thread: its snapshot goes, its reply takes its place. */
    void rendered(Request.Rendered done) {
        BigRead read = done.read();
        keyspace.release(read.snapshot());
        if (done.chunks() != null) {
            read.slot().fill(done.chunks());
        } else {
            String line = (read.tagged() ? "=" : "") + "ERR internal error\n";
            read.slot().fill(new byte[][] {line.getBytes(java.nio.charset.StandardCharsets.US_ASCII)});
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

    /**
     * Over the memory cap, a request that adds data gets {@code ERR out of memory} and changes nothing; reads,
     * deletes and subscriptions go on, so that an operator can free space. Every request that adds data asks here,
     * {@code ondisconnect} too; the actions of an ended session, accepted before, run whatever the cap says.
     */
    boolean outOfMemory() {
        if (!memory.over() || runningActions) return false; // actions accepted earlier are a promise: they run
        int dropped = events.forgetHistory(); // it may hold the only references to values deletes removed
        if (dropped > 0) {
            LOG.log(System.Logger.Level.WARNING, "over the memory cap: dropped the event history (" + dropped
                    + " events); from= resumes from before now get NO");
        }
        memory.refused();
        reply("ERR out of memory");
        return true;
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
            if (outOfMemory()) return;
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
}
