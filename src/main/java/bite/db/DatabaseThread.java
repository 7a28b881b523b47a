package bite.db;

import bite.command.Command;
import bite.protocol.ByteSink;
import bite.storage.Change;
import bite.storage.ChangeSink;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The single writer. Everything in this class, and all of {@link Database}, runs on the bite-db thread: it takes
 * requests off one queue, applies them in order, and answers through their futures.
 *
 * <p>Loop: take one request, drain whatever else is queued, apply the batch, then hand the batch's changes to
 * storage in one step and complete the batch's futures once storage says they are durable. It never touches a
 * socket (pushes go to outbound queues) and never waits on a disk (the {@link ChangeSink} only queues).
 */
public final class DatabaseThread {

    private static final System.Logger LOG = System.getLogger("bite.db");
    private static final int MAX_BATCH = 1024;

    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Database database;
    private final ChangeSink storage;
    private final Thread thread;
    private volatile boolean running = true;
    /** Batches handed to storage whose output has not gone out yet (decremented on the storage thread). */
    private final AtomicInteger withStorage = new AtomicInteger();

    public DatabaseThread(Map<String, String> initial, int maxValueBytes, ChangeSink storage) {
        this(initial, maxValueBytes, storage, () -> "");
    }

    /**
     * @param serverInfo the server's own fields of the {@code info} reply, as JSON members; called on bite-db, so it
     *                   must only read thread-safe values
     */
    public DatabaseThread(Map<String, String> initial, int maxValueBytes, ChangeSink storage,
                          java.util.function.Supplier<String> serverInfo) {
        this.database = new Database(initial, maxValueBytes, serverInfo);
        this.storage = storage;
        // A virtual thread, on the same carriers as the connections: waking it is a queue push, not an OS
        // context switch, and while it waits its turn more requests pile up for one drain. Measured with
        // bench/compare.sh on one pinned core: get at pipeline 1 went from 41k to 57k ops/s, at pipeline 16 from
        // 463k to 695k (docs/BENCHMARKS.md). It never blocks but on its queue, so it never holds a carrier.
        this.thread = Thread.ofVirtual().name("bite-db").unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    /** Queues a request for the database thread. Safe from any thread; never blocks. */
    public void submit(Request request) {
        if (!running) throw new IllegalStateException("database stopped");
        queue.add(request);
    }

    /** Applies everything already queued, then stops the thread and waits for it. */
    public void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }

    private void run() {
        List<Request> batch = new ArrayList<>();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        while (true) {
            try {
                if (running) {
                    batch.add(queue.take());
                } else if (queue.isEmpty()) {
                    break; // stopped, and everything queued before the stop is applied
                }
            } catch (InterruptedException e) {
                continue; // stop() interrupts a take(); the loop drains what is left
            }
            queue.drainTo(batch, MAX_BATCH);
            for (Request request : batch) {
                handle(request, done);
            }
            batch.clear();
            try {
                endOfBatch(done);
            } catch (RuntimeException e) {
                failed(done, e);
                done.clear();
            }
        }
        LOG.log(Level.DEBUG, "database thread stopped");
    }

    private void handle(Request request, List<CompletableFuture<Void>> done) {
        switch (request) {
            case Request.Batch(Client from, List<Command> commands, CompletableFuture<Void> future) -> {
                for (Command command : commands) {
                    applySafely(from, command);
                }
                done.add(future);
            }
            case Request.Disconnected(Client client, boolean slowConsumer) ->
                    database.disconnected(client, slowConsumer);
            case Request.Stats(CompletableFuture<DatabaseStats> future) -> future.complete(new DatabaseStats(
                    database.keyspace().size(), database.subscriptionCount(), database.commandsProcessed(),
                    database.pushesSent(), database.slowConsumerDisconnects()));
        }
    }

    /** The exception boundary: one failing command gets {@code ERR internal error}; the thread goes on. */
    private void applySafely(Client from, Command command) {
        ByteSink replies = database.outbox().replies(from);
        int mark = replies.size();
        try {
            database.apply(from, command);
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError && !(e instanceof OutOfMemoryError)) throw e;
            LOG.log(Level.ERROR, "internal error applying " + command.getClass().getSimpleName(), e);
            replies = database.outbox().replies(from);
            if (replies.size() >= mark) replies.truncate(mark);
            replies.line("ERR internal error");
        }
    }

    /**
     * Hands the batch's changes to storage in one step; its replies and pushes go out, and its requesters are
     * released, once storage reports them durable. A batch that changed nothing goes out at once, unless an
     * earlier batch is still with storage: output leaves in the order the database produced it.
     */
    private void endOfBatch(List<CompletableFuture<Void>> done) {
        List<Change> changes = database.drainChanges();
        Outbox outbox = database.outbox();
        if (changes.isEmpty() && withStorage.get() == 0) {
            // reads and notifications need no disk: skip the storage thread's round trip, and copy nothing out
            outbox.deliverNow();
            for (CompletableFuture<Void> f : done) f.complete(null);
            done.clear();
            return;
        }
        Outbox.Deliveries out = outbox.drain();
        if (done.isEmpty() && changes.isEmpty() && out.isEmpty()) return;
        List<CompletableFuture<Void>> release = List.copyOf(done);
        done.clear();
        withStorage.incrementAndGet();
        try {
            storage.submit(changes, () -> {
                try {
                    release(out, release);
                } catch (RuntimeException e) {
                    failed(release, e);
                } finally {
                    withStorage.decrementAndGet(); // after the delivery, so a later batch cannot overtake it
                }
            });
        } catch (RuntimeException e) {
            // storage refused the batch (closed, or a bug): its writes are not safe, so nobody gets an OK for
            // them; the requesters' connections close instead of waiting forever, and this thread goes on
            withStorage.decrementAndGet();
            failed(release, "storage refused a batch of " + changes.size() + " changes", e);
        }
    }

    /**
     * A connection threw while a batch's output was handed over (a bug): the batch's requesters are told it failed
     * (their connections close) rather than waiting forever, and the thread that was handing it over goes on.
     */
    private static void failed(List<CompletableFuture<Void>> requesters, RuntimeException e) {
        failed(requesters, "handing over a batch's output failed", e);
    }

    private static void failed(List<CompletableFuture<Void>> requesters, String why, RuntimeException e) {
        LOG.log(Level.ERROR, why, e);
        for (CompletableFuture<Void> f : requesters) f.completeExceptionally(e);
    }

    private static void release(Outbox.Deliveries out, List<CompletableFuture<Void>> release) {
        out.deliver();
        for (CompletableFuture<Void> f : release) f.complete(null);
    }

    /** For tests and operators: the state as the database thread sees it. Only valid on bite-db. */
    Database database() {
        return database;
    }
}
