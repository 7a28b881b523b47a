package bite.access;

/**
 * What a user or role name may be: one key segment that is also one word of a request line, so that {@code $user}
 * in a rule can stand for exactly one segment of a key. Pure; safe on any thread.
 */
public final class Names {

    /** Longest name, in chars (so also at most 4 times as many UTF-8 bytes: well inside a key's limit). */
    public static final int MAX_CHARS = 128;

    private Names() {
    }

    /** Null when {@code name} is a valid name, else why not (for an operator's error message). */
    public static String check(String name) {
        if (name == null || name.isEmpty()) return "empty name";
        if (name.length() > MAX_CHARS) return "name longer than " + MAX_CHARS + " characters";
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.') return "name contains a dot";
            if (c < 0x20 || c == 0x7F) return "name contains a control character";
            if (c == ' ') return "name contains a space";
        }
        return null;
    }

    public static boolean isValid(String name) {
        return check(name) == null;
    }
}
