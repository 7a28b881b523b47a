package bite.bench;

/**
 * What one connection saw: its latencies and its counts of good and bad replies. Owned by one thread while it
 * runs; the tallies are {@link #add added} together when every connection is done.
 */
final class Tally {

    final Histogram latency = new Histogram();
    /** A mixed run's latency of gets and of sets apart; null in other runs. */
    Histogram getLatency;
    Histogram setLatency;
    long measured;
    long errorReplies;
    long wrongReplies;
    long misses;
    long connectionFailures;
    /** The first bad reply or failure, shown to the user; null when there was none. */
    String firstProblem;

    long errors() {
        return errorReplies + wrongReplies + connectionFailures;
    }

    void problem(String what) {
        if (firstProblem == null) {
            firstProblem = what;
        }
    }

    void add(Tally other) {
        latency.add(other.latency);
        if (other.getLatency != null) {
            if (getLatency == null) {
                getLatency = new Histogram();
                setLatency = new Histogram();
            }
            getLatency.add(other.getLatency);
            setLatency.add(other.setLatency);
        }
        measured += other.measured;
        errorReplies += other.errorReplies;
        wrongReplies += other.wrongReplies;
        misses += other.misses;
        connectionFailures += other.connectionFailures;
        problem(other.firstProblem);
    }

    /** A reply or line for a message: printable ASCII, at most 80 characters. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            b.append(c >= ' ' && c < 0x7f ? c : '?');
        }
        return s.length() > 80 ? b + "..." : b.toString();
    }
}
