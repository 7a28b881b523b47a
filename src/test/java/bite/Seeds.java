package bite;

/**
 * Seeds for generated tests: {@code -Dbite.seed=N} replays a run, otherwise each run draws a new one (and a failing
 * test prints it).
 */
public final class Seeds {

    private Seeds() {
        throw new AssertionError();
    }

    public static long seed() {
        String given = System.getProperty("bite.seed");
        return given != null && !given.isBlank() ? Long.parseLong(given.trim()) : System.nanoTime();
    }

    /** {@code s} with control characters, non-ASCII and backslashes escaped, so a failing input can be read. */
    public static String show(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            if (c == '\\' || c == '"') sb.append('\\').append((char) c);
            else if (c >= 0x20 && c < 0x7F) sb.append((char) c);
            else sb.append(c <= 0xFFFF ? String.format("\\u%04x", c) : String.format("\\U%06x", c));
        });
        return sb.append('"').toString();
    }
}
