package bite.protocol;

/** Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. */
public final class Utf8 {

    private Utf8() {
        throw new AssertionError();
    }

    /** True when {@code b[from, to)} is well-formed UTF-8. */
    public static boolean isValid(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int c = b[i];
            if (c >= 0) { // ASCII: the common case, one byte at a time
                i++;
                continue;
            }
            c &= 0xFF;
            if (c < 0xC2) {
                return false; // continuation byte first, or overlong 2-byte lead (C0, C1)
            } else if (c < 0xE0) {
                if (i + 1 >= to || !isCont(b[i + 1])) return false;
                i += 2;
            } else if (c < 0xF0) {
                if (i + 2 >= to) return false;
                int c1 = b[i + 1] & 0xFF;
                if (!isCont(b[i + 1]) || !isCont(b[i + 2])) return false;
                if (c == 0xE0 && c1 < 0xA0) return false; // overlong
                if (c == 0xED && c1 >= 0xA0) return false; // surrogates U+D800..U+DFFF
                i += 3;
            } else if (c < 0xF5) {
                if (i + 3 >= to) return false;
                int c1 = b[i + 1] & 0xFF;
                if (!isCont(b[i + 1]) || !isCont(b[i + 2]) || !isCont(b[i + 3])) return false;
                if (c == 0xF0 && c1 < 0x90) return false; // overlong
                if (c == 0xF4 && c1 >= 0x90) return false; // above U+10FFFF
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean isCont(byte b) {
        return (b & 0xC0) == 0x80;
    }

    /**
     * The number of bytes {@code s} takes in UTF-8: what {@code s.getBytes(UTF_8).length} would be, without the copy
     * (a surrogate pair is 4 bytes; a lone surrogate, which the JDK and the storage encoder write as {@code ?}, is 1).
     */
    public static int length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) continue;
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 2; // the pair is 4 bytes for 2 chars
                i++;
            } else if (!Character.isSurrogate(c)) {
                bytes += 2;
            }
        }
        return bytes;
    }
}
