package bite.protocol;

import bite.command.Command;
import bite.command.Command.Kind;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns one request line into a {@link Command}. Pure: no I/O, no shared state, safe on any thread.
 *
 * <pre>
 *   line  = [ws] OP [ws KEY [ws VALUE]] [ws]      ws = one or more spaces/tabs
 *   VALUE = the rest of the line after KEY, trimmed of spaces/tabs at both ends
 * </pre>
 *
 * Rejections come back as {@link Command.Invalid} carrying the reason PROTOCOL.md defines; checks run in its order:
 * unknown command, missing key, key too long, invalid key, too many arguments / invalid value.
 */
public final class CommandParser {

    /**
     * {@code auth} with nothing after it: answered even before authentication (it is no failed attempt), so the
     * connection's gate recognises it as this one instance.
     */
    public static final Command.Invalid MISSING_PASSWORD = new Command.Invalid("missing password");

    private final int maxKeyBytes;

    public CommandParser(int maxKeyBytes) {
        this.maxKeyBytes = maxKeyBytes;
    }

    /** The command on {@code line} in protocol 2, or null for a blank line (which gets no reply). */
    public Command parse(String line) {
        return parse(line, 2);
    }

    /**
     * The command on {@code line} as a connection speaking {@code protocol} (2 or 3) means it, or null for a blank
     * line. In protocol 3 the words after a subscribe's KEY are options, not a VALUE.
     */
    public Command parse(String line, int protocol) {
        int n = line.length();
        int opStart = skipBlanks(line, 0);
        if (opStart == n) return null;
        int opEnd = wordEnd(line, opStart);
        int keyStart = skipBlanks(line, opEnd);

        Verb verb = Verb.of(line, opStart, opEnd);
        if (verb == null) {
            return new Command.Invalid("unknown command '" + printable(line.substring(opStart, opEnd)) + "'");
        }
        switch (verb) {
            case SL -> {
                return parseSetMany(line, keyStart);
            }
            case AUTH -> {
                String password = restTrimmed(line, keyStart);
                return password.isEmpty() ? MISSING_PASSWORD : new Command.Auth(password);
            }
            case HELLO -> {
                return parseHello(line, keyStart);
            }
            case ONDISCONNECT -> {
                return parseOnDisconnect(line, keyStart, protocol);
            }
            case PING, INFO, QUIT -> {
                if (keyStart < n) return new Command.Invalid("too many arguments");
                return verb == Verb.PING ? new Command.Ping() : verb == Verb.INFO ? new Command.Info() : new Command.Quit();
            }
            default -> {
            }
        }

        int keyEnd = wordEnd(line, keyStart);
        String key = keyStart == keyEnd ? null : line.substring(keyStart, keyEnd);
        String value = restTrimmed(line, keyEnd);

        if (key == null) {
            return switch (verb) {
                case K -> new Command.Keys(null);
                case J -> new Command.Json(null, false);
                case JS -> new Command.Json(null, true);
                default -> new Command.Invalid("missing key");
            };
        }
        String keyError = checkKey(key);
        if (keyError != null) return new Command.Invalid(keyError);
        boolean options = protocol >= 3 && (verb == Verb.SUB_G || verb == Verb.SUB_K || verb == Verb.SUB_J);
        if (options) {
            Object parsed = SubscribeOptionsParser.parse(value);
            if (parsed instanceof String bad) return new Command.Invalid("invalid option '" + printable(bad) + "'");
            Kind kind = verb == Verb.SUB_G ? Kind.VALUE : verb == Verb.SUB_K ? Kind.KEYED : Kind.JSON;
            return new Command.Subscribe(kind, key, null, (Command.SubscribeOptions) parsed);
        }
        if (!verb.takesValue) {
            if (!value.isEmpty()) return new Command.Invalid("too many arguments");
        } else if (value.indexOf('\0') >= 0) {
            return new Command.Invalid("invalid value");
        }
        return switch (verb) {
            case S -> new Command.Set(key, value);
            case S_IF_ABSENT -> new Command.SetIfAbsent(key, value);
            case G -> new Command.Get(key);
            case INCR -> new Command.Increment(key);
            case APPEND -> new Command.Append(key, value);
            case D -> new Command.Delete(key);
            case DD -> new Command.DeleteTree(key);
            case K -> new Command.Keys(key);
            case J -> new Command.Json(key, false);
            case JS -> new Command.Json(key, true);
            case SUB_G -> new Command.Subscribe(Kind.VALUE, key, optional(value));
            case SUB_K -> new Command.Subscribe(Kind.KEYED, key, optional(value));
            case SUB_J -> new Command.Subscribe(Kind.JSON, key, optional(value));
            case UNSUB -> new Command.Unsubscribe(key, optional(value));
            case NOTIFY -> new Command.Notify(key, value);
            case SL, AUTH, HELLO, PING, INFO, QUIT, ONDISCONNECT -> throw new AssertionError("handled above");
        };
    }

    /**
     * {@code sl SEP ITEMS}: the first code point of the word after {@code sl} separates the items that follow it;
     * each item is {@code KEY VALUE}; blank items are skipped; the first invalid item rejects the whole request.
     */
    private Command parseSetMany(String line, int sepStart) {
        if (sepStart == line.length()) return new Command.Invalid("missing key");
        int sep = line.codePointAt(sepStart);
        int pos = sepStart + Character.charCount(sep);
        String separator = Character.toString(sep);
        List<Command.Set> items = new ArrayList<>();
        while (pos <= line.length()) {
            int cut = line.indexOf(separator, pos);
            if (cut < 0) cut = line.length();
            int keyStart = skipBlanks(line, pos);
            if (keyStart < cut) {
                int keyEnd = wordEnd(line, keyStart);
                if (keyEnd > cut) keyEnd = cut; // the separator may be a character that ends the key
                String key = line.substring(keyStart, keyEnd);
                String keyError = checkKey(key);
                if (keyError != null) return new Command.Invalid(keyError);
                String value = trimmed(line, keyEnd, cut);
                if (value.indexOf('\0') >= 0) return new Command.Invalid("invalid value");
                items.add(new Command.Set(key, value));
            }
            pos = cut + separator.length();
        }
        return new Command.SetMany(List.copyOf(items));
    }

