package bite.db;

import bite.storage.Change;
import bite.storage.ChangeSink;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The batches whose changes are with storage: each batch that changed something is handed to storage under the next
 * number, and its output and requesters wait here until storage reports, on bite-db's queue, that every batch up to
 * a number is durable; then they go out in the order they were produced. A batch that changed nothing goes out at
 * once unless others wait (output leaves in the order bite-db made it). Owned by bite-db (part of
 * {@link DatabaseThread}); plain, unsynchronized.
 */
final class HeldBatches {

    private static final System.Logger LOG = System.getLogger("bite.db");

    /** One batch waiting for storage: its number, its output, and its requesters. */
    private record Held(long seq, BatchOutput.Deliveries output, List<CompletableFuture<Void>> requesters) {}

    private final ChangeSink storage;
    private final BatchOutput output;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private long lastSeq;

    HeldBatches(ChangeSink storage, BatchOutput output) {
        this.storage = storage;
        this.output = output;
    }

    boolean isEmpty() {
        return held.isEmpty();
    }

    /**
     * The end of a batch: its output goes out at once when nothing needs to wait (no changes, or no storage, and
     * nothing held); otherwise its changes go to storage under the next number and the batch is held until storage
     * reports it. {@code done} (the batch's requesters) is emptied either way.
     */
    void endOfBatch(List<Change> changes, BatchOutput.Deliveries out, List<CompletableFuture<Void>> done) {
        if (held.isEmpty() && (changes.isEmpty() || storage.keepsNothing())) {
            out.deliver();
            output.recycle(out);
            for (CompletableFuture<Void> f : done) f.complete(null);
            done.clear();
            return;
        }
        if (done.isEmpty() && changes.isEmpty() && out.isEmpty()) { // e.g. only storage's reports
            output.recycle(out);
            return;
        }
        long seq = ++lastSeq;
        try {
            storage.submit(seq, changes);
        } catch (RuntimeException e) {
            // storage refused the batch (closed, or a bug): its writes are not safe, so nobody gets an OK for them;
            // the requesters' connections close instead of waiting forever, and bite-db goes on
            failed(done, "storage refused a batch of " + changes.size() + " changes", e);
            done.clear();
            return;
        }
        held.add(new Held(seq, out, List.copyOf(done)));
        done.clear();
    }

    /** Storage made every batch up to {@code upTo} durable: their output goes out and their requesters go on. */
    void release(long upTo) {
        while (!held.isEmpty() && held.peek().seq() <= upTo) {
            Held h = held.poll();
            try {
                h.output().deliver();
                output.recycle(h.output());
            } catch (RuntimeException e) { // a connection threw (a bug): its batch fails, later ones still go out
                failed(h.requesters(), "handing over a batch's output failed", e);
                continue;
            }
            for (CompletableFuture<Void> f : h.requesters()) f.complete(null);
        }
    }

    /** bite-db stops without storage's report, or died: every held batch's requesters fail. */
    void failAll(RuntimeException why) {
        for (Held h : held) {
            for (CompletableFuture<Void> f : h.requesters()) f.completeExceptionally(why);
        }
        held.clear();
    }

    static void failed(List<CompletableFuture<Void>> requesters, String why, RuntimeException e) {
        LOG.log(Level.ERROR, why, e);
        for (CompletableFuture<Void> f : requesters) f.completeExceptionally(e);
    }
}
