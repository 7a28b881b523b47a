package bite.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 6455 section 4.2: {@link WebSocketHandshake} and the {@link OriginPolicy}. */
class WebSocketHandshakeTest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    @Test
    void acceptValueOfTheRfcExample() {
        // RFC 6455 section 1.3
        assertThat(WebSocketHandshake.acceptValue(KEY)).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void answers101() throws Exception {
        HttpResponse response = WebSocketHandshake.accept(upgrade(), OriginPolicy.SAME_HOST_ONLY);
        assertThat(new String(response.encode(), StandardCharsets.ISO_8859_1)).isEqualTo(
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
    }

    @Test
    void tokensAreCaseInsensitiveAndListed() throws Exception {
        HttpRequestHead head = head("HTTP/1.1", "Host", "h", "Upgrade", "WebSocket",
                "Connection", "keep-alive, UPGRADE", "Sec-WebSocket-Version", "13", "Sec-WebSocket-Key", KEY);
        assertThat(WebSocketHandshake.accept(head, OriginPolicy.SAME_HOST_ONLY).status()).isEqualTo(101);
    }

    @Test
    void aPlainGetIsToldToUpgrade() {
        HttpException e = refusal(head("HTTP/1.1", "Host", "h"), OriginPolicy.SAME_HOST_ONLY);
        assertThat(e.status()).isEqualTo(426);
        assertThat(e.headers()).contains(new HttpHeader("Upgrade", "websocket"));
    }

    @Test
    void malformedUpgradesGet400() {
        assertThat(refusal(without(upgrade(), "Connection"), OriginPolicy.SAME_HOST_ONLY).status()).isEqualTo(400);
        assertThat(refusal(replaced(upgrade(), "Connection", "keep-alive"), OriginPolicy.SAME_HOST_ONLY).status())
                .isEqualTo(400);
        assertThat(refusal(replaced(upgrade(), "Upgrade", "h2c"), OriginPolicy.SAME_HOST_ONLY).status())
                .isEqualTo(400);
        for (String key : new String[] {"", "abc", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZSE=",
                "dGhlIHNhbXBsZSBub25jZQ=!"}) {
            assertThat(refusal(replaced(upgrade(), "Sec-WebSocket-Key", key), OriginPolicy.SAME_HOST_ONLY).status())
                    .as(key).isEqualTo(400);
        }
        assertThat(refusal(without(upgrade(), "Sec-WebSocket-Key"), OriginPolicy.SAME_HOST_ONLY).status())
                .isEqualTo(400);
        assertThat(refusal(with(upgrade(), "Sec-WebSocket-Key", KEY), OriginPolicy.SAME_HOST_ONLY).status())
                .isEqualTo(400);
        HttpRequestHead http10 = new HttpRequestHead("GET", "/ws", "HTTP/1.0", upgrade().headers());
        assertThat(refusal(http10, OriginPolicy.SAME_HOST_ONLY).status()).isEqualTo(400);
    }

    @Test
    void otherVersionsGet426WithTheVersion() {
        for (HttpRequestHead head : List.of(replaced(upgrade(), "Sec-WebSocket-Version", "8"),
                without(upgrade(), "Sec-WebSocket-Version"))) {
            HttpException e = refusal(head, OriginPolicy.SAME_HOST_ONLY);
            assertThat(e.status()).isEqualTo(426);
            assertThat(e.headers()).containsExactly(new HttpHeader("Sec-WebSocket-Version", "13"));
        }
    }

    @Test
    void sameHostOriginsOnlyByDefault() throws Exception {
        OriginPolicy policy = OriginPolicy.SAME_HOST_ONLY;
        assertThat(WebSocketHandshake.accept(with(upgrade(), "Origin", "http://localhost:1985"), policy).status())
                .isEqualTo(101);
        HttpException e = refusal(with(upgrade(), "Origin", "https://evil.example"), policy);
        assertThat(e.status()).isEqualTo(403);
        assertThat(refusal(with(upgrade(), "Origin", "http://localhost:1986"), policy).status()).isEqualTo(403);
        assertThat(refusal(with(with(upgrade(), "Origin", "http://localhost:1985"), "Origin", "http://x"), policy)
                .status()).isEqualTo(403);
    }

    @Test
    void originPolicyRules() {
        OriginPolicy none = OriginPolicy.SAME_HOST_ONLY;
        assertThat(none.allows(null, "localhost:1985")).as("no Origin: not a browser").isTrue();
        assertThat(none.allows("http://LOCALHOST:1985", "localhost:1985")).isTrue();
        assertThat(none.allows("https://game.example", "game.example")).as("default port of the scheme").isTrue();
        assertThat(none.allows("http://game.example:80", "game.example")).isTrue();
        assertThat(none.allows("http://game.example:8080", "game.example")).isFalse();
        assertThat(none.allows("http://[::1]:1985", "[::1]:1985")).isTrue();
        assertThat(none.allows("null", "localhost:1985")).isFalse();
        assertThat(none.allows("http://localhost:1985", null)).isFalse();
        assertThat(none.allows("http://localhost.evil:1985", "localhost:1985")).isFalse();

        OriginPolicy listed = OriginPolicy.parse("https://Game.Example, http://localhost:8080");
        assertThat(listed.allows("https://game.example:443", "bite.internal:1985")).isTrue();
        assertThat(listed.allows("http://localhost:8080", "bite.internal:1985")).isTrue();
        assertThat(listed.allows("http://game.example", "bite.internal:1985")).isFalse();
        assertThat(listed.allows("https://bite.internal:1985", "bite.internal:1985")).as("same host still").isTrue();

        OriginPolicy any = OriginPolicy.parse("*");
        assertThat(any.allows("https://anything.example", "h")).isTrue();
        assertThatThrownBy(() -> OriginPolicy.parse("game.example")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("game.example");
        assertThatThrownBy(() -> OriginPolicy.parse("https://game.example/path"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static HttpRequestHead upgrade() {
        return head("HTTP/1.1", "Host", "localhost:1985", "Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Key", KEY, "Sec-WebSocket-Version", "13");
    }

    private static HttpRequestHead head(String version, String... nameValues) {
        List<HttpHeader> headers = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) headers.add(new HttpHeader(nameValues[i], nameValues[i + 1]));
        return new HttpRequestHead("GET", "/ws", version, headers);
    }

    private static HttpRequestHead with(HttpRequestHead head, String name, String value) {
        List<HttpHeader> headers = new ArrayList<>(head.headers());
        headers.add(new HttpHeader(name, value));
        return new HttpRequestHead("GET", "/ws", head.version(), headers);
    }

    private static HttpRequestHead without(HttpRequestHead head, String name) {
        List<HttpHeader> headers = new ArrayList<>(head.headers());
        headers.removeIf(h -> h.name().equalsIgnoreCase(name));
        return new HttpRequestHead("GET", "/ws", head.version(), headers);
    }

    private static HttpRequestHead replaced(HttpRequestHead head, String name, String value) {
        return with(without(head, name), name, value);
    }

    private static HttpException refusal(HttpRequestHead head, OriginPolicy policy) {
        try {
            HttpResponse response = WebSocketHandshake.accept(head, policy);
            throw new AssertionError("accepted: " + response);
        } catch (HttpException e) {
            return e;
        }
    }
}
