package bite.db;

import bite.protocol.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Renders subtrees of the keyspace as the compact, sorted JSON of {@code j}, {@code js} and {@code #j} pushes. */
final class JsonView {

    /** How much of a reply {@link #write} gathers before it hands it on. */
    static final int SPILL_CHARS = 64 * 1024;

    private JsonView() {
        throw new AssertionError();
    }

    /**
     * {@code j KEY}: a key with a value and no descendants gives its JSON string; a key with descendants gives an
     * object of them (the object wins over the key's own value); nothing there gives {@code {}}. With {@code key}
     * null, the whole database as an object.
     */
    static String subtree(Keyspace keyspace, String key) {
        StringBuilder out = new StringBuilder();
        write(keyspace.subtree(key), key, out, full -> { });
        return out.toString();
    }

    /**
     * Writes {@code j KEY}'s JSON of {@code entries} (the subtree of {@code key}, in key order) to {@code out};
     * between members, once {@code out} holds more than {@link #SPILL_CHARS}, hands it to {@code spill}, which may
     * take and clear it (a huge reply then goes out in pieces instead of one giant array).
     */
    static void write(Iterator<Map.Entry<String, String>> it, String key, StringBuilder out,
                      Consumer<StringBuilder> spill) {
        if (!it.hasNext()) {
            out.append("{}");
            return;
        }
        Map.Entry<String, String> entry = it.next();
        if (key != null && entry.getKey().equals(key)) {
            if (!it.hasNext()) {
                Json.quote(out, entry.getValue());
                return;
            }
            entry = it.next(); // the key's own value loses to its descendants
        }
        int cut = key == null ? 0 : key.length() + 1;
        List<String> open = new ArrayList<>(); // nested objects open below the top one
        List<Boolean> hasMember = new ArrayList<>(); // per depth, top first: does it need a comma
        out.append('{');
        hasMember.add(false);
        while (entry != null) {
            Map.Entry<String, String> next = it.hasNext() ? it.next() : null;
            String k = entry.getKey();
            if (next == null || !KeyOrder.isSelfOrDescendant(next.getKey(), k)) {
                List<String> segments = segments(k.substring(cut));
                int common = 0;
                int parents = segments.size() - 1;
                while (common < open.size() && common < parents && open.get(common).equals(segments.get(common))) {
                    common++;
                }
                while (open.size() > common) {
                    open.removeLast();
                    hasMember.removeLast();
                    out.append('}');
                }
                for (int i = common; i < parents; i++) {
                    member(out, hasMember, segments.get(i)).append('{');
                    open.add(segments.get(i));
                    hasMember.add(false);
                }
                Json.quote(member(out, hasMember, segments.getLast()), entry.getValue());
                if (out.length() > SPILL_CHARS) spill.accept(out);
            }
            entry = next;
        }
        out.repeat('}', open.size() + 1);
    }

    /** {@code js KEY} of {@code entries}, written like {@link #write}. */
    static void writeWrapped(Iterator<Map.Entry<String, String>> it, String key, StringBuilder out,
                             Consumer<StringBuilder> spill) {
        if (key == null || !it.hasNext()) {
            write(it, key, out, spill);
            return;
        }
        List<String> segments = segments(key);
        for (String segment : segments) Json.quote(out.append('{'), segment).append(':');
        write(it, key, out, spill);
        out.repeat('}', segments.size());
    }

    /** {@code js KEY}: the subtree wrapped in objects for every segment of the key; {@code {}} when empty. */
    static String wrapped(Keyspace keyspace, String key) {
        String inner = subtree(keyspace, key);
        if (key == null || inner.equals("{}")) return inner;
        return nest(key, inner);
    }

    /** {@code {"a":{"b":INNER}}} for path {@code a.b}. */
    static String nest(String path, String innerJson) {
        List<String> segments = segments(path);
        StringBuilder out = new StringBuilder(path.length() + innerJson.length() + 8 * segments.size());
        for (String segment : segments) {
            Json.quote(out.append('{'), segment).append(':');
        }
        out.append(innerJson);
        return out.repeat('}', segments.size()).toString();
    }

    private static StringBuilder member(StringBuilder out, List<Boolean> hasMember, String name) {
        int depth = hasMember.size() - 1;
        if (hasMember.get(depth)) out.append(',');
        hasMember.set(depth, true);
        return Json.quote(out, name).append(':');
    }

    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        int from = 0;
        for (int dot = path.indexOf('.'); dot >= 0; dot = path.indexOf('.', from)) {
            segments.add(path.substring(from, dot));
            from = dot + 1;
        }
        segments.add(path.substring(from));
        return segments;
    }
}
