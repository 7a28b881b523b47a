package bite.protocol;

/**
 * JSON strings exactly as PROTOCOL.md spells them: {@code "} and {@code \} escaped, {@code \b \f \n \r \t} by name,
 * other U+0000..U+001F as a six-character escape (backslash, u, 00, two lower-case hex digits), everything else (non-ASCII, {@code /}, U+007F) as itself.
 */
public final class Json {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {
        throw new AssertionError();
    }

    public static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        int n = s.length();
        int plain = 0; // start of the run of characters that need no escape
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') continue;
            out.append(s, plain, i);
            plain = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        out.append(s, plain, n);
        return out.append('"');
    }

    public static String quote(String s) {
        return quote(new StringBuilder(s.length() + 2), s).toString();
    }
}
