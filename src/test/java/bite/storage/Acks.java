package bite.storage;

import bite.util.Deadlines;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * For the storage tests: numbers each batch handed to a {@link Storage} and runs its callback, on bite-storage, once
 * storage reports a number at or past it as durable, in submit order (what bite-db does with the batch's output).
 */
final class Acks {

    /** One bite-timer for all the storage tests. */
    private static final Deadlines TIMERS = new Deadlines().start();

    private record Waiting(long seq, Runnable onDurable) {}

    private final Storage storage;
    private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    private long next;

    Acks(Storage storage) {
        this.storage = storage;
    }

    void start() {
        storage.start(TIMERS, this::durableUpTo);
    }

    /** Hands {@code changes} to storage as the next batch; {@code onDurable} runs once storage reports it. */
    synchronized void submit(List<Change> changes, Runnable onDurable) {
        long seq = ++next;
        waiting.add(new Waiting(seq, onDurable));
        storage.submit(seq, changes);
    }

    private void durableUpTo(long upTo) {
        for (Waiting w; (w = waiting.peek()) != null && w.seq() <= upTo; ) {
            waiting.poll();
            w.onDurable().run();
        }
    }
}
