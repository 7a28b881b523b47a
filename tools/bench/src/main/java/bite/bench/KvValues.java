package bite.bench;

import java.nio.charset.StandardCharsets;

/**
 * The values the request/response load stores and the replies it expects: a key's value is {@code size} letters and
 * digits that depend on the key, so that every {@code get} reply is checked against the exact value. Pure functions,
 * called on every client's thread.
 */
final class KvValues {

    private static final byte[] ALPHANUMERIC =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".getBytes(StandardCharsets.US_ASCII);

    private KvValues() {
    }

    /** The value this tool stores under key number {@code key}: {@code size} letters and digits. */
    static void append(LineConnection c, long key, int size) {
        for (int i = 0; i < size; i++) {
            c.write(valueByte(key, i));
        }
    }

    /** True when {@code buf[start, start + length)} is the value of key number {@code key}. */
    static boolean isValue(byte[] buf, int start, int length, long key, int size) {
        if (length != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (buf[start + i] != valueByte(key, i)) {
                return false;
            }
        }
        return true;
    }

    private static byte valueByte(long key, int i) {
        long h = key * 0x9E3779B97F4A7C15L + (i + 1) * 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return ALPHANUMERIC[(int) Long.remainderUnsigned(h, ALPHANUMERIC.length)];
    }

    /** An {@code incr} reply: a whole number of at least 1. */
    static boolean isPositiveInteger(byte[] buf, int start, int length) {
        if (length == 0 || length > 19) {
            return false;
        }
        long v = 0;
        for (int i = start; i < start + length; i++) {
            byte b = buf[i];
            if (b < '0' || b > '9') {
                return false;
            }
            v = v * 10 + (b - '0');
        }
        return v >= 1;
    }
}
