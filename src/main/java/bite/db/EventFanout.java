package bite.db;

import bite.command.Command;
import bite.command.Command.Kind;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Where events and replies go: the revisions and the history of events, each connection's protocol (tagged lines
 * in protocol 3), {@code every=} batches, and output held back behind a long {@code from=} replay. Everything here
 * runs on the bite-db thread, as part of {@link Database}; output only goes to the {@link BatchOutput}.
 */
final class EventFanout {

    private final BatchOutput output;
    private final Subscriptions subscriptions;
    private final EventHistory history;
    private final Peers peers = new Peers();
    private final HeldOutput held = new HeldOutput();
    private final TickQueue ticks;
    private final LongSupplier clockMillis;
    private long pushesSent;

    EventFanout(BatchOutput output, Subscriptions subscriptions, int historySize, TickScheduler ticks,
                LongSupplier clockMillis) {
        this.output = output;
        this.subscriptions = subscriptions;
        this.history = new EventHistory(historySize);
        this.ticks = new TickQueue(ticks);
        this.clockMillis = clockMillis;
    }

    long pushesSent() {
        return pushesSent;
    }

    /** The {@code info} fields of protocol 3, as JSON members. */
    String info() {
        return "\"epoch\":\"" + peers.epoch() + "\",\"revision\":" + history.newest()
                + ",\"history_size\":" + history.size() + ",\"history_oldest\":" + history.oldest()
                + ",\"user_connections\":" + peers.userConnectionsJson();
    }

    /** A successful {@code auth}: the connection is {@code user}'s (null: the server password, nobody's). */
    void authenticated(Client client, String user) {
        peers.authenticated(client, user);
    }

    /** The newest event's revision. */
    long revision() {
        return history.newest();
    }

    /** Events kept for {@code from=} replays. */
    int historySize() {
        return history.size();
    }

    /** This server run's epoch (fixed at construction: safe to read from any thread). */
    String epoch() {
        return peers.epoch();
    }

    boolean tagged(Client client) {
        return peers.tagged(client);
    }

    /** {@code hello 2} / {@code hello 3}: the reply, untagged ({@code hello 3} then tags it). */
    String hello(Client client, int version) {
        if (version == 2) {
            peers.hello2(client);
            subscriptions.setTagged(client, false); // and no longer tick-batched
            return "OK";
        }
        throw new IllegalArgumentException("hello 3 names its session: hello3");
    }

    /** {@code hello 3}: the reply, untagged (it is tagged once sent), showing session {@code token}. */
    String hello3(Client client, String token) {
        peers.hello3(client);
        subscriptions.setTagged(client, true);
        return "OK 3 " + peers.epoch() + " " + token;
    }

    /** The user {@code client} authenticated as; null when none (or only the server password). */
    String userOf(Client client) {
        return peers.userOf(client);
    }

    /** Whether {@code client}'s output must queue behind a replay still going on. */
    boolean holding(Client client) {
        return held.holding(client);
    }

    /** Files a whole reply (lines, tag included) for a {@link #holding} client. */
    void hold(Client client, byte[] reply) {
        held.hold(client, reply, false);
    }

    /** {@code #-}: the connection's subscriptions on {@code key} are gone. */
    void unsubscribed(Client client, String key) {
        peers.unsubscribed(client, key);
    }

    /** The connection closed. */
    void disconnected(Client client) {
        peers.remove(client);
        held.drop(client);
    }

    /** Files a reply line to {@code client}, tagged in protocol 3, behind any output held back for it. */
    void replyTo(Client client, String line) {
        if (peers.tagged(client)) line = "=" + line;
        if (held.holding(client)) {
            held.hold(client, (line + "\n").getBytes(StandardCharsets.UTF_8), false);
        } else {
            output.replies(client).line(line);
        }
    }

    /** Files a push line to {@code client}, behind any output held back for it. */
    private void send(Client client, byte[] line) {
        if (held.holding(client)) {
            held.hold(client, line, true);
        } else {
            output.push(client, line);
        }
    }

    /**
     * A protocol-3 subscribe, already registered: its {@code every=}, then its answer. With {@code from=}, a replay
     * that fits in one step goes out now, before the reply; a longer one (or one behind output already held for this
     * connection) is continued in later steps by {@link #advanceHeldOutput}.
     */
    void subscribe3(Client from, Kind kind, String key, Command.SubscribeOptions options) {
        long now = history.newest();
        peers.setEvery(from, new Peers.SubKey(key, kind), options.everyMillis(), clockMillis.getAsLong(), now);
        subscriptions.setBatched(from, key, kind, options.everyMillis() > 0);
        if (options.fromEpoch() == null) {
            replyTo(from, "OK " + now);
        } else if (!options.fromEpoch().equals(peers.epoch()) || !history.coversAfter(options.fromRevision())) {
            replyTo(from, "NO " + now);
        } else {
            byte[] ok = ("=OK " + now + "\n").getBytes(StandardCharsets.US_ASCII);
            HeldOutput.Replay replay = HeldOutput.Replay.collect(history, kind, key, options.fromRevision(), ok);
            if (!held.holding(from) && replay.size() <= HeldOutput.STEP) {
                replay.pushTo(output, from, replay.size());
                output.replies(from).append(ok);
            } else {
                held.queue(from, replay);
            }
        }
    }

