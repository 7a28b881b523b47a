package bite.protocol;

import bite.Seeds;
import bite.command.Command;
import bite.command.Command.Kind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated lines, from a grammar of valid and invalid pieces, parsed by {@link CommandParser} and by a reference
 * written here straight from PROTOCOL.md (plus the hardening commands {@code auth}, {@code ping}, {@code info},
 * {@code quit}): both must give the same command. {@code -Dbite.seed=N} replays a run; a failure prints its seed.
 */
class CommandParserPropertyTest {

    private static final int MAX_KEY = 16; // small, so that generated keys land on both sides of the limit
    private static final int LINES = 60_000;

    @Test
    void generatedLinesParseAsTheReferenceSays() {
        long seed = Seeds.seed();
        Random random = new Random(seed);
        CommandParser parser = new CommandParser(MAX_KEY);
        int[] outcomes = new int[3]; // blank, valid, rejected: the grammar must reach all three a fair amount
        for (int i = 0; i < LINES; i++) {
            String line = line(random);
            Command expected = Reference.parse(line);
            Command actual = parser.parse(line);
            if (!java.util.Objects.equals(actual, expected)) {
                throw new AssertionError("seed " + seed + ", line " + i + ": " + Seeds.show(line) + "\n  expected: "
                        + expected + "\n  actual:   " + actual + "\n  (replay with -Dbite.seed=" + seed + ")");
            }
            outcomes[expected == null ? 0 : expected instanceof Command.Invalid ? 2 : 1]++;
        }
        for (int n : outcomes) {
            assertThat(n).as("blank, valid, rejected lines: %s (seed %d)", java.util.Arrays.toString(outcomes), seed)
                    .isGreaterThan(LINES / 200);
        }
    }

    // --- the grammar ---------------------------------------------------------------------------------------------

    private static final String[] OPS = {"s", "s?", "sl", "g", "+1", "+", "d", "k", "j", "js", "#g", "#k", "#j",
            "#-", "!", "auth", "ping", "info", "quit", "dd", "hello"};
    private static final String[] VERSIONS = {"2", "3", "4", "02", "3.0", ""};
    private static final String[] UNKNOWN_OPS = {"set", "x", "bogus", "s!", "#x", "+2", "é", "s\u0001", "#",
            "authx", "pin", "js?", "\u007f", "g\r", "ſ", "K\u0085", "ping!", "1", "😀"};
    private static final String[] SEGMENTS = {"a", "b", "player", "1984", "é", "😀", "x-y", "A", "\u0080", "ab",
            "\u00a0", "/", "\"q\"", "\\", "|", ",", "\r", "ſ"};
    private static final String[] BAD_SEGMENTS = {"", "\u0001", "\u007f", "a\u001fb", "\u0000", "\u001b["};
    private static final String[] VALUES = {"", "v", "hello world", "a\tb", "x  y", "\0", "x\0y", "é😀", "\r",
            "\u00a0", "{\"j\":[1, 2]}", "|", ",", "a|b", "007", "-1", ".", "\u0001\u007f", "😀|😀"};
    private static final String[] SEPARATORS = {"|", ",", ";", "😀", "é", "a", ".", "\0", "\u0001", "#"};

    private static String line(Random r) {
        // one line in a hundred is blank on purpose; the paths below make only about 1 in 200 blank (an empty op
        // alone), too close to the floor of 1 in 200 that the test checks for each outcome
        if (r.nextInt(100) == 0) return blanks(r, 0);
        StringBuilder sb = new StringBuilder();
        sb.append(blanks(r, 0));
        int pick = r.nextInt(20);
        String op = pick == 0 ? pickOf(r, UNKNOWN_OPS) : pick == 1 ? "" : pickOf(r, OPS);
        sb.append(randomCase(r, op));
        if (r.nextInt(12) == 0) return sb.append(blanks(r, 0)).toString(); // op alone
        sb.append(r.nextInt(15) == 0 ? "" : blanks(r, 1)); // no blank: the key runs into the op
        if (op.equalsIgnoreCase("hello") && r.nextInt(3) != 0) {
            sb.append(pickOf(r, VERSIONS));
            if (r.nextInt(3) == 0) sb.append(blanks(r, 1)).append(key(r));
        } else if (op.equalsIgnoreCase("sl") && r.nextInt(6) != 0) {
            sb.append(setManyBody(r));
        } else {
            if (r.nextInt(10) != 0) sb.append(key(r));
            if (r.nextInt(3) != 0) sb.append(blanks(r, 1)).append(value(r));
        }
        return sb.append(blanks(r, 0)).toString();
    }

