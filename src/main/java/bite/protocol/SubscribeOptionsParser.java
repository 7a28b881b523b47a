package bite.protocol;

import bite.command.Command.SubscribeOptions;

/**
 * The options of a protocol-3 subscribe: the words after its KEY, each {@code NAME=VALUE}. Pure, bounded by the
 * line; safe on any thread.
 *
 * <ul>
 *   <li>{@code from=EPOCH:REV}: EPOCH 16 lower-case hex digits (the form the server issues), REV a decimal revision
 *       from 0 to 2^63-1, digits only;</li>
 *   <li>{@code every=MS}: a decimal integer from 1 to 60000, digits only (leading zeros allowed).</li>
 * </ul>
 * A repeated option: the last one counts. The first word that is not a valid option is the one reported.
 */
final class SubscribeOptionsParser {

    static final int MAX_EVERY_MILLIS = 60_000;
    private static final int EPOCH_DIGITS = 16;

    private SubscribeOptionsParser() {
    }

    /** The options in {@code words} (blank-separated, possibly empty), or the first invalid word as typed. */
    static Object parse(String words) {
        String epoch = null;
        long revision = 0;
        int every = 0;
        int n = words.length();
        for (int start = CommandParser.skipBlanks(words, 0); start < n; ) {
            int end = CommandParser.wordEnd(words, start);
            String word = words.substring(start, end);
            start = CommandParser.skipBlanks(words, end);
            int eq = word.indexOf('=');
            if (eq < 0) return word;
            String name = word.substring(0, eq);
            String value = word.substring(eq + 1);
            switch (name) {
                case "from" -> {
                    int colon = value.indexOf(':');
                    if (colon != EPOCH_DIGITS || !isLowerHex(value, 0, colon)) return word;
                    long rev = decimal(value, colon + 1, Long.MAX_VALUE);
                    if (rev < 0) return word;
                    epoch = value.substring(0, colon);
                    revision = rev;
                }
                case "every" -> {
                    long ms = decimal(value, 0, MAX_EVERY_MILLIS);
                    if (ms < 1) return word;
                    every = (int) ms;
                }
                default -> {
                    return word;
                }
            }
        }
        if (epoch == null && every == 0) return SubscribeOptions.NONE;
        return new SubscribeOptions(epoch, revision, every);
    }

    private static boolean isLowerHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return false;
        }
        return true;
    }

    /** The digits of {@code s} from {@code from} to its end as a number up to {@code max}; -1 when they are not. */
    private static long decimal(String s, int from, long max) {
        if (from >= s.length()) return -1;
        long n = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            int digit = c - '0';
            if (n > (max - digit) / 10) return -1; // past max (or past 2^63-1)
            n = n * 10 + digit;
        }
        return n;
    }
}
