package bite.access;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * The little JSON a token's header and claims need: one object whose members are read into a map, strings as
 * {@link String}, numbers as {@link BigDecimal}, {@code true}/{@code false} as {@link Boolean}, and anything else
 * ({@code null}, an object, an array) as {@link #OTHER}. Strict (RFC 8259 grammar, no duplicate members, nothing
 * after the object) and bounded: the caller limits the input's length, and nesting deeper than {@link #MAX_DEPTH}
 * is refused. Pure; safe on any thread.
 */
final class ClaimsJson {

    /** Stands for a member's value that is neither a string, a number nor a boolean. */
    static final Object OTHER = new Object() {
        @Override
        public String toString() {
            return "OTHER";
        }
    };
    static final int MAX_DEPTH = 8;
    /** A number longer than this is refused rather than handed to BigDecimal. */
    private static final int MAX_NUMBER_CHARS = 40;

    /** Input that is not the JSON object expected. */
    static final class Malformed extends Exception {
        Malformed(String why) {
            super(why, null, false, false);
        }
    }

    private final String s;
    private int i;

    private ClaimsJson(String s) {
        this.s = s;
    }

    /** The members of the object that is the whole of {@code json}. */
    static Map<String, Object> parseObject(String json) throws Malformed {
        ClaimsJson p = new ClaimsJson(json);
        p.skipSpace();
        if (p.peek() != '{') throw new Malformed("not a JSON object");
        Map<String, Object> members = new HashMap<>();
        p.object(members, 1);
        p.skipSpace();
        if (p.i != json.length()) throw new Malformed("text after the JSON object");
        return members;
    }

    /** Reads an object; its members go into {@code into} when it is not null. */
    private void object(Map<String, Object> into, int depth) throws Malformed {
        if (depth > MAX_DEPTH) throw new Malformed("JSON nested too deeply");
        expect('{');
        skipSpace();
        if (peek() == '}') {
            i++;
            return;
        }
        while (true) {
            skipSpace();
            String name = string();
            skipSpace();
            expect(':');
            Object value = value(depth);
            if (into != null && into.put(name, value) != null) throw new Malformed("member '" + name + "' twice");
            skipSpace();
            char c = next();
            if (c == '}') return;
            if (c != ',') throw new Malformed("expected , or } in object");
        }
    }

    private void array(int depth) throws Malformed {
        if (depth > MAX_DEPTH) throw new Malformed("JSON nested too deeply");
        expect('[');
        skipSpace();
        if (peek() == ']') {
            i++;
            return;
        }
        while (true) {
            value(depth);
            skipSpace();
            char c = next();
            if (c == ']') return;
            if (c != ',') throw new Malformed("expected , or ] in array");
        }
    }

    private Object value(int depth) throws Malformed {
        skipSpace();
        char c = peek();
        switch (c) {
            case '"' -> {
                return string();
            }
            case '{' -> {
                object(null, depth + 1);
                return OTHER;
            }
            case '[' -> {
                array(depth + 1);
                return OTHER;
            }
            case 't' -> {
                literal("true");
                return Boolean.TRUE;
            }
            case 'f' -> {
                literal("false");
                return Boolean.FALSE;
            }
            case 'n' -> {
                literal("null");
                return OTHER;
            }
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) return number();
                throw new Malformed("unexpected character in JSON");
            }
        }
    }

    private String string() throws Malformed {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') return sb.toString();
            if (c < 0x20) throw new Malformed("control character in JSON string");
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> sb.append(hex4());
                default -> throw new Malformed("bad escape in JSON string");
            }
        }
    }

    private char hex4() throws Malformed {
        if (i + 4 > s.length()) throw new Malformed("JSON ends inside an escape");
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int d = Character.digit(s.charAt(i++), 16);
            if (d < 0) throw new Malformed("bad \\u escape in JSON string");
            v = v * 16 + d;
        }
        return (char) v;
    }

    private BigDecimal number() throws Malformed {
        int start = i;
        if (peek() == '-') i++;
        if (peek() == '0') {
            i++;
        } else if (!digits()) {
            throw new Malformed("bad JSON number");
        }
        if (peek() == '.') {
            i++;
            if (!digits()) throw new Malformed("bad JSON number");
        }
        if (peek() == 'e' || peek() == 'E') {
            i++;
            if (peek() == '+' || peek() == '-') i++;
            int exponentStart = i;
            if (!digits()) throw new Malformed("bad JSON number");
            // a huge exponent would make BigDecimal's arithmetic slow: no date needs more than two digits
            if (i - exponentStart > 2) throw new Malformed("JSON number's exponent too large");
        }
        if (i - start > MAX_NUMBER_CHARS) throw new Malformed("JSON number too long");
        return new BigDecimal(s.substring(start, i));
    }

    private boolean digits() {
        int start = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
        return i > start;
    }

    private void literal(String word) throws Malformed {
        if (!s.startsWith(word, i)) throw new Malformed("unexpected word in JSON");
        i += word.length();
    }

    private void expect(char c) throws Malformed {
        if (next() != c) throw new Malformed("expected " + c + " in JSON");
    }

    private char next() throws Malformed {
        if (i >= s.length()) throw new Malformed("JSON ends too soon");
        return s.charAt(i++);
    }

    /** The next character, or 0 at the end. */
    private char peek() {
        return i < s.length() ? s.charAt(i) : 0;
    }

    private void skipSpace() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            i++;
        }
    }
}
