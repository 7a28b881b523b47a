package bite.net;

/**
 * How long a connection's reader waits for the client's next bytes before it closes the connection, from two
 * options: {@code --idle-timeout} (any connection but a subscriber's; 0: never) and {@code --session-timeout}
 * (protocol-3 connections, subscribers too: a protocol-3 client sends {@code ping} when it has nothing else to
 * send, so silence means the connection is gone; 0: never). The shorter applicable one counts. A value; used on the
 * reader's thread.
 *
 * @param idleMillis    {@code --idle-timeout} in milliseconds
 * @param sessionMillis {@code --session-timeout} in milliseconds
 */
record SilenceLimits(int idleMillis, int sessionMillis) {

    static SilenceLimits of(java.time.Duration idle, java.time.Duration session) {
        return new SilenceLimits(millis(idle), millis(session));
    }

    /** The read timeout for a connection speaking {@code protocol}; 0 waits for ever. */
    int timeoutMillis(int protocol, boolean subscribed) {
        int idle = subscribed ? 0 : idleMillis;
        int session = protocol == 3 ? sessionMillis : 0;
        if (idle == 0) return session;
        if (session == 0) return idle;
        return Math.min(idle, session);
    }

    /**
     * How long the next read may wait: what is left of the silence limit {@code silenceMillis} (0: none) after
     * {@code silentForMillis} without input (at least 1 ms, so that a limit already reached times out at once), and,
     * for a reader that may park, no longer than {@link IdleReaders#PARK_AFTER_MILLIS}. 0 waits for ever.
     */
    static int readTimeoutMillis(int silenceMillis, long silentForMillis, boolean parkable) {
        int left = silenceMillis == 0 ? 0 : (int) Math.max(1, silenceMillis - silentForMillis);
        if (!parkable) return left;
        return left == 0 ? IdleReaders.PARK_AFTER_MILLIS : Math.min(left, IdleReaders.PARK_AFTER_MILLIS);
    }

    /** Which option closed a connection whose read timed out after {@code timeoutMillis}, for the log. */
    String reason(int protocol, boolean subscribed) {
        int t = timeoutMillis(protocol, subscribed);
        return protocol == 3 && t == sessionMillis ? "silent for " + t + " ms (--session-timeout)"
                : "idle for " + t + " ms";
    }

    private static int millis(java.time.Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d == null ? 0 : d.toMillis());
    }
}
