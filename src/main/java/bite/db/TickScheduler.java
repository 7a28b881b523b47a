package bite.db;

/**
 * Where bite-db asks for a {@link Request.Tick} to come back on its own queue at a given time: the earliest window end
 * of its {@code every=} subscriptions ({@link TickQueue}). Called on bite-db only and never blocks; the tick arrives
 * as a request like any other, so no thread but bite-db touches subscription state.
 */
public interface TickScheduler {

    /** Submits {@code tick} to bite-db's queue once {@code delayMillis} have passed (at once when it is 0 or less). */
    void schedule(long delayMillis, Request.Tick tick);
}
