package bite.db;

import bite.Seeds;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random command sequences ({@code s s? sl g +1 + d k j js !}) through {@link Database#apply}, against a model: a
 * {@link TreeMap} ordered by a comparator written here from PROTOCOL.md's ordering rule, with replies, listings,
 * JSON and the pushes to a few subscriptions worked out from PROTOCOL.md. {@code -Dbite.seed=N} replays a run.
 */
class KeyspaceModelTest {

    private static final int SEQUENCES = 120;
    private static final int COMMANDS = 250;
    private static final int MAX_VALUE = 40; // small, so that + and long values reach the limit

    /** Segments chosen for the order: {@code a!} and {@code a-b} sort after {@code a.*}; U+FFFD before 😀. */
    private static final String[] SEGMENTS = {"a", "a", "b", "ab", "a-b", "a!", "A", "é", "😀", "\uFFFD", "0", "x\"y"};
    private static final String[] VALUES = {"", "1", "007", "-0", "-1", "9223372036854775806", "9223372036854775807",
            "-9223372036854775808", "99999999999999999999", "+5", "1.0", "x", "hello world", "a\"b\\c", "tab\there",
            "\u0001\u001f", "\u007f", "é😀", "{}", "a  b", "/", "\r", "\b\f"};

    /** The subscriptions the watcher holds: key and kind ({@code g}, {@code k}, {@code j}). */
    private static final String[][] SUBSCRIPTIONS = {{"a", "k"}, {"a", "j"}, {"b", "g"}, {"a.b", "j"}, {"😀", "k"}};

    @Test
    void randomSequencesMatchTheModel() {
        long seed = Seeds.seed();
        Random random = new Random(seed);
        int[] nonTrivial = new int[3]; // overflow, value too long, listings with several entries
        for (int s = 0; s < SEQUENCES; s++) {
            DatabaseHarness h = new DatabaseHarness(Map.of(), MAX_VALUE);
            Model model = new Model();
            RecordingClient writer = new RecordingClient("writer");
            RecordingClient watcher = new RecordingClient("watcher");
            for (String[] sub : SUBSCRIPTIONS) h.send(watcher, "#" + sub[1] + " " + sub[0]);
            List<String> history = new ArrayList<>();
            for (int c = 0; c < COMMANDS; c++) {
                String line = command(random);
                history.add(line);
                String expected = model.apply(line);
                List<String> got = h.send(writer, line);
                int sequence = s;
                int command = c;
                java.util.function.Supplier<String> where = () -> "seed " + seed + ", sequence " + sequence
                        + ", command " + command + ": " + Seeds.show(line) + "\n  after "
                        + history.stream().map(Seeds::show).toList() + "\n  (replay with -Dbite.seed=" + seed + ")";
                assertThat(got).as(where).containsExactly("reply " + expected);
                assertThat(sorted(watcher.take())).as(where).isEqualTo(sorted(model.takePushes()));
                if (expected.startsWith("ERR increment")) nonTrivial[0]++;
                if (expected.equals("ERR value too long")) nonTrivial[1]++;
                if (expected.indexOf('\0') >= 0) nonTrivial[2]++;
            }
            assertThat(List.copyOf(h.db.keyspace().view().entrySet())).as("the keyspace in order (seed %d)", seed)
                    .isEqualTo(List.copyOf(model.data.entrySet()));
        }
        for (int n : nonTrivial) {
            assertThat(n).as("overflows, values too long, listings: %s (seed %d)", Arrays.toString(nonTrivial), seed)
                    .isGreaterThan(10);
        }
    }

    private static List<String> sorted(List<String> pushes) {
        return pushes.stream().sorted().toList(); // one change's pushes to several subscriptions come in any order
    }

    // --- generation ----------------------------------------------------------------------------------------------

    private static String command(Random r) {
        int pick = r.nextInt(100);
        if (pick < 20) return "s " + key(r) + " " + value(r);
        if (pick < 28) return "s? " + key(r) + " " + value(r);
        if (pick < 34) {
            StringBuilder sb = new StringBuilder("sl |");
            int items = r.nextInt(4);
            for (int i = 0; i < items; i++) sb.append(i == 0 ? "" : "|").append(' ').append(key(r)).append(' ').append(value(r));
            return sb.toString();
        }
        if (pick < 46) return "g " + key(r);
        if (pick < 56) return "+1 " + key(r);
        if (pick < 64) return "+ " + key(r) + " " + value(r);
        if (pick < 74) return "d " + key(r);
        if (pick < 82) return r.nextInt(4) == 0 ? "k" : "k " + key(r);
        if (pick < 90) return r.nextInt(4) == 0 ? "j" : "j " + key(r);
        if (pick < 96) return r.nextInt(4) == 0 ? "js" : "js " + key(r);
        return "! " + key(r) + " " + value(r);
    }

    private static String key(Random r) {
        int depth = 1 + r.nextInt(3);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < depth; i++) sb.append(i == 0 ? "" : ".").append(SEGMENTS[r.nextInt(i == 0 ? 4 : SEGMENTS.length)]);
        return sb.toString();
    }

    private static String value(Random r) {
        String v = VALUES[r.nextInt(VALUES.length)];
        if (r.nextInt(6) == 0) v += "é".repeat(r.nextInt(MAX_VALUE / 2 + 2)); // 2 bytes a char: near the limit
        if (r.nextInt(5) == 0) v = " \t" + v + "\t "; // blanks around a value are not part of it
        return v;
    }

    // --- the model ------------------------------------------------------------------------------------------------

    /** PROTOCOL.md's order: segment by segment, each segment by its UTF-8 bytes, a key before its descendants. */
    static final Comparator<String> SPEC_ORDER = (a, b) -> {
        String[] x = a.split("\\.", -1);
        String[] y = b.split("\\.", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = compareSegments(x[i], y[i]);
            if (c != 0) return c;
        }
        return Integer.compare(x.length, y.length);
    };

    static int compareSegments(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** The database as PROTOCOL.md describes it, with no cleverness: a sorted map and string building. */
    static final class Model {
        final TreeMap<String, String> data = new TreeMap<>(SPEC_ORDER);
        private final List<String> pushes = new ArrayList<>();

        /** Applies one request line (valid by construction) and returns its reply line. */
        String apply(String line) {
            String[] w = line.split(" ", 3);
            String op = w[0];
            String key = w.length > 1 ? w[1] : null;
            String value = w.length > 2 ? strip(w[2]) : "";
            switch (op) {
                case "s" -> {
                    if (tooLong(value)) return "ERR value too long";
                    set(key, value);
                    return "OK";
                }
                case "s?" -> {
                    if (tooLong(value)) return "ERR value too long";
                    if (data.containsKey(key)) return "NO";
                    set(key, value);
                    return "OK";
                }
                case "sl" -> {
                    List<String[]> items = new ArrayList<>();
                    for (String item : line.substring("sl |".length()).split("\\|")) {
                        if (item.isBlank()) continue;
                        String[] kv = strip(item).split(" ", 2);
                        items.add(new String[] {kv[0], kv.length > 1 ? strip(kv[1]) : ""});
                    }
                    for (String[] item : items) if (tooLong(item[1])) return "ERR value too long";
                    for (String[] item : items) set(item[0], item[1]);
                    return "OK";
                }
                case "g" -> {
                    return data.getOrDefault(key, "");
                }
                case "+1" -> {
                    String old = data.get(key);
                    long n;
                    if (old == null) {
                        n = 0;
                    } else if (!old.matches("-?[0-9]+")) {
                        return "ERR value is not an integer";
                    } else {
                        try {
                            n = Long.parseLong(old);
                        } catch (NumberFormatException e) {
                            return "ERR value is not an integer"; // does not fit in 64 bits
                        }
                        if (n == Long.MAX_VALUE) return "ERR increment would overflow";
                    }
                    set(key, String.valueOf(n + 1));
                    return String.valueOf(n + 1);
                }
                case "+" -> {
                    String updated = data.getOrDefault(key, "") + value;
                    if (tooLong(updated)) return "ERR value too long";
                    set(key, updated);
                    return "OK";
                }
                case "d" -> {
                    if (data.remove(key) != null) notify(key, null);
                    return "OK";
                }
                case "k" -> {
                    List<String> listed = new ArrayList<>();
                    for (Map.Entry<String, String> e : data.entrySet()) {
                        if (key == null) listed.add(e.getKey() + " " + e.getValue());
                        else if (e.getKey().startsWith(key + ".")) {
                            listed.add(e.getKey().substring(key.length() + 1) + " " + e.getValue());
                        }
                    }
                    return String.join("\0", listed);
                }
                case "j" -> {
                    return json(key);
                }
                case "js" -> {
                    String inner = json(key);
                    return key == null || inner.equals("{}") ? inner : nest(key, inner);
                }
                case "!" -> {
                    notify(key, value);
                    return "OK";
                }
                default -> throw new AssertionError(op);
            }
        }

        List<String> takePushes() {
            List<String> taken = List.copyOf(pushes);
            pushes.clear();
            return taken;
        }

        private void set(String key, String value) {
            data.put(key, value);
            notify(key, value);
        }

        /** A change of {@code key}: one push per subscription on the key or an ancestor of it. */
        private void notify(String key, String value) {
            for (String[] sub : SUBSCRIPTIONS) {
                String subscribed = sub[0];
                if (!key.equals(subscribed) && !key.startsWith(subscribed + ".")) continue;
                String relpath = key.equals(subscribed) ? key.substring(key.lastIndexOf('.') + 1)
                        : key.substring(subscribed.length() + 1);
                pushes.add("push " + switch (sub[1]) {
                    case "g" -> value == null ? "" : value;
                    case "k" -> value == null ? relpath : relpath + " " + value;
                    case "j" -> nest(relpath, value == null ? "null" : quote(value));
                    default -> throw new AssertionError(sub[1]);
                });
            }
        }

        /** {@code j KEY}: the key alone gives its string; descendants give an object of them; nothing gives {}. */
        private String json(String key) {
            Node root = new Node();
            boolean any = false;
            String own = null;
            for (Map.Entry<String, String> e : data.entrySet()) {
                String k = e.getKey();
                if (key != null && k.equals(key)) {
                    own = e.getValue();
                    continue;
                }
                if (key != null && !k.startsWith(key + ".")) continue;
                any = true;
                Node node = root;
                for (String segment : (key == null ? k : k.substring(key.length() + 1)).split("\\.", -1)) {
                    node = node.children.computeIfAbsent(segment, x -> new Node());
                }
                node.value = e.getValue();
            }
            if (any) return root.render();
            return own != null ? quote(own) : "{}";
        }

        private boolean tooLong(String value) {
            return value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE;
        }

        private static String strip(String s) {
            return s.replaceAll("^[ \t]+", "").replaceAll("[ \t]+\\z", "");
        }
    }

    /** A JSON object member: a value, children, or both (then the children win). */
    static final class Node {
        String value;
        final TreeMap<String, Node> children = new TreeMap<>(KeyspaceModelTest::compareSegments);

        String render() {
            if (children.isEmpty()) return quote(value);
            List<String> members = new ArrayList<>();
            children.forEach((segment, child) -> members.add(quote(segment) + ":" + child.render()));
            return "{" + String.join(",", members) + "}";
        }
    }

    static String nest(String path, String inner) {
        StringBuilder sb = new StringBuilder();
        String[] segments = path.split("\\.", -1);
        for (String segment : segments) sb.append('{').append(quote(segment)).append(':');
        return sb.append(inner).append("}".repeat(segments.length)).toString();
    }

    /** PROTOCOL.md's JSON escapes, exactly. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return sb.append('"').toString();
    }
}
