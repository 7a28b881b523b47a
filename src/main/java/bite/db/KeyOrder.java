package bite.db;

import java.util.Comparator;

/**
 * The order of PROTOCOL.md: keys compare segment by segment, each segment by its UTF-8 bytes (unsigned), and a key
 * sorts before its descendants ({@code a}, {@code a.b}, {@code a.b.c}, {@code a.c}, {@code a-b}, {@code b}).
 *
 * <p>Comparing whole keys code point by code point, with {@code .} ranked below every other character, gives exactly
 * that order (keys hold no control characters, so nothing else can rank that low). Code point order is UTF-8 byte
 * order; Java strings are UTF-16, so surrogates are shifted above U+E000..U+FFFF before comparing.
 */
final class KeyOrder implements Comparator<String> {

    static final KeyOrder INSTANCE = new KeyOrder();

    private KeyOrder() {
    }

    @Override
    public int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) return rank(x) - rank(y);
        }
        return a.length() - b.length();
    }

    private static int rank(char c) {
        if (c == '.') return -1;
        if (c >= 0xD800) return c >= 0xE000 ? c - 0x800 : c + 0x2000;
        return c;
    }

    /** True when {@code key} is {@code ancestor} or lies below it on a dot boundary. */
    static boolean isSelfOrDescendant(String key, String ancestor) {
        return key.startsWith(ancestor)
                && (key.length() == ancestor.length() || key.charAt(ancestor.length()) == '.');
    }
}
