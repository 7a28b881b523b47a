package bite.db;

/**
 * The database's handle on a connection: an identity for the subscription registry and the two ways to queue
 * output for it. Implementations never block: both only append to the connection's bounded outbound queue.
 */
public interface Client {

    /** Queues reply bytes (whole lines). Replies are always queued, whatever the queue holds. */
    void reply(byte[] lines);

    /**
     * Queues one push line (ending in {@code \n}). Returns false when the push would take the connection's output
     * over its limit: the connection then closes itself (on its own threads), takes no more output, and reports
     * {@link Request.Disconnected} with {@code slowConsumer} set.
     */
    boolean push(byte[] line);

    /**
     * A position in this connection's output: the end of everything queued so far. Called on bite-db; must not
     * block. An {@code every=} subscription notes it after queueing a batch.
     */
    default long outputMark() {
        return 0;
    }

    /**
     * Whether everything queued up to {@code mark} has been handed to the socket: an {@code every=} subscription's
     * next batch waits (and keeps merging) until its previous batch has; replies queued after that batch do not
     * hold it back. Called on bite-db; must not block.
     */
    default boolean outputSent(long mark) {
        return true;
    }

    /**
     * Asks the connection to close, on its own threads (its session was taken over by another connection): it takes
     * no more output and later reports {@link Request.Disconnected}. Called on bite-db; must not block.
     */
    default void close() {
    }

    /** A short name for logs, such as {@code conn-12}. */
    String name();
}
