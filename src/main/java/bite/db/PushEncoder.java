package bite.db;

import bite.command.Command.Kind;
import bite.protocol.Json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes the push lines of one event, caching each form for the subscribed key being visited: a fan-out encodes
 * each payload once per subscribed key and kind and shares it among all its subscribers. Protocol 2 sends the
 * payload alone; protocol 3 tags it as {@code >KIND SUBKEY REV PAYLOAD}. Runs on bite-db only.
 */
final class PushEncoder {

    private static final int KINDS = Kind.values().length;

    private final String key;
    private final String value;
    private final long revision;
    private String cachedFor;
    private final byte[][] plain = new byte[KINDS][];
    private final byte[][] tagged = new byte[KINDS][];

    /** The event of revision {@code revision}: {@code key} set to {@code value} (null: deleted). */
    PushEncoder(String key, String value, long revision) {
        this.key = key;
        this.value = value;
        this.revision = revision;
    }

    /** The protocol-2 push line ({@code \n} included) for a subscription of {@code kind} on {@code subscribed}. */
    byte[] payload(String subscribed, Kind kind) {
        visit(subscribed);
        byte[] bytes = plain[kind.ordinal()];
        if (bytes == null) {
            bytes = (encode(subscribed, kind) + "\n").getBytes(StandardCharsets.UTF_8);
            plain[kind.ordinal()] = bytes;
        }
        return bytes;
    }

    /** The protocol-3 push line: {@code >KIND SUBKEY REV PAYLOAD\n}, the space before PAYLOAD always there. */
    byte[] tagged(String subscribed, Kind kind) {
        visit(subscribed);
        byte[] bytes = tagged[kind.ordinal()];
        if (bytes == null) {
            String line = ">" + letter(kind) + " " + subscribed + " " + revision + " " + encode(subscribed, kind) + "\n";
            bytes = line.getBytes(StandardCharsets.UTF_8);
            tagged[kind.ordinal()] = bytes;
        }
        return bytes;
    }

    static char letter(Kind kind) {
        return switch (kind) {
            case VALUE -> 'g';
            case KEYED -> 'k';
            case JSON -> 'j';
        };
    }

    private void visit(String subscribed) {
        if (!subscribed.equals(cachedFor)) {
            cachedFor = subscribed;
            Arrays.fill(plain, null);
            Arrays.fill(tagged, null);
        }
    }

    private String encode(String subscribed, Kind kind) {
        // RELPATH: the changed key below the subscribed one; the last segment when it is the subscribed key
        String relpath = key.length() == subscribed.length()
                ? key.substring(key.lastIndexOf('.') + 1)
                : key.substring(subscribed.length() + 1);
        return switch (kind) {
            case VALUE -> value == null ? "" : value;
            case KEYED -> value == null ? relpath : relpath + " " + value;
            case JSON -> JsonView.nest(relpath, value == null ? "null" : Json.quote(value));
        };
    }
}
