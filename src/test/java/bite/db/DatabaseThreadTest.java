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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The real bite-db thread: requests in, replies out through the clients, changes to storage, futures completed. */
class DatabaseThreadTest {

    /** One hand-off to storage: the changes and what to run once they are durable. */
    record Submission(List<Change> changes, Runnable onDurable) {}

    private final BlockingQueue<Submission> submissions = new LinkedBlockingQueue<>();
    private final ChangeSink heldStorage = (changes, onDurable) -> submissions.add(new Submission(changes, onDurable));
    private DatabaseThread thread;

    @AfterEach
    void stop() throws InterruptedException {
        if (thread != null) thread.stop();
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
        assertThat(stats.get(5, TimeUnit.SECONDS)).isEqualTo(new DatabaseStats(1, 0, 3, 0, 0));
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
        assertThat(stats.get(5, TimeUnit.SECONDS)).isEqualTo(new DatabaseStats(0, 0, 2, 0, 1));
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
}
