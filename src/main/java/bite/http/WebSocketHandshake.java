package bite.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * The server side of the WebSocket opening handshake (RFC 6455 section 4.2): checks an upgrade request and answers
 * it with {@code 101 Switching Protocols}. Stateless; runs on the HTTP connection's virtual thread.
 *
 * <p>Refusals: {@code 426} with {@code Upgrade: websocket} when the request asks for no upgrade at all;
 * {@code 400} when the upgrade is malformed ({@code Upgrade} without the {@code websocket} token, {@code Connection}
 * without {@code Upgrade}, HTTP/1.0, a key that is not 16 bytes in base64, a repeated key or version);
 * {@code 426} with {@code Sec-WebSocket-Version: 13} for a missing or other version; {@code 403} for an
 * {@code Origin} the {@link OriginPolicy} refuses. No subprotocol and no extension is ever agreed, so frames must
 * come with their RSV bits clear.
 */
public final class WebSocketHandshake {

    /** RFC 6455 section 1.3: appended to the client's key before hashing. */
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private WebSocketHandshake() {
        throw new AssertionError();
    }

    /** The {@code 101} response to {@code head}, or the refusal. */
    public static HttpResponse accept(HttpRequestHead head, OriginPolicy policy) throws HttpException {
        if (head.headerValues("Upgrade").isEmpty()) {
            throw new HttpException(426, "websocket upgrade required", new HttpHeader("Upgrade", "websocket"),
                    new HttpHeader("Connection", "Upgrade"));
        }
        if (!head.version().equals("HTTP/1.1")) throw new HttpException(400, "websocket needs HTTP/1.1");
        if (!head.hasToken("Upgrade", "websocket")) throw new HttpException(400, "upgrade is not to websocket");
        if (!head.hasToken("Connection", "Upgrade")) throw new HttpException(400, "connection header lacks upgrade");
        List<String> versions = head.headerValues("Sec-WebSocket-Version");
        if (versions.size() > 1) throw new HttpException(400, "more than one websocket version header");
        if (versions.isEmpty() || !versions.getFirst().equals("13")) {
            throw new HttpException(426, "websocket version 13 required", new HttpHeader("Sec-WebSocket-Version", "13"));
        }
        List<String> keys = head.headerValues("Sec-WebSocket-Key");
        if (keys.size() != 1 || !isKey(keys.getFirst())) throw new HttpException(400, "malformed websocket key");
        List<String> origins = head.headerValues("Origin");
        if (origins.size() > 1 || !origins.stream().allMatch(o -> policy.allows(o, head.header("Host")))) {
            throw new HttpException(403, "origin not allowed");
        }
        return new HttpResponse(101, List.of(
                new HttpHeader("Upgrade", "websocket"),
                new HttpHeader("Connection", "Upgrade"),
                new HttpHeader("Sec-WebSocket-Accept", acceptValue(keys.getFirst()))), new byte[0]);
    }

    /** {@code Sec-WebSocket-Accept} for a key: base64 of the SHA-1 of the key followed by the RFC's GUID. */
    public static String acceptValue(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-1", e);
        }
    }

    /** A key is 16 bytes in base64: 24 characters ending in {@code ==}. */
    private static boolean isKey(String key) {
        if (key.length() != 24) return false;
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