    private static String setManyBody(Random r) {
        String sep = pickOf(r, SEPARATORS);
        StringBuilder sb = new StringBuilder(sep);
        int items = r.nextInt(5);
        for (int i = 0; i < items; i++) {
            if (i > 0 || r.nextBoolean()) sb.append(sep);
            switch (r.nextInt(8)) {
                case 0 -> { } // an empty item
                case 1 -> sb.append(blanks(r, 1)); // a blank one
                default -> {
                    sb.append(blanks(r, 0)).append(key(r));
                    if (r.nextBoolean()) sb.append(blanks(r, 1)).append(value(r));
                    sb.append(blanks(r, 0));
                }
            }
        }
        if (r.nextInt(5) == 0) sb.append(sep); // a trailing separator
        return sb.toString();
    }

    private static String key(Random r) {
        int segments = 1 + r.nextInt(4);
        StringBuilder sb = new StringBuilder();
        if (r.nextInt(20) == 0) sb.append('.');
        for (int i = 0; i < segments; i++) {
            if (i > 0) sb.append('.');
            int pick = r.nextInt(25);
            if (pick == 0) sb.append(pickOf(r, BAD_SEGMENTS));
            else if (pick == 1) sb.append("k".repeat(MAX_KEY - 3 + r.nextInt(6))); // around the limit
            else if (pick == 2) sb.append("é".repeat(MAX_KEY / 2 - 2 + r.nextInt(4))); // 2 bytes a char
            else sb.append(pickOf(r, SEGMENTS));
        }
        if (r.nextInt(20) == 0) sb.append('.');
        return sb.toString();
    }

    private static String value(Random r) {
        StringBuilder sb = new StringBuilder();
        int pieces = 1 + r.nextInt(3);
        for (int i = 0; i < pieces; i++) {
            if (i > 0) sb.append(blanks(r, 0));
            sb.append(pickOf(r, VALUES));
        }
        return sb.toString();
    }

    private static String blanks(Random r, int min) {
        int n = min + (r.nextInt(3) == 0 ? r.nextInt(4) : 0);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(r.nextInt(3) == 0 ? '\t' : ' ');
        return sb.toString();
    }

