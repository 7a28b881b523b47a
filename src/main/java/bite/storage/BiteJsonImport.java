package bite.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the original BITE server's {@code data/DB.json}: one flat JSON object of string keys to string values.
 *
 * <p>Strict RFC 8259 for that shape: whitespace, one object, strings with every escape (backslash-u surrogate
 * pairs joined; a lone surrogate is refused, since it cannot be stored as UTF-8), strictly valid UTF-8, nothing
 * after the object. A leading UTF-8 byte order mark is skipped. Anything else, a duplicate key or a value that is not
 * a string, throws {@link StorageFileException} naming the file and the byte offset (with line and column). Keys
 * are not checked against Bite's key rules here; the caller does that.
 */
public final class BiteJsonImport {

    private final Path file;
    private final byte[] b;
    private int pos;

    private BiteJsonImport(Path file, byte[] bytes) {
        this.file = file;
        this.b = bytes;
    }

    /** The key-value pairs of {@code file}, in file order. */
    public static Map<String, String> read(Path file) throws IOException {
        return new BiteJsonImport(file, Files.readAllBytes(file)).parse();
    }

    private Map<String, String> parse() throws StorageFileException {
        if (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
            pos = 3;
        }
        Map<String, String> out = new LinkedHashMap<>();
        skipSpace();
        expect('{', "expected '{' (DB.json is one JSON object of strings)");
        skipSpace();
        if (peek() == '}') {
            pos++;
        } else {
            while (true) {
                int keyAt = pos;
                expect('"', "expected a string key");
                String key = string();
                skipSpace();
                expect(':', "expected ':' after a key");
                skipSpace();
                if (peek() != '"') {
                    throw error("value of key \"" + key + "\" is " + describe(peek()) + ", not a string"
                            + " (BITE's DB.json holds only strings)");
                }
                pos++;
                if (out.put(key, string()) != null) {
                    pos = keyAt;
                    throw error("duplicate key \"" + key + "\"");
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    skipSpace();
                } else {
                    expect('}', "expected ',' or '}'");
                    break;
                }
            }
        }
        skipSpace();
        if (pos != b.length) {
            throw error("unexpected data after the JSON object");
        }
        return out;
    }

    /** A string's contents after its opening quote, through the closing quote. */
    private String string() throws StorageFileException {
        StringBuilder sb = new StringBuilder();
        int runStart = pos;
        while (true) {
            if (pos >= b.length) {
                throw error("unterminated string");
            }
            int c = b[pos] & 0xFF;
            if (c == '"' || c == '\\') {
                sb.append(utf8(runStart, pos));
                if (c == '"') {
                    pos++;
                    return sb.toString();
                }
                escape(sb);
                runStart = pos;
            } else if (c < 0x20) {
                throw error("control character 0x" + Integer.toHexString(c) + " in a string (must be escaped)");
            } else {
                pos++;
            }
        }
    }

    private void escape(StringBuilder sb) throws StorageFileException {
        int at = pos;
        pos++; // the backslash
        if (pos >= b.length) {
            throw error("unterminated string");
        }
        char e = (char) (b[pos++] & 0xFF);
        switch (e) {
            case '"', '\\', '/' -> sb.append(e);
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> {
                char c = hex4(at);
                if (Character.isHighSurrogate(c)) {
                    if (pos + 1 < b.length && b[pos] == '\\' && b[pos + 1] == 'u') {
                        int lowAt = pos;
                        pos += 2;
                        char low = hex4(lowAt);
                        if (!Character.isLowSurrogate(low)) {
                            pos = lowAt;
                            throw error("\\u" + hex(c) + " (high surrogate) is not followed by a low surrogate");
                        }
                        sb.append(c).append(low);
                    } else {
                        pos = at;
                        throw error("lone surrogate \\u" + hex(c));
                    }
                } else if (Character.isLowSurrogate(c)) {
                    pos = at;
                    throw error("lone surrogate \\u" + hex(c));
                } else {
                    sb.append(c);
                }
            }
            default -> {
                pos = at;
                throw error("invalid escape \\" + (e >= 0x20 && e < 0x7F ? String.valueOf(e) : "?"));
            }
        }
    }

    private char hex4(int escapeAt) throws StorageFileException {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = pos < b.length ? Character.digit(b[pos], 16) : -1;
            if (d < 0) {
                pos = escapeAt;
                throw error("\\u must be followed by four hex digits");
            }
            v = v * 16 + d;
            pos++;
        }
        return (char) v;
    }

    private String utf8(int from, int to) throws StorageFileException {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b, from, to - from);
        try {
            return d.decode(in).toString();
        } catch (CharacterCodingException e) {
            pos = firstBadUtf8(from, to);
            throw error("invalid UTF-8");
        }
    }

    /** Where decoding fails: decode ever longer prefixes from the start of each character. */
    private int firstBadUtf8(int from, int to) {
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xFF;
            int len = c < 0x80 ? 1 : c >= 0xC2 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3
                    : c >= 0xF0 && c < 0xF5 ? 4 : 0;
            if (len == 0 || i + len > to) {
                return i;
            }
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(b, i, len));
            } catch (CharacterCodingException e) {
                return i;
            }
            i += len - 1;
        }
        return to;
    }

    private void skipSpace() {
        while (pos < b.length && (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\n' || b[pos] == '\r')) {
            pos++;
        }
    }

    private int peek() {
        return pos < b.length ? b[pos] & 0xFF : -1;
    }

    private void expect(char c, String problem) throws StorageFileException {
        if (peek() != c) {
            throw error(problem + ", found " + describe(peek()));
        }
        pos++;
    }

    private static String describe(int c) {
        return switch (c) {
            case -1 -> "the end of the file";
            case '{' -> "an object";
            case '[' -> "an array";
            case 't', 'f' -> "a boolean";
            case 'n' -> "null";
            default -> c == '-' || (c >= '0' && c <= '9') ? "a number"
                    : c > 0x20 && c < 0x7F ? "'" + (char) c + "'" : "byte 0x" + Integer.toHexString(c);
        };
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }

    private StorageFileException error(String problem) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < pos && i < b.length; i++) {
            if (b[i] == '\n') {
                line++;
                col = 1;
            } else if ((b[i] & 0xC0) != 0x80) {
                col++;
            }
        }
        return new StorageFileException(file, pos, problem + " (line " + line + ", column " + col + ")");
    }
}