    /**
     * {@code hello 2} or {@code hello 3 [SESSION]}: any other version, or none, is unsupported (checked first); a
     * version with more words than it takes has too many arguments.
     */
    private static Command parseHello(String line, int from) {
        int end = wordEnd(line, from);
        String version = line.substring(from, end);
        int next = skipBlanks(line, end);
        if (version.equals("2")) {
            return next < line.length() ? new Command.Invalid("too many arguments") : new Command.Hello(2, null);
        }
        if (!version.equals("3")) return new Command.Invalid("unsupported protocol");
        if (next == line.length()) return new Command.Hello(3, null);
        int sessionEnd = wordEnd(line, next);
        if (skipBlanks(line, sessionEnd) < line.length()) return new Command.Invalid("too many arguments");
        return new Command.Hello(3, line.substring(next, sessionEnd));
    }

    /**
     * {@code ondisconnect LINE} or {@code ondisconnect -}: LINE must be a request of {@code s}, {@code d},
     * {@code dd} or {@code !} (else, or when there is none, {@code invalid action}), and is checked as that request
     * would be: its own {@code ERR} rejects the {@code ondisconnect}.
     */
    private Command parseOnDisconnect(String line, int from, int protocol) {
        int opEnd = wordEnd(line, from);
        if (opEnd - from == 1 && line.charAt(from) == '-' && skipBlanks(line, opEnd) == line.length()) {
            return new Command.OnDisconnectClear();
        }
        Verb verb = Verb.of(line, from, opEnd);
        if (verb != Verb.S && verb != Verb.D && verb != Verb.DD && verb != Verb.NOTIFY) {
            return new Command.Invalid("invalid action");
        }
        Command action = parse(line.substring(from), protocol);
        return action instanceof Command.Invalid ? action : new Command.OnDisconnect(action);
    }

    /** Null when {@code key} is a valid key, else the reason: key too long before invalid key. */
    public String checkKey(String key) {
        // chars never outnumber UTF-8 bytes, so a long char count alone settles it
        if (key.length() > maxKeyBytes || Utf8.length(key) > maxKeyBytes) return "key too long";
        int n = key.length();
        if (key.charAt(0) == '.' || key.charAt(n - 1) == '.') return "invalid key";
        char prev = 0;
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7F || (c == '.' && prev == '.')) return "invalid key";
            prev = c;
        }
        return null;
    }

    private static String optional(String value) {
        return value.isEmpty() ? null : value;
    }

    static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    static int skipBlanks(String s, int i) {
        while (i < s.length() && isBlank(s.charAt(i))) i++;
        return i;
    }

    static int wordEnd(String s, int i) {
        while (i < s.length() && !isBlank(s.charAt(i))) i++;
        return i;
    }

    private static String restTrimmed(String s, int from) {
        return trimmed(s, from, s.length());
    }

    private static String trimmed(String s, int from, int to) {
        while (from < to && isBlank(s.charAt(from))) from++;
        while (to > from && isBlank(s.charAt(to - 1))) to--;
        return s.substring(from, to);
    }

    /** The operator as typed, each control character shown as {@code ?} so replies stay one clean line. */
    static String printable(String op) {
        StringBuilder sb = null;
        for (int i = 0; i < op.length(); i++) {
            if (Character.isISOControl(op.charAt(i))) {
                if (sb == null) sb = new StringBuilder(op);
                sb.setCharAt(i, '?');
            }
        }
        return sb == null ? op : sb.toString();
    }

    /** The operators, matched case-insensitively (ASCII only: no locale may turn another letter into one). */
    private enum Verb {
        S("s", true), S_IF_ABSENT("s?", true), SL("sl", true), G("g", false), INCR("+1", false),
        APPEND("+", true), D("d", false), DD("dd", false), K("k", false), J("j", false), JS("js", false),
        SUB_G("#g", true), SUB_K("#k", true), SUB_J("#j", true), UNSUB("#-", true), NOTIFY("!", true),
        AUTH("auth", true), HELLO("hello", true), PING("ping", false), INFO("info", false), QUIT("quit", false),
        ONDISCONNECT("ondisconnect", true);

        final String word;
        final boolean takesValue;

        Verb(String word, boolean takesValue) {
            this.word = word;
            this.takesValue = takesValue;
        }

        private static final Verb[] ALL = values(); // values() copies the array on every call

        /** The verb spelled by {@code line[from, to)}, ignoring ASCII case; null when there is none. */
        static Verb of(String line, int from, int to) {
            int n = to - from;
            if (n > 12) return null;
            for (Verb v : ALL) {
                if (v.word.length() == n && matches(v.word, line, from)) return v;
            }
            return null;
        }

        private static boolean matches(String lower, String line, int from) {
            for (int i = 0; i < lower.length(); i++) {
                char c = line.charAt(from + i);
                if (c >= 'A' && c <= 'Z') c = (char) (c + ('a' - 'A'));
                if (c != lower.charAt(i)) return false;
            }
            return true;
        }
    }
}
