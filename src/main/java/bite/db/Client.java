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
     * Whether everything queued for this connection so far has been handed to its socket: an {@code every=}
     * subscription's next batch waits (and keeps merging) until it has. Called on bite-db; must not block.
     */
    default boolean outputDrained() {
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
