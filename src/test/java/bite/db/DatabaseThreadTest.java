package bite.db;

import bite.command.Command;
import bite.storage.Change;
import bite.storage.ChangeSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** The real bite-db thread: requests in, replies out through the clients, changes to storage, futures completed. */
class DatabaseThreadTest {

    /**
     * One hand-off to storage: the changes, and what storage does once they are durable: report the batch's number
     * to bite-db, which then has handled the report when {@code onDurable} returns.
     */
    record Submission(List<Change> changes, Runnable onDurable) {}

    private final BlockingQueue<Submission> submissions = new LinkedBlockingQueue<>();
    private final ChangeSink heldStorage = (seq, changes) -> submissions.add(new Submission(changes, () -> durable(seq)));
    private DatabaseThread thread;

    /** Storage's report that batch {@code seq} is durable, and a round trip through bite-db so it was handled. */
    private void durable(long seq) {
        thread.durable(seq);
        CompletableFuture<DatabaseStats> handled = new CompletableFuture<>();
        thread.submit(new Request.Stats(handled));
        handled.join();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (thread != null) thread.stop();
    }

    /** Submits {@code commands} from {@code client} as one batch; the future completes when it is answered. */
    private CompletableFuture<Void> submit(Client client, Command... commands) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        thread.submit(new Request.Batch(client, List.of(commands), done));
        return done;
    }

    @Test
    void appliesABatchAndCompletesItsFuture() throws Exception {
        thread = new DatabaseThread(Map.of("n", "41"), 1024, ChangeSink.NONE);
        thread.start();
        RecordingClient c = new RecordingClient("c");
        CompletableFuture<Void> done = new CompletableFuture<>();
        thread.submit(new Request.Batch(c, List.of(new Command.Increment("n"), new Command.Get("n"),
                new Command.Invalid("missing key")), done));
        done.get(5, TimeUnit.SECONDS);
        assertThat(c.take()).containsExactly("reply 42", "reply 42", "reply ERR missing key");

        CompletableFuture<DatabaseStats> stats = new CompletableFuture<>();
        thread.submit(new Request.Stats(stats));
        assertThat(stats.get(5, TimeUnit.SECONDS)).isEqualTo(new DatabaseStats(1, 0, 3, 0, 0, 1, 1, 0, 0,
                new java.util.TreeMap<>(Map.of("get", 1L, "increment", 1L, "invalid", 1L))));
    }

    @Test
    void repliesWaitUntilStorageSaysTheChangesAreDurable() throws Exception {
        thread = new DatabaseThread(Map.of(), 1024, heldStorage);
        thread.start();
        RecordingClient c = new RecordingClient("c");
        CompletableFuture<Void> done = new CompletableFuture<>();
        thread.submit(new Request.Batch(c, List.of(new Command.Set("a", "1"), new Command.Delete("a"),
                new Command.Delete("a")), done));

        Submission submission = submissions.poll(5, TimeUnit.SECONDS);
        assertThat(submission).isNotNull();
        assertThat(submission.changes()).containsExactly(new Change("a", "1"), new Change("a", null));
        assertThat(done).isNotDone();
        submission.onDurable().run();
        assertThat(done).isDone();
        assertThat(c.take()).containsExactly("reply OK", "reply OK", "reply OK");
    }

    @Test
    void aReadOnlyBatchGoesOutAtOnceButNeverOvertakesABatchStillWithStorage() throws Exception {
        thread = new DatabaseThread(Map.of("k", "v"), 1024, heldStorage);
        thread.start();
        RecordingClient reader = new RecordingClient("reader");
        RecordingClient writer = new RecordingClient("writer");

        CompletableFuture<Void> firstRead = new CompletableFuture<>();
        thread.submit(new Request.Batch(reader, List.of(new Command.Get("k")), firstRead));
        firstRead.get(5, TimeUnit.SECONDS); // nothing with storage: no hand-off at all
        assertThat(submissions).isEmpty();
        assertThat(reader.take()).containsExactly("reply v");

        CompletableFuture<Void> write = new CompletableFuture<>();
        thread.submit(new Request.Batch(writer, List.of(new Command.Subscribe(Command.Kind.VALUE, "k", null),
                new Command.Set("k", "w")), write));
        Submission held = submissions.poll(5, TimeUnit.SECONDS);
        assertThat(held).isNotNull();

        CompletableFuture<Void> notify = new CompletableFuture<>();
        thread.submit(new Request.Batch(reader, List.of(new Command.Notify("k", "later")), notify));
        Submission queuedBehind = submissions.poll(5, TimeUnit.SECONDS);
        assertThat(queuedBehind).as("a batch without changes waits behind one still with storage").isNotNull();
        assertThat(queuedBehind.changes()).isEmpty();
        assertThat(notify).isNotDone();
        assertThat(writer.take()).isEmpty();

        held.onDurable().run();
        queuedBehind.onDurable().run();
        assertThat(write).isDone();
        assertThat(notify).isDone();
        assertThat(writer.take()).containsExactly("reply OK", "push w", "reply OK", "push later");
    }

    @Test
    void aStorageThatRefusesABatchFailsItsRequestersButNotTheThread() throws Exception {
        ChangeSink refusing = (seq, changes) -> {
            throw new IllegalStateException("storage is closed");
        };
        thread = new DatabaseThread(Map.of("k", "v"), 1024, refusing);
        thread.start();
        RecordingClient c = new RecordingClient("c");
        CompletableFuture<Void> write = new CompletableFuture<>();
        thread.submit(new Request.Batch(c, List.of(new Command.Set("k", "w")), write));
        assertThat(write).failsWithin(5, TimeUnit.SECONDS);
        assertThat(c.take()).as("no OK for a write storage did not take").isEmpty();

        CompletableFuture<Void> read = new CompletableFuture<>();
        thread.submit(new Request.Batch(c, List.of(new Command.Get("missing")), read));
        read.get(5, TimeUnit.SECONDS);
        assertThat(c.take()).containsExactly("reply ");
    }

    @Test
    void aConnectionThatThrowsWhileTakingItsRepliesFailsItsBatchButNotTheThread() throws Exception {
        thread = new DatabaseThread(Map.of("k", "v"), 1024, ChangeSink.NONE);
        thread.start();
        RecordingClient broken = new RecordingClient("broken");
        broken.failReplies();
        CompletableFuture<Void> failed = submit(broken, new Command.Get("k"));
        assertThat(failed).failsWithin(5, TimeUnit.SECONDS).withThrowableThat()
                .withMessageContaining("broken connection");

        RecordingClient c = new RecordingClient("c");
        CompletableFuture<Void> done = submit(c, new Command.Get("k"));
        done.get(5, TimeUnit.SECONDS);
        assertThat(c.take()).containsExactly("reply v");
    }

    @Test
    void aConnectionThatThrowsWhenItsDurableRepliesComeFailsItsBatchAndLaterBatchesStillGoOut() throws Exception {
        thread = new DatabaseThread(Map.of(), 1024, heldStorage);
        thread.start();
        RecordingClient broken = new RecordingClient("broken");
        broken.failReplies();
        CompletableFuture<Void> failed = submit(broken, new Command.Set("a", "1"));
        Submission submission = submissions.poll(5, TimeUnit.SECONDS);
        assertThat(submission).isNotNull();
        submission.onDurable().run(); // what bite-storage does once the change is in the log
        assertThat(failed).isCompletedExceptionally();

        // nothing is left with storage: a read goes out at once
        RecordingClient c = new RecordingClient("c");
        CompletableFuture<Void> done = submit(c, new Command.Get("a"));
        done.get(5, TimeUnit.SECONDS);
        assertThat(c.take()).containsExactly("reply 1");
        assertThat(submissions).isEmpty();
    }

    @Test
    void disconnectedDropsTheSubscriptionsAndCountsSlowConsumers() throws Exception {
        thread = new DatabaseThread(Map.of(), 1024, ChangeSink.NONE);
        thread.start();
        RecordingClient c = new RecordingClient("c");
        CompletableFuture<Void> done = new CompletableFuture<>();
        thread.submit(new Request.Batch(c, List.of(new Command.Subscribe(Command.Kind.VALUE, "a", null),
                new Command.Subscribe(Command.Kind.KEYED, "b", null)), done));
        done.get(5, TimeUnit.SECONDS);
        thread.submit(new Request.Disconnected(c, true));
        CompletableFuture<DatabaseStats> stats = new CompletableFuture<>();
        thread.submit(new Request.Stats(stats));
        assertThat(stats.get(5, TimeUnit.SECONDS)).isEqualTo(new DatabaseStats(0, 0, 2, 0, 1, 0, 0, 0, 0,
                new java.util.TreeMap<>(Map.of("subscribe", 2L))));
    }

    @Test
    void stopAppliesEverythingQueuedFirst() throws Exception {
        thread = new DatabaseThread(Map.of(), 1024, ChangeSink.NONE);
        thread.start();
        RecordingClient c = new RecordingClient("c");
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            futures.add(done);
            thread.submit(new Request.Batch(c, List.of(new Command.Increment("n")), done));
        }
        thread.stop();
        for (CompletableFuture<Void> f : futures) assertThat(f).isDone();
        List<String> replies = c.take();
        assertThat(replies).hasSize(5000);
        assertThat(replies.getLast()).isEqualTo("reply 5000");
        thread = null;
    }

    @Test
    void aCommandThatThrowsGetsAnInternalErrorAndTheThreadGoesOn() throws Exception {
        List<Change> logged = new ArrayList<>(); // touched on bite-db only; read after a future completed
        ChangeSink storage = (seq, changes) -> {
            logged.addAll(changes);
            thread.durable(seq);
        };
        AtomicInteger infoCalls = new AtomicInteger();
        thread = new DatabaseThread(Map.of("a", "1"), 1024, storage, () -> {
            if (infoCalls.getAndIncrement() == 0) throw new IllegalStateException("the first info fails");
            return "\"server\":true";
        });
        Logger dbLog = Logger.getLogger("bite.db"); // held: java.util.logging keeps loggers weakly
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel() == java.util.logging.Level.SEVERE) errors.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        dbLog.addHandler(handler);
        try {
            thread.start();
            RecordingClient c = new RecordingClient("c");
            RecordingClient other = new RecordingClient("other");
            CompletableFuture<Void> first = new CompletableFuture<>();
            CompletableFuture<Void> second = new CompletableFuture<>();
            thread.submit(new Request.Batch(other, List.of(new Command.Set("b", "x")), new CompletableFuture<>()));
            // c hears its own change of a, so the failing command comes after a push and a reply in c's output
            thread.submit(new Request.Batch(c, List.of(new Command.Subscribe(Command.Kind.VALUE, "a", null),
                    new Command.Set("a", "2"), new Command.Info(), new Command.Increment("n"),
                    new Command.Auth("never reaches the database"), new Command.Get("a")), first));
            thread.submit(new Request.Batch(other, List.of(new Command.Get("b"), new Command.Info()), second));
            first.get(5, TimeUnit.SECONDS);
            second.get(5, TimeUnit.SECONDS);

            assertThat(c.take()).containsExactly("reply OK", "push 2", "reply OK", "reply ERR internal error",
                    "reply 1", "reply ERR internal error", "reply 2");
            assertThat(other.take()).containsExactly("reply OK", "reply x", "reply {\"server\":true,\"keys\":3,"
                    + "\"subscriptions\":1,\"commands_processed\":9,\"pushes_sent\":1,\"slow_consumer_disconnects\":0,"
                    + "\"epoch\":\"" + thread.database().events().epoch() + "\",\"revision\":3,\"history_size\":3,"
                    + "\"history_oldest\":1,\"user_connections\":{},\"sessions_open\":0,\"sessions_in_grace\":0,"
                    + "\"ondisconnect_actions_pending\":0}");
            assertThat(logged).as("storage got exactly what was applied")
                    .containsExactly(new Change("b", "x"), new Change("a", "2"), new Change("n", "1"));
            assertThat(errors).hasSize(2).allSatisfy(m -> assertThat(m).startsWith("internal error applying"));

            CompletableFuture<DatabaseStats> stats = new CompletableFuture<>();
            thread.submit(new Request.Stats(stats));
            assertThat(stats.get(5, TimeUnit.SECONDS)).usingRecursiveComparison().ignoringFields("commandsByKind")
                    .isEqualTo(new DatabaseStats(3, 1, 9, 1, 0, 3, 3, 0, 0, new java.util.TreeMap<>()));
        } finally {
            dbLog.removeHandler(handler);
        }
    }

    @Test
    void aFatalErrorStopsTheDatabaseFailsEverythingWaitingAndTellsTheServer() throws Exception {
        CountDownLatch inStorage = new CountDownLatch(1);
        CountDownLatch die = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        ChangeSink dying = (seq, changes) -> {
            if (!changes.contains(new Change("fault", "now"))) {
                submissions.add(new Submission(changes, () -> durable(seq))); // held: never reported
                return;
            }
            inStorage.countDown();
            try {
                die.await(); // the test queues more requests meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new InternalError("injected fault on bite-db");
        };
        thread = new DatabaseThread(Map.of(), 1024, dying, () -> "", stopped::countDown);
        thread.start();
        RecordingClient c = new RecordingClient("c");
        CompletableFuture<Void> held = submit(c, new Command.Set("a", "1"));
        assertThat(submissions.poll(5, TimeUnit.SECONDS)).isNotNull();
        CompletableFuture<Void> fatal = submit(c, new Command.Set("fault", "now"));
        assertThat(inStorage.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> queued = submit(c, new Command.Get("a"));
        CompletableFuture<DatabaseStats> stats = new CompletableFuture<>();
        thread.submit(new Request.Stats(stats));
        assertThat(stopped.getCount()).isEqualTo(1);
        die.countDown();

        assertThat(stopped.await(5, TimeUnit.SECONDS)).as("onStopped ran").isTrue();
        for (CompletableFuture<?> f : List.of(held, fatal, queued, stats)) {
            assertThat(f).failsWithin(5, TimeUnit.SECONDS).withThrowableThat()
                    .withMessageContaining("database stopped by a fatal error");
        }
        assertThat(c.take()).as("nothing held goes out").isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> submit(c, new Command.Get("a")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("database stopped");
    }

    @Test
    void aBugOutsideTheCommandsIsFatalToo() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        thread = new DatabaseThread(Map.of(), 1024, ChangeSink.NONE, () -> "", stopped::countDown);
        thread.start();
        CompletableFuture<Void> broken = new CompletableFuture<>();
        thread.submit(new Request.Batch(new RecordingClient("c"), null, broken)); // handle() itself throws
        assertThat(stopped.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(broken).failsWithin(5, TimeUnit.SECONDS);
        CompletableFuture<DatabaseStats> stats = new CompletableFuture<>();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> thread.submit(new Request.Stats(stats)))
                .isInstanceOf(IllegalStateException.class);
    }
}
