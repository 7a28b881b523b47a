package bite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A password kept in a file (a Docker or Kubernetes secret): the server's {@code --password-file} and
 * {@code bite cli}'s read it the same way. Stateless; used on the main thread while options are read.
 */
public final class PasswordFile {

    /** Longer than any sane password: a mistaken path to a big file fails at once. */
    private static final long MAX_BYTES = 4096;

    private PasswordFile() {
        throw new AssertionError();
    }

    /**
     * The file's text without its final line break ({@code echo secret > file} writes one). Throws
     * {@link IllegalArgumentException} with a short reason (never the file's content) when it cannot be read or is
     * not one non-blank line.
     */
    public static String read(Path file) {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) throw new IllegalArgumentException("longer than " + MAX_BYTES + " bytes");
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read it: " + e.getClass().getSimpleName());
        }
        if (text.endsWith("\n")) text = text.substring(0, text.length() - 1);
        if (text.endsWith("\r")) text = text.substring(0, text.length() - 1);
        if (text.isBlank()) throw new IllegalArgumentException("empty password");
        if (text.indexOf('\n') >= 0) throw new IllegalArgumentException("expected the password on one line");
        return text;
    }
}