    private static String randomCase(Random r, String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) sb.append(r.nextBoolean() ? Character.toUpperCase(c) : c);
        return sb.toString();
    }

    private static String pickOf(Random r, String[] choices) {
        return choices[r.nextInt(choices.length)];
    }

    // --- the reference, from PROTOCOL.md ---------------------------------------------------------------------------

    /** A deliberately simple re-reading of PROTOCOL.md, built on regular expressions and {@code split}. */
    static final class Reference {

        private static final Pattern LEADING = Pattern.compile("^[ \t]+");
        private static final Pattern TRAILING = Pattern.compile("[ \t]+\\z");

        static Command parse(String line) {
            String rest = strip(line);
            if (rest.isEmpty()) return null; // empty or only spaces/tabs: no reply
            String[] opAndRest = splitWord(rest);
            String op = opAndRest[0];
            String args = opAndRest[1]; // everything after OP, blanks included
            String verb = asciiLower(op);
            if (!List.of(OPS).contains(verb)) return invalid("unknown command '" + shown(op) + "'");
            switch (verb) {
                case "sl" -> {
                    return setMany(args);
                }
                case "auth" -> {
                    String password = strip(args);
                    return password.isEmpty() ? invalid("missing password") : new Command.Auth(password);
                }
                case "hello" -> {
                    String[] words = strip(args).isEmpty() ? new String[0] : strip(args).split("[ \t]+");
                    if (words.length == 0 || !(words[0].equals("2") || words[0].equals("3"))) {
                        return invalid("unsupported protocol");
                    }
                    if (words.length > (words[0].equals("2") ? 1 : 2)) return invalid("too many arguments");
                    return new Command.Hello(Integer.parseInt(words[0]), words.length == 2 ? words[1] : null);
                }
                case "ping", "info", "quit" -> {
                    if (!strip(args).isEmpty()) return invalid("too many arguments");
                    return verb.equals("ping") ? new Command.Ping()
                            : verb.equals("info") ? new Command.Info() : new Command.Quit();
                }
                default -> {
                }
            }
            String[] keyAndValue = splitWord(stripLeading(args));
            String key = keyAndValue[0];
            String value = strip(keyAndValue[1]);
            if (key.isEmpty()) {
                return switch (verb) {
                    case "k" -> new Command.Keys(null);
                    case "j" -> new Command.Json(null, false);
                    case "js" -> new Command.Json(null, true);
                    default -> invalid("missing key");
                };
            }
            String keyError = keyError(key);
            if (keyError != null) return invalid(keyError);
            boolean takesValue = !List.of("g", "+1", "d", "dd", "k", "j", "js").contains(verb);
            if (!takesValue && !value.isEmpty()) return invalid("too many arguments");
            if (takesValue && value.contains("\0")) return invalid("invalid value");
            String optional = value.isEmpty() ? null : value;
            return switch (verb) {
                case "s" -> new Command.Set(key, value);
                case "s?" -> new Command.SetIfAbsent(key, value);
                case "g" -> new Command.Get(key);
                case "+1" -> new Command.Increment(key);
                case "+" -> new Command.Append(key, value);
                case "d" -> new Command.Delete(key);
                case "dd" -> new Command.DeleteTree(key);
                case "k" -> new Command.Keys(key);
                case "j" -> new Command.Json(key, false);
                case "js" -> new Command.Json(key, true);
                case "#g" -> new Command.Subscribe(Kind.VALUE, key, optional);
                case "#k" -> new Command.Subscribe(Kind.KEYED, key, optional);
                case "#j" -> new Command.Subscribe(Kind.JSON, key, optional);
                case "#-" -> new Command.Unsubscribe(key, optional);
                case "!" -> new Command.Notify(key, value);
                default -> throw new AssertionError(verb);
            };
        }

        /**
         * {@code sl}: the first code point of the word after {@code sl} separates the items; every piece of the rest
         * is an {@code s} line's {@code KEY VALUE}; empty or blank pieces are skipped; the first bad item answers.
         */
        private static Command setMany(String args) {
            String word = stripLeading(args);
            if (strip(word).isEmpty()) return invalid("missing key");
            String sep = new String(Character.toChars(word.codePointAt(0)));
            String body = word.substring(sep.length());
            List<Command.Set> items = new ArrayList<>();
            for (String piece : body.split(Pattern.quote(sep), -1)) {
                if (strip(piece).isEmpty()) continue;
                String[] keyAndValue = splitWord(stripLeading(piece));
                String key = keyAndValue[0];
                String value = strip(keyAndValue[1]);
                String keyError = keyError(key);
                if (keyError != null) return invalid(keyError);
                if (value.contains("\0")) return invalid("invalid value");
                items.add(new Command.Set(key, value));
            }
            return new Command.SetMany(items);
        }

        /** Key too long (UTF-8 bytes) is checked before invalid key (an empty segment, U+0000–U+001F, U+007F). */
        private static String keyError(String key) {
            if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY) return "key too long";
            for (String segment : key.split("\\.", -1)) {
                if (segment.isEmpty()) return "invalid key";
            }
            for (char c : key.toCharArray()) {
                if (c <= 0x1F || c == 0x7F) return "invalid key";
            }
            return null;
        }

        /** OP as typed, each control character (Unicode category Cc: C0, DEL, C1) shown as {@code ?}. */
        private static String shown(String op) {
            StringBuilder sb = new StringBuilder();
            for (char c : op.toCharArray()) sb.append(c <= 0x1F || (c >= 0x7F && c <= 0x9F) ? '?' : c);
            return sb.toString();
        }

        /** Lower case for A–Z only: {@code ſ} (long s) and the like must never become an operator. */
        private static String asciiLower(String s) {
            StringBuilder sb = new StringBuilder();
            for (char c : s.toCharArray()) sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
            return sb.toString();
        }

        /** {word, rest}: the word runs to the first space or tab; the rest starts there. */
        private static String[] splitWord(String s) {
            int i = 0;
            while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '\t') i++;
            return new String[] {s.substring(0, i), s.substring(i)};
        }

        private static String strip(String s) {
            return TRAILING.matcher(stripLeading(s)).replaceAll("");
        }

        private static String stripLeading(String s) {
            return LEADING.matcher(s).replaceAll("");
        }

        private static Command invalid(String reason) {
            return new Command.Invalid(reason);
        }
    }
}
