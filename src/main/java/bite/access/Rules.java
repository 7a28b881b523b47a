package bite.access;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules file ({@code --rules FILE}), compiled: for each role, a trie over key segments whose children are
 * literals (a hash map), {@code *} and {@code $user}, and whose nodes carry the permissions granted to every key
 * at or below them. A check walks the key's segments once down the trie, so its cost grows with the key's depth
 * and the number of wildcard branches, never with the number of keys, and a literal costs one hash lookup however
 * many rules there are.
 *
 * <p>Immutable once built (on main, at start); {@link #allowed} is then called from any thread.
 *
 * <pre>
 *   line    = ROLE PERMS PATTERN         words separated by spaces or tabs; # comment lines, blank lines ignored
 *   PERMS   = one or more of r w n
 *   PATTERN = ** | SEGMENT ( . SEGMENT )*
 *   SEGMENT = a literal | * (any one segment) | $user (the user's own name)
 * </pre>
 */
public final class Rules {

    /** A longer pattern could match no key of the default limits: refuse it as a mistake. */
    static final int MAX_PATTERN_CHARS = 1024;
    private static final String USER = "$user";

    /** One trie node: what it grants (to the keys it matched and their descendants), and where to go next. */
    private static final class Node {
        /** Permissions granted here, as {@link Permission#bit()}s. */
        int grant;
        /** Permissions granted here or anywhere below: a branch without the permission wanted is not walked. */
        int below;
        Map<String, Node> literals;
        Node star;
        Node self;

        Node literal(String segment) {
            if (literals == null) literals = new HashMap<>();
            return literals.computeIfAbsent(segment, s -> new Node());
        }
    }

    private static final Rules ALLOW_ALL = new Rules(null);

    /** Null: every role may do everything (no {@code --rules}). */
    private final Map<String, Node> byRole;

    private Rules(Map<String, Node> byRole) {
        this.byRole = byRole == null ? null : Map.copyOf(byRole);
    }

    /** What a server without {@code --rules} has: every user and token holder may do everything. */
    public static Rules allowAll() {
        return ALLOW_ALL;
    }

    /** The rules of {@code file}. */
    public static Rules load(Path file) throws AccessFileException {
        return parse(AccessFiles.readLines(file), file.toString());
    }

    /** The rules of {@code lines}; {@code source} names them in error messages. */
    public static Rules parse(List<String> lines, String source) throws AccessFileException {
        Map<String, Node> byRole = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (AccessFiles.isBlankOrComment(line)) continue;
            String why = add(byRole, AccessFiles.words(line));
            if (why != null) throw new AccessFileException(source, i + 1, why);
        }
        byRole.values().forEach(Rules::computeBelow);
        return new Rules(byRole);
    }

    /** Adds the rule of {@code words} to its role's trie; null when done, else why the line is wrong. */
    private static String add(Map<String, Node> byRole, List<String> words) {
        if (words.size() != 3) {
            return "expected ROLE PERMS PATTERN, found " + words.size() + (words.size() == 1 ? " word" : " words");
        }
        String role = words.get(0);
        String why = Names.check(role);
        if (why != null) return "invalid role: " + why;
        int grant = 0;
        for (char c : words.get(1).toCharArray()) {
            Permission p = Permission.of(c);
            if (p == null) return "unknown permission '" + printable(c) + "' (PERMS is one or more of r, w, n)";
            grant |= p.bit();
        }
        String pattern = words.get(2);
        if (pattern.length() > MAX_PATTERN_CHARS) return "pattern longer than " + MAX_PATTERN_CHARS + " characters";
        why = checkPattern(pattern);
        if (why != null) return why;
        Node node = byRole.computeIfAbsent(role, r -> new Node());
        if (!pattern.equals("**")) {
            for (String segment : pattern.split("\\.", -1)) {
                node = switch (segment) {
                    case "*" -> node.star == null ? node.star = new Node() : node.star;
                    case USER -> node.self == null ? node.self = new Node() : node.self;
                    default -> node.literal(segment);
                };
            }
        }
        node.grant |= grant;
        return null;
    }

    /** Null when {@code pattern} is one, else why not. */
    private static String checkPattern(String pattern) {
        if (pattern.equals("**")) return null;
        for (String segment : pattern.split("\\.", -1)) {
            if (segment.isEmpty()) return "empty segment in pattern '" + pattern + "'";
            if (segment.equals("**")) return "'**' is allowed only as the whole pattern";
            if (segment.indexOf('*') >= 0 && !segment.equals("*")) return "'*' must be a whole segment";
            if (segment.startsWith("$") && !segment.equals(USER)) {
                return "unknown variable '" + segment + "' (only $user is known)";
            }
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                if (c < 0x20 || c == 0x7F) return "control character in pattern";
            }
        }
        return null;
    }

    private static int computeBelow(Node node) {
        int below = node.grant;
        if (node.literals != null) {
            for (Node child : node.literals.values()) below |= computeBelow(child);
        }
        if (node.star != null) below |= computeBelow(node.star);
        if (node.self != null) below |= computeBelow(node.self);
        node.below = below;
        return below;
    }

    /**
     * May a user named {@code user} with {@code role} use {@code permission} on {@code key}? {@code key} is a valid
     * key (as the parser checked it), or null for the whole database, which only {@code **} covers. A key needs
     * a rule on itself or on one of its ancestors: rules are not filters, so a rule on {@code room.7} does not let
     * anyone read {@code room}. {@code $user} matches one segment equal to {@code user}; since a segment holds no
     * dot, a name with a dot (or an empty name) matches nothing, and a name such as {@code *} only its own
     * segment.
     */
    public boolean allowed(String role, String user, Permission permission, String key) {
        if (byRole == null) return true;
        Node root = byRole.get(role);
        if (root == null) return false;
        int bit = permission.bit();
        if (key == null) return (root.grant & bit) != 0;
        return matches(root, key, 0, user, bit);
    }

    /** Does {@code node}, or a node reached from it by the segments of {@code key} from {@code from}, grant it? */
    private static boolean matches(Node node, String key, int from, String user, int bit) {
        if ((node.grant & bit) != 0) return true;
        if ((node.below & bit) == 0 || from > key.length()) return false;
        int dot = key.indexOf('.', from);
        if (dot < 0) dot = key.length();
        if (node.literals != null) {
            Node next = node.literals.get(key.substring(from, dot));
            if (next != null && matches(next, key, dot + 1, user, bit)) return true;
        }
        if (node.star != null && matches(node.star, key, dot + 1, user, bit)) return true;
        return node.self != null && user != null && dot - from == user.length()
                && key.startsWith(user, from) && matches(node.self, key, dot + 1, user, bit);
    }

    /** The roles that have at least one rule; empty when every role may do everything. */
    public Set<String> roles() {
        return byRole == null ? Set.of() : byRole.keySet();
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7F ? "?" : String.valueOf(c);
    }
}
