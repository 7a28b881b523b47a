package bite.access;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The users file ({@code --users FILE}): one user per line, {@code NAME ROLE HASH}, words separated by spaces or
 * tabs, HASH as {@link PasswordHash} writes it; {@code #} starts a comment line, blank lines are ignored. Immutable
 * once loaded: read on main at start, then used by every connection's reader.
 */
public final class Users {

    /** A user of the file. */
    public record User(String name, String role, PasswordHash hash) {}

    private final Map<String, User> byName;
    /** Hashed against when the name is unknown, so that an unknown name costs what a known one does. */
    private final PasswordHash dummy;

    private Users(Map<String, User> byName) {
        this.byName = Map.copyOf(byName);
        int iterations = PasswordHash.MIN_ITERATIONS;
        for (User u : byName.values()) iterations = Math.max(iterations, u.hash().iterations());
        // random salt and hash: no password matches it, and hashing against it costs what a real user's does
        SecureRandom random = new SecureRandom();
        byte[] salt = new byte[PasswordHash.SALT_BYTES];
        byte[] hash = new byte[PasswordHash.HASH_BYTES];
        random.nextBytes(salt);
        random.nextBytes(hash);
        this.dummy = new PasswordHash(iterations, salt, hash);
    }

    /** The users of {@code file}. */
    public static Users load(Path file) throws AccessFileException {
        return parse(AccessFiles.readLines(file), file.toString());
    }

    /** The users of {@code lines}; {@code source} names them in error messages. */
    public static Users parse(List<String> lines, String source) throws AccessFileException {
        Map<String, User> byName = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (AccessFiles.isBlankOrComment(line)) continue;
            int lineNumber = i + 1;
            List<String> words = AccessFiles.words(line);
            if (words.size() != 3) {
                throw new AccessFileException(source, lineNumber, "expected NAME ROLE HASH, found " + words.size()
                        + (words.size() == 1 ? " word" : " words"));
            }
            String name = words.get(0);
            String role = words.get(1);
            String why = Names.check(name);
            if (why != null) throw new AccessFileException(source, lineNumber, "invalid user name: " + why);
            why = Names.check(role);
            if (why != null) throw new AccessFileException(source, lineNumber, "invalid role: " + why);
            PasswordHash hash;
            try {
                hash = PasswordHash.parse(words.get(2));
            } catch (IllegalArgumentException e) {
                throw new AccessFileException(source, lineNumber, e.getMessage());
            }
            if (byName.putIfAbsent(name, new User(name, role, hash)) != null) {
                throw new AccessFileException(source, lineNumber, "user '" + name + "' appears twice");
            }
        }
        return new Users(byName);
    }

    /**
     * The role of {@code name} when {@code password} is theirs, else null. Costs one hash whether or not the name
     * exists; the hash comparison is constant-time. Runs on the calling connection's reader.
     */
    public String authenticate(String name, char[] password) {
        User user = name == null ? null : byName.get(name);
        boolean matches = (user == null ? dummy : user.hash()).matches(password);
        return user != null && matches ? user.role() : null;
    }

    public int size() {
        return byName.size();
    }

    /** The user called {@code name}, or null. */
    public User user(String name) {
        return byName.get(name);
    }
}
