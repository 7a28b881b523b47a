package bite.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the game sends and reads, in Bite's protocol 3 and in Redis's RESP. A position update of player I of room R
 * is key {@code room.R.players.I.pos} with value {@code SEQ_TS_pad}: SEQ the player's write number (1, 2, ...), TS
 * the writer's clock in nanoseconds (from the run's base), padded with {@code x} to the value size. Bite pushes it to
 * the room's {@code #k} subscribers as {@code >k room.R REV players.I.pos SEQ_TS_pad}; on Redis the writer sends
 * {@code SET} of the key and {@code PUBLISH room.R "players.I.pos SEQ_TS_pad"} (the same text as Bite's payload).
 * Encodes into one reusable buffer: owned by the game's loop thread.
 */
final class GameWire {

    /** One parsed update: which player's key, its write number and its write time. Reused. */
    static final class Update {
        int player;
        long seq;
        long ts;
    }

    private final int valueSize;
    private byte[] buf = new byte[512];
    private int len;

    GameWire(int valueSize) {
        this.valueSize = valueSize;
    }

    byte[] buffer() {
        return buf;
    }

    int length() {
        return len;
    }

    /** Bite: {@code hello 3} and the room's subscription (after {@code auth} when there is a password). */
    void biteSetup(String password, int room, int everyMs) {
        len = 0;
        if (password != null) {
            bytes(LineConnection.authLine(password));
        }
        ascii("hello 3\n#k room.").decimal(room).ascii(everyMs > 0 ? " every=" : "");
        if (everyMs > 0) {
            decimal(everyMs);
        }
        ascii("\n");
    }

    /** Bite: {@code s room.R.players.I.pos SEQ_TS_pad}. */
    void biteWrite(int room, int player, long seq, long ts) {
        len = 0;
        ascii("s room.").decimal(room).ascii(".players.").decimal(player).ascii(".pos ");
        value(seq, ts);
        ascii("\n");
    }

    /** Redis: {@code SUBSCRIBE room.R} as RESP. */
    void redisSubscribe(int room) {
        len = 0;
        String channel = "room." + room;
        ascii("*2\r\n$9\r\nSUBSCRIBE\r\n");
        bulk(channel);
    }

    /** Redis: {@code SET room.R.players.I.pos SEQ_TS_pad} and {@code PUBLISH room.R "players.I.pos SEQ_TS_pad"}. */
    void redisWrite(int room, int player, long seq, long ts) {
        len = 0;
        String channel = "room." + room;
        String relative = "players." + player + ".pos";
        String value = valueText(seq, ts);
        ascii("*3\r\n$3\r\nSET\r\n");
        bulk(channel + "." + relative);
        bulk(value);
        ascii("*3\r\n$7\r\nPUBLISH\r\n");
        bulk(channel);
        bulk(relative + " " + value);
    }

    /** Parses {@code players.I.pos SEQ_TS...} at {@code start}; false when the text is not that. */
    static boolean parseUpdate(byte[] b, int start, int end, Update u) {
        int i = expect(b, start, end, "players.");
        long player = -1;
        if (i >= 0) {
            player = digits(b, i, end);
            i = player < 0 ? -1 : expect(b, skipDigits(b, i, end), end, ".pos ");
        }
        if (i < 0 || player > Integer.MAX_VALUE) {
            return false;
        }
        long seq = digits(b, i, end);
        int j = skipDigits(b, i, end);
        if (seq < 0 || j >= end || b[j] != '_') {
            return false;
        }
        long ts = digits(b, j + 1, end);
        int k = skipDigits(b, j + 1, end);
        if (ts < 0 || k >= end || b[k] != '_') {
            return false;
        }
        u.player = (int) player;
        u.seq = seq;
        u.ts = ts;
        return true;
    }

    /** Bite: the update a push {@code >k SUBKEY REV players.I.pos SEQ_TS...} carries; false for anything else. */
    static boolean parseBitePush(byte[] b, int start, int length, Update u) {
        int end = start + length;
        if (length < 3 || b[start] != '>' || b[start + 1] != 'k' || b[start + 2] != ' ') {
            return false;
        }
        int i = start + 3;
        for (int spaces = 0; spaces < 2; spaces++) { // past SUBKEY and REV
            while (i < end && b[i] != ' ') {
                i++;
            }
            i++;
        }
        return i < end && parseUpdate(b, i, end, u);
    }

    private void value(long seq, long ts) {
        int before = len;
        decimal(seq).ascii("_").decimal(ts).ascii("_");
        while (len - before < valueSize) {
            ascii("x");
        }
    }

    private String valueText(long seq, long ts) {
        int before = len;
        value(seq, ts);
        String s = new String(buf, before, len - before, StandardCharsets.US_ASCII);
        len = before;
        return s;
    }

    private void bulk(String s) {
        ascii("$").decimal(s.length()).ascii("\r\n").ascii(s).ascii("\r\n");
    }

    private GameWire bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    private GameWire ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
        return this;
    }

    private GameWire decimal(long v) {
        return ascii(Long.toString(v));
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    private static int expect(byte[] b, int i, int end, String text) {
        if (i < 0 || end - i < text.length()) {
            return -1;
        }
        for (int k = 0; k < text.length(); k++) {
            if (b[i + k] != text.charAt(k)) {
                return -1;
            }
        }
        return i + text.length();
    }

    /** The decimal number at {@code i} (at most 18 digits), or -1 when there is none. */
    private static long digits(byte[] b, int i, int end) {
        long v = 0;
        int k = i;
        while (k < end && k - i < 18 && b[k] >= '0' && b[k] <= '9') {
            v = v * 10 + (b[k++] - '0');
        }
        return k == i ? -1 : v;
    }

    private static int skipDigits(byte[] b, int i, int end) {
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i;
    }
}
