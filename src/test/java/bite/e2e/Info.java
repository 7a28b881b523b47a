package bite.e2e;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * The {@code info} reply, parsed by a strict little JSON reader (objects, strings, integers, true, false, null: all
 * {@code info} uses), so that a test also checks it is one well-formed JSON object. Members keep their order.
 */
final class Info {

    private final String text;
    private int at;

    private Info(String text) {
        this.text = text;
    }

    /** Asks {@code info} on {@code client} and parses the reply (a protocol-3 reply's {@code =} tag dropped). */
    static Map<String, Object> of(TestClient client) throws IOException {
        String reply = client.ask("info");
        return parse(reply.startsWith("=") ? reply.substring(1) : reply);
    }

    /** Asks {@code info} until {@code condition} holds; fails after 10 s with the last reply. */
    static Map<String, Object> await(TestClient client, String what, Predicate<Map<String, Object>> condition)
            throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Map<String, Object> info = of(client);
        while (!condition.test(info)) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what + ": " + info);
            LockSupport.parkNanos(2_000_000); // a poll interval, not a guess at how long anything takes
            info = of(client);
        }
        return info;
    }

    static Map<String, Object> parse(String json) {
        Info p = new Info(json);
        Object value = p.value();
        if (p.at != json.length()) throw p.error("trailing characters");
        if (!(value instanceof Map<?, ?>)) throw p.error("not an object");
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        return map;
    }

    private Object value() {
        if (at >= text.length()) throw error("unexpected end");
        char c = text.charAt(at);
        if (c == '{') return object();
        if (c == '"') return string();
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        for (Object literal : new Object[] {true, false, null}) {
            String word = String.valueOf(literal);
            if (text.startsWith(word, at)) {
                at += word.length();
                return literal;
            }
        }
        throw error("unexpected character");
    }

    private Map<String, Object> object() {
        Map<String, Object> members = new LinkedHashMap<>();
        expect('{');
        if (peek('}')) return members;
        do {
            String name = string();
            expect(':');
            if (members.containsKey(name)) throw error("duplicate " + name);
            members.put(name, value());
        } while (peek(','));
        expect('}');
        return members;
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (at >= text.length()) throw error("unterminated string");
            char c = text.charAt(at++);
            if (c == '"') return sb.toString();
            if (c < 0x20) throw error("raw control character");
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(text, at, at + 4, 16));
                    at += 4;
                }
                default -> throw error("bad escape");
            }
        }
    }

    private Long number() {
        int start = at;
        if (text.charAt(at) == '-') at++;
        while (at < text.length() && Character.isDigit(text.charAt(at))) at++;
        if (at < text.length() && ".eE".indexOf(text.charAt(at)) >= 0) throw error("info has only integers");
        return Long.parseLong(text, start, at, 10);
    }

    private void expect(char c) {
        if (at >= text.length() || text.charAt(at) != c) throw error("expected " + c);
        at++;
    }

    private boolean peek(char c) {
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private IllegalArgumentException error(String why) {
        return new IllegalArgumentException(why + " at " + at + " in " + text);
    }
}