    /** Drops the event history (over the memory cap); returns how many events it held. */
    int forgetHistory() {
        return history.forget();
    }

    /** Whether some connection's output is held behind a replay or a render still going on. */
    boolean hasHeldOutput() {
        return !held.isEmpty();
    }

    /** Whether {@link #advanceHeldOutput} can move something now (not all of it waits for a render thread). */
    boolean canAdvanceHeldOutput() {
        return !held.isEmpty() && held.canAdvance();
    }

    /** Holds {@code client}'s later output behind the place of a big read's reply, which bite-db fills later. */
    HeldOutput.Rendering holdRendering(Client client) {
        return held.queueRendering(client);
    }

    /** One step of the replays going on; the requests whose output all went out go to {@code released}. */
    void advanceHeldOutput(List<CompletableFuture<Void>> released) {
        if (!held.isEmpty()) held.advance(output, released);
    }

    /** bite-db died: the requests whose output is held fail. */
    void failHeldOutput(RuntimeException why) {
        held.failAll(why);
    }

    /** True when {@code client}'s output is held: then {@code done} completes once it went out. */
    boolean holdDone(Client client, CompletableFuture<Void> done) {
        if (!held.holding(client)) return false;
        held.holdDone(client, done);
        return true;
    }

    /** The timer's wake-up asked for {@code at} came: the windows that have ended go out. */
    void woke(long at) {
        ticks.woke(at);
        runDueTicks();
    }

    /**
     * Every {@code every=} window that has ended by now: its batch goes out, if it may; then the timer is asked for
     * the next. bite-db calls it at each wake-up and at the end of each step ({@link TickQueue}).
     */
    void runDueTicks() {
        if (ticks.isEmpty()) return; // no every= window waiting: no clock read per step
        long now = clockMillis.getAsLong();
        for (long id; (id = ticks.pollDue(now)) >= 0; ) tick(id, now);
        ticks.arm(now);
    }

    /** The window of {@code every=} subscription {@code id} ended: its batch goes out, if it may. */
    private void tick(long id, long now) {
        Peers.Ticked t = peers.ticked(id);
        if (t == null) return; // replaced or removed since
        boolean left = !held.holding(t.client()) && t.client().outputSent(t.batch().sentMark());
        byte[] batch = t.batch().onTick(now, left);
        if (batch != null) {
            send(t.client(), batch); // one chunk: one write where the socket allows
            t.batch().sentAt(t.client().outputMark());
        }
        long at = t.batch().tickAt();
        if (at >= 0) ticks.add(at, id); // runDueTicks arms the timer once all due ones ran
    }

    private static final Kind[] KINDS = Kind.values(); // values() copies the array on every call: once per push

    /**
     * Records the event of {@code key} ({@code value} null: deleted) with the next revision, and files its push for
     * every subscription on the key and its ancestors: at once, or into the batch of an {@code every=} subscription.
     */
    void publish(String key, String value) {
        history.add(key, value); // every event gets the next revision, whoever listens
        if (subscriptions.isEmpty()) return;
        long revision = history.newest();
        PushEncoder encoder = new PushEncoder(key, value, revision);
        subscriptions.forEachMatch(key, (subscribed, client, kinds) -> {
            for (Kind kind : KINDS) {
                if ((kinds & Subscriptions.bit(kind)) == 0) continue;
                pushesSent++;
                if ((kinds & Subscriptions.batchedBit(kind)) != 0) {
                    fileBatched(subscribed, kind, key, revision, encoder);
                    continue;
                }
                send(client, (kinds & Subscriptions.TAGGED) != 0 ? encoder.tagged(subscribed, kind)
                        : encoder.payload(subscribed, kind));
            }
        });
    }

    /** Subscriptions asking for their first tick after an event: reused, so an event allocates no list. */
    private final List<TickBatch> arming = new ArrayList<>();
    /** The event, subscribed key and kind last filed by {@link #fileBatched}: the visits of the other subscribers. */
    private long filedRevision;
    private String filedKey;
    private Kind filedKind;

    /**
     * The event of {@code revision} for the {@code every=} subscriptions of {@code subscribed} and {@code kind}: filed
     * once in their shared log (the visit of each further such subscriber finds it filed), and a tick asked for
     * each of them that had none.
     */
    private void fileBatched(String subscribed, Kind kind, String key, long revision, PushEncoder encoder) {
        if (revision == filedRevision && kind == filedKind && subscribed.equals(filedKey)) return;
        filedRevision = revision;
        filedKey = subscribed;
        filedKind = kind;
        TickLog log = peers.log(subscribed, kind);
        if (log == null || log.newest() >= revision) return; // filed already (the visits of two kinds alternated)
        log.append(key, revision, encoder.tagged(subscribed, kind));
        log.takeIdle(arming);
        if (arming.isEmpty()) return;
        long now = clockMillis.getAsLong();
        for (TickBatch b : arming) {
            long at = b.offer(now);
            if (at >= 0) ticks.add(at, b.id());
        }
        arming.clear();
        ticks.arm(now);
    }
}
