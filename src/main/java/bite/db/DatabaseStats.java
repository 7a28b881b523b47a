package bite.db;

/** A consistent reading of the database thread's counters. */
public record DatabaseStats(int keys, int subscriptions, long commandsProcessed, long pushesSent,
                            long slowConsumerDisconnects) {}
