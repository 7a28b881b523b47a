package bite.db;

/**
 * A consistent reading of the database thread's counters, made on bite-db and handed to whoever asked.
 *
 * @param revision    the newest event's revision (protocol 3)
 * @param historySize events kept for {@code from=} replays
 * @param sessions    protocol-3 sessions of open connections
 * @param sessionsInGrace sessions whose connection closed, waiting out their grace
 * @param commandsByKind  commands applied by kind ({@code set}, {@code get}, ...), sorted by name; a copy
 */
public record DatabaseStats(int keys, int subscriptions, long commandsProcessed, long pushesSent,
                            long slowConsumerDisconnects, long revision, int historySize, int sessions,
                            int sessionsInGrace, java.util.SortedMap<String, Long> commandsByKind) {}
