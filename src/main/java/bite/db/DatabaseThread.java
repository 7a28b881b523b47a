package bite.db;

import bite.command.Command;
import bite.protocol.ByteSink;
import bite.storage.ChangeSink;
import bite.storage.SessionRecords;
import bite.util.CrashPoint;
import bite.util.Deadlines;
import bite.util.MemoryCap;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The single writer. Everything in this class, and all of {@link Database}, runs on the bite-db thread, except
 * {@link #submit} and {@link #stop} (any thread): it takes requests off one queue, applies them in order, and
 * answers through their futures. It is the only thread that writes to connections' output queues.
 *
 * <p>Loop: take one request, drain whatever else is queued, apply the batch, then hand the batch's changes to
 * storage under a number and hold the batch's output and requesters until storage reports, with a
 * {@link Request.Durable} on this same queue, that every batch up to that number is durable. Held batches go out in
 * the order they were produced; a batch that changed nothing goes out at once unless others are held, and then
 * waits behind them (storage numbers it too). It never touches a socket and never waits on a disk.
 *
 * <p>Errors: a command that throws gets {@code ERR internal error} and the thread goes on. Anything that escapes the
 * loop ({@link #doRun}) is fatal: the database is marked stopped, {@link #submit} fails fast, every request queued
 * or held fails, and {@code onStopped} runs so that the server closes its connections instead of leaving them waiting.
 */
public final class DatabaseThread {

    private static final System.Logger LOG = System.getLogger("bite.db");
    private static final int MAX_BATCH = 1024;
    /** After {@link #stop}: how long held batches may wait for storage's report before they fail. */
    private static final long HELD_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Database database;
    private final TimedRequests timed;
    private final HeldBatches batches;
    private final Runnable onStopped;
    private final Thread thread;
    /** Render threads for big reads: they hand replies back on this queue, taken while stopping too. */
    private final RenderThreads renderers = new RenderThreads(rendered -> {
        if (this.fatal == null) this.queue.add(rendered);
    });
    private volatile boolean running = true;
    private volatile Throwable fatal;

    // bite-db's own
    private final List<Request> inHand = new ArrayList<>();
    private final List<CompletableFuture<Void>> done = new ArrayList<>();

    public DatabaseThread(Map<String, String> initial, int maxValueBytes, ChangeSink storage) {
        this(initial, maxValueBytes, storage, () -> "");
    }

    public DatabaseThread(Map<String, String> initial, int maxValueBytes, ChangeSink storage,
                          Supplier<String> serverInfo) {
        this(initial, maxValueBytes, storage, serverInfo, () -> { });
    }

    /**
     * @param serverInfo the server's own fields of the {@code info} reply, as JSON members; called on bite-db, so it
     *                   must only read thread-safe values
     * @param onStopped  runs on bite-db, once, if a fatal error stops it: must not block (start a thread to close
     *                   the connections)
     */
    public DatabaseThread(Map<String, String> initial, int maxValueBytes, ChangeSink storage,
                          Supplier<String> serverInfo, Runnable onStopped) {
        this(initial, maxValueBytes, storage, serverInfo, onStopped, DatabaseWiring.DEFAULT_HISTORY);
    }

    /** @param history events kept for {@code from=} replays ({@code --history}) */
    public DatabaseThread(Map<String, String> initial, int maxValueBytes, ChangeSink storage,
                          Supplier<String> serverInfo, Runnable onStopped, int history) {
        this(initial, maxValueBytes, storage, serverInfo, onStopped, history, null, 0);
    }

    /**
     * @param timers      the server's timer, where {@code every=} window ends and session grace ends are asked for
     *                    (null: one of its own, closed at {@link #stop})
     * @param graceMillis {@code --session-grace}
     */
    public DatabaseThread(Map<String, String> initial, int maxValueBytes, ChangeSink storage,
                          Supplier<String> serverInfo, Runnable onStopped, int history, Deadlines timers,
                          long graceMillis) {
        this(initial, maxValueBytes, storage, serverInfo, onStopped, history, timers, graceMillis, MemoryCap.NONE);
    }

    /** @param memory over it, requests that add data are refused ({@code --max-memory}) */
    public DatabaseThread(Map<String, String> initial, int maxValueBytes, ChangeSink storage,
                          Supplier<String> serverInfo, Runnable onStopped, int history, Deadlines timers,
                          long graceMillis, MemoryCap memory) {
        this.timed = new TimedRequests(timers, r -> {
            if (running) queue.add(r); // after a stop no batch goes out, and the stop ended every session
        });
        this.database = new Database(initial, maxValueBytes, DatabaseWiring.defaults().serverInfo(serverInfo)
                .history(history).ticks(timed, () -> System.nanoTime() / 1_000_000).sessions(graceMillis, timed)
                .bigReads(renderers::render).memory(memory));
        this.batches = new HeldBatches(storage, database.output());
        this.onStopped = onStopped;
        // A virtual thread, on the same carriers as the connections: waking it is a queue push, not an OS context
        // switch, and while it waits its turn more requests pile up for one drain (measured: docs/BENCHMARKS.md,
        // "bite-db: virtual or platform thread"). It never blocks but on its queue, so it never holds a carrier.
        this.thread = Thread.ofVirtual().name("bite-db").unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    /**
     * Queues a request for the database thread. Safe from any thread; never blocks. Throws
     * {@link IllegalStateException} once the database is stopped (by {@link #stop} or a fatal error).
     */
    public void submit(Request request) {
        if (!running) throw new IllegalStateException(fatal != null ? "database stopped by a fatal error"
                : "database stopped");
        queue.add(request);
        if (fatal != null) failQueued(); // it died between the check and the add: nothing waits in a dead queue
    }

    /**
     * Storage's report that every batch up to {@code upTo} is durable: queues a {@link Request.Durable}. Unlike
     * {@link #submit} it is taken while the thread stops too (the held batches wait for it then); dropped once the
     * database is dead. Safe from any thread; never blocks.
     */
    public void durable(long upTo) {
        if (fatal == null) queue.add(new Request.Durable(upTo));
    }

    /**
     * Runs, as the first step, the actions of the sessions the last run left unended; {@code done} gets how many
     * once that step is durable. Call before any connection submits anything.
     */
    public void runRecovered(List<SessionRecords.Recovered> sessions, CompletableFuture<Integer> done) {
        submit(new Request.RunRecovered(List.copyOf(sessions), done));
    }

    /**
     * Applies everything already queued, ends every session (their actions run, and reach storage before its final
     * snapshot), then stops the thread and waits for it.
     */
    public void stop() throws InterruptedException {
        if (running && fatal == null) queue.add(new Request.EndSessions());
        running = false;
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(10));
        timed.close();
        renderers.stop();
    }

    /** The boundary: whatever escapes the loop stops the database, loudly, and fails everything waiting. */
    private void run() {
        try {
            doRun();
            LOG.log(Level.DEBUG, "database thread stopped");
        } catch (Throwable t) {
            died(t);
        }
    }

    private void doRun() {
        long heldDeadline = 0;
        while (true) {
            try {
                if (running) {
                    // a replay going on continues in the next step, whether or not anything else is queued
                    if (!database.events().canAdvanceHeldOutput()) inHand.add(queue.take());
                } else if (!queue.isEmpty()) {
                    inHand.add(queue.remove());
                } else if (database.events().canAdvanceHeldOutput()) {
                    // stopped: a replay going on is finished first
                } else if (batches.isEmpty() && !database.events().hasHeldOutput()) {
                    break; // stopped, and everything queued before the stop is applied and out
                } else { // stopped: storage's last reports, or big reads' renders, may still come
                    if (heldDeadline == 0) heldDeadline = System.nanoTime() + HELD_WAIT_NANOS;
                    Request r = queue.poll(heldDeadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (r == null) {
                        IllegalStateException why = new IllegalStateException(
                                "database stopped before storage made the writes durable or a big read was rendered");
                        batches.failAll(why);
                        database.events().failHeldOutput(why);
                        break;
                    }
                    inHand.add(r);
                }
            } catch (InterruptedException e) {
                continue; // stop() interrupts a take(); the loop drains what is left
            }
            queue.drainTo(inHand, MAX_BATCH);
            for (Request request : inHand) {
                handle(request);
            }
            inHand.clear();
            database.events().runDueTicks(); // awake anyway: the every= windows that ended go out (TickQueue)
            database.events().advanceHeldOutput(done);
            try {
                endOfBatch();
            } catch (RuntimeException e) {
                HeldBatches.failed(done, "handing over a batch's output failed", e);
                done.clear();
            }
        }
    }

    private void handle(Request request) {
        switch (request) {
            case Request.Batch(Client from, List<Command> commands, CompletableFuture<Void> future) -> {
                for (Command command : commands) {
                    applySafely(from, command);
                    database.runEndedSessions(); // e.g. after quit: a step of their own, after the request
                }
                // output held behind a long replay: the requester is released once it went out
                if (!database.events().holdDone(from, future)) done.add(future);
            }
            case Request.Disconnected(Client client, boolean slowConsumer) -> {
                database.disconnected(client, slowConsumer);
                database.runEndedSessions();
            }
            case Request.GraceEnded(String token, long grace) -> {
                database.sessions().graceEnded(token, grace);
                database.runEndedSessions();
            }
            case Request.EndSessions() -> {
                database.sessions().endAll();
                database.runEndedSessions();
            }
            case Request.RunRecovered(List<SessionRecords.Recovered> sessions, CompletableFuture<Integer> ran) -> {
                int n = database.runRecovered(sessions);
                CrashPoint.at("session-recovery-applied"); // applied, not yet handed to storage
                CompletableFuture<Void> durable = new CompletableFuture<>(); // completes once the step is durable
                durable.whenComplete((v, e) -> { if (e == null) ran.complete(n); else ran.completeExceptionally(e); });
                done.add(durable);
            }
            case Request.Tick(long at) -> database.events().woke(at);
            case Request.Rendered rendered -> database.rendered(rendered);
            case Request.Durable(long upTo) -> batches.release(upTo);
            case Request.Stats(CompletableFuture<DatabaseStats> future) -> future.complete(new DatabaseStats(
                    database.keyspace().size(), database.subscriptionCount(), database.commandsProcessed(),
                    database.pushesSent(), database.slowConsumerDisconnects(), database.events().revision(),
                    database.events().historySize(), database.sessions().openCount(),
                    database.sessions().inGraceCount(), database.commandsByKind()));
        }
    }

    /** The exception boundary: one failing command gets {@code ERR internal error}; the thread goes on. */
    private void applySafely(Client from, Command command) {
        ByteSink replies = database.output().replies(from);
        int mark = replies.size();
        try {
            database.apply(from, command);
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError && !(e instanceof OutOfMemoryError)) throw e;
            LOG.log(Level.ERROR, "internal error applying " + command.getClass().getSimpleName(), e);
            replies = database.output().replies(from);
            if (replies.size() >= mark) replies.truncate(mark);
            database.events().replyTo(from, "ERR internal error");
        }
    }

    /** The batch's output and requesters: out at once, or held until storage makes its changes durable. */
    private void endOfBatch() {
        batches.endOfBatch(database.drainChanges(), database.output().drain(), done);
    }

    /** bite-db cannot go on: nothing is accepted any more, everything waiting fails, and the server is told. */
    private void died(Throwable t) {
        fatal = t;
        running = false;
        try {
            LOG.log(Level.ERROR, "FATAL: the database thread failed; the database is stopped and every connection"
                    + " closes", t);
        } finally {
            IllegalStateException why = new IllegalStateException("database stopped by a fatal error", t);
            for (Request r : inHand) fail(r, why);
            inHand.clear();
            for (CompletableFuture<Void> f : done) f.completeExceptionally(why);
            done.clear();
            batches.failAll(why);
            database.events().failHeldOutput(why);
            failQueued();
            try {
                onStopped.run();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "onStopped failed", e);
            }
        }
    }

    /** Fails whatever is queued; once the database is dead. Any thread. */
    private void failQueued() {
        IllegalStateException why = new IllegalStateException("database stopped by a fatal error", fatal);
        for (Request r; (r = queue.poll()) != null; ) fail(r, why);
    }

    private static void fail(Request request, RuntimeException why) {
        switch (request) {
            case Request.Batch b -> b.done().completeExceptionally(why);
            case Request.Stats s -> s.reply().completeExceptionally(why);
            case Request.RunRecovered r -> r.done().completeExceptionally(why);
            case Request.Disconnected _, Request.Durable _, Request.Tick _, Request.GraceEnded _,
                 Request.EndSessions _, Request.Rendered _ -> { }
        }
    }

    /** For tests and operators: the state as the database thread sees it. Only valid on bite-db. */
    Database database() {
        return database;
    }
}
