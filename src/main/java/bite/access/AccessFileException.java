package bite.access;

/**
 * A users or rules file that cannot be used, with the file and (when it is about one line) the line number in the
 * message: {@code rules.txt line 4: unknown permission 'x'}. The server stops at start with this message.
 */
public final class AccessFileException extends Exception {

    private final int line;

    /** An error about line {@code line} (1-based) of {@code source}. */
    public AccessFileException(String source, int line, String why) {
        super(source + " line " + line + ": " + why);
        this.line = line;
    }

    /** An error about the whole file (missing, unreadable, too large). */
    public AccessFileException(String source, String why, Throwable cause) {
        super(source + ": " + why, cause);
        this.line = 0;
    }

    /** The 1-based line number, or 0 when the error is about the whole file. */
    public int line() {
        return line;
    }
}
