package bite.db;

import bite.command.Command;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What crosses from connection threads to the bite-db thread. Immutable apart from the futures it carries. */
public sealed interface Request {

    /**
     * Commands read from one connection, applied in order. Their replies are queued on the connection itself, in
     * order with its pushes; {@code done} completes once they are queued, which is after their changes are as
     * durable as the fsync policy promises.
     */
    record Batch(Client from, List<Command> commands, CompletableFuture<Void> done) implements Request {}

    /** The connection closed ({@code slowConsumer}: because it did not read its pushes): drop its subscriptions. */
    record Disconnected(Client client, boolean slowConsumer) implements Request {}

    /** The wake-up bite-db asked of the timer for time {@code at} (ms) came: {@code every=} windows ended. */
    record Tick(long at) implements Request {}

    /** The grace {@code grace} of session {@code token} is over (see {@link Sessions}). */
    record GraceEnded(String token, long grace) implements Request {}

    /** A graceful stop: every session ends, and its actions run, before the final snapshot. */
    record EndSessions() implements Request {}

    /**
     * At start, before any connection: the actions of the sessions the last run left unended (read back by
     * storage, each in {@link bite.storage.SessionRecords}' form) run as one step; {@code done} gets how many ran,
     * once that step is durable.
     */
    record RunRecovered(List<bite.storage.SessionRecords.Recovered> sessions, CompletableFuture<Integer> done)
            implements Request {}

    /**
     * From storage: the changes of every batch numbered up to {@code upTo} are as durable as the fsync policy
     * promises, so bite-db releases those batches' output and requesters, in order.
     */
    record Durable(long upTo) implements Request {}

    /**
     * From a render thread: a {@link BigRead}'s reply, in pieces, or why it failed ({@code chunks} null); bite-db
     * releases the read's snapshot and files the reply in its place.
     */
    record Rendered(BigRead read, byte[][] chunks, Throwable failure) implements Request {}

    /** Reads the server's counters on the database thread. */
    record Stats(CompletableFuture<DatabaseStats> reply) implements Request {}
}
