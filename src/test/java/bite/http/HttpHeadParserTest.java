package bite.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link HttpHeadParser}: a strict, bounded request head, and the status of each refusal. */
class HttpHeadParserTest {

    private static final HttpLimits LIMITS = new HttpLimits(64, 128, 5, Duration.ofSeconds(10));
    private final HttpHeadParser parser = new HttpHeadParser(LIMITS);

    @Test
    void readsRequestLineAndHeaders() throws Exception {
        HttpRequestHead head = parse("GET /ws?x=1 HTTP/1.1\r\nHost: localhost:1985\r\nUPGRADE:  websocket \t\r\n"
                + "Connection: keep-alive, Upgrade\r\n\r\n");
        assertThat(head.method()).isEqualTo("GET");
        assertThat(head.target()).isEqualTo("/ws?x=1");
        assertThat(head.path()).isEqualTo("/ws");
        assertThat(head.version()).isEqualTo("HTTP/1.1");
        assertThat(head.header("upgrade")).isEqualTo("websocket");
        assertThat(head.header("HOST")).isEqualTo("localhost:1985");
        assertThat(head.header("Origin")).isNull();
        assertThat(head.hasToken("connection", "upgrade")).isTrue();
        assertThat(head.hasToken("connection", "close")).isFalse();
    }

    @Test
    void readsNoFurtherThanTheHead() throws Exception {
        InputStream in = stream("GET / HTTP/1.1\r\nHost: h\r\n\r\nFRAMES");
        parser.read(in);
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("FRAMES");
    }

    @Test
    void http10NeedsNoHost() throws Exception {
        assertThat(parse("GET /metrics HTTP/1.0\r\n\r\n").version()).isEqualTo("HTTP/1.0");
    }

    @Test
    void anEmptyStreamIsNoRequest() throws Exception {
        assertThat(parser.read(stream(""))).isNull();
    }

    @Test
    void aStreamEndingInsideTheHeadIsAnEof() {
        assertThatThrownBy(() -> parse("GET / HTTP/1.1\r\nHost: h\r\n")).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> parse("GET / HT")).isInstanceOf(EOFException.class);
    }

    @Test
    void requestLineLimitCountsItsCrlf() throws Exception {
        String fits = "GET /" + "a".repeat(64 - 16) + " HTTP/1.1"; // 64 bytes with CRLF
        assertThat(fits.length() + 2).isEqualTo(64);
        assertThat(parse(fits + "\r\nHost: h\r\n\r\n").target()).hasSize(49);
        assertStatus("GET /" + "a".repeat(64 - 15) + " HTTP/1.1\r\nHost: h\r\n\r\n", 414);
        // refused as soon as the limit is passed, without waiting for the end of the line
        assertStatus("GET /" + "a".repeat(1000), 414);
    }

    @Test
    void headerLimitsGet431() throws Exception {
        String six = "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\nF: 6\r\n";
        assertStatus("GET / HTTP/1.1\r\nHost: h\r\n" + six + "\r\n", 431);
        assertThat(parse("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n").headers()).hasSize(5);
        assertStatus("GET / HTTP/1.1\r\nHost: h\r\nCookie: " + "x".repeat(200) + "\r\n\r\n", 431);
        // 128 bytes of header lines: exactly at the limit with the final CRLF, one more byte is over
        String header = "X: " + "y".repeat(128 - 2 - 2 - 3 - "Host: h\r\n".length()) + "\r\n";
        assertThat(parse("GET / HTTP/1.1\r\nHost: h\r\n" + header + "\r\n").header("x")).isNotEmpty();
        assertStatus("GET / HTTP/1.1\r\nHost: hh\r\n" + header + "\r\n", 431);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET / HTTP/1.1\nHost: h\r\n\r\n",            // bare LF ends the request line
            "GET / HTTP/1.1\r\nHost: h\n\r\n",            // bare LF ends a header
            "GET / HTTP/1.1\r\nHost: h\rX: 1\r\n\r\n",    // bare CR inside a header
            "GET / HTTP/1.1\r\nHost: h\r\nX: 1\r\n folded\r\n\r\n", // obs-fold
            "GET / HTTP/1.1\r\nHost: h\r\nX : 1\r\n\r\n", // whitespace before the colon
            "GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: h\r\nX: a\u0001b\r\n\r\n", // control character
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",     // duplicate Host
            "GET / HTTP/1.1\r\n\r\n",                           // no Host in 1.1
            "GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n",
            "GET  / HTTP/1.1\r\nHost: h\r\n\r\n",      // two spaces
            "GET / HTTP/1.1 \r\nHost: h\r\n\r\n",
            "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n",
            "GET http://h/ HTTP/1.1\r\nHost: h\r\n\r\n", // absolute form
            "GET * HTTP/1.1\r\nHost: h\r\n\r\n",
            "GET /#frag HTTP/1.1\r\nHost: h\r\n\r\n",
            "GET / HTTP/1.10\r\nHost: h\r\n\r\n",
            "GET / http/1.1\r\nHost: h\r\n\r\n",
            "G(T / HTTP/1.1\r\nHost: h\r\n\r\n",
            "\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"})
    void malformedOrSmugglingGets400(String request) {
        assertStatus(request, 400);
    }

    @Test
    void contentLengthZeroIsHarmless() throws Exception {
        assertThat(parse("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n").header("content-length"))
                .isEqualTo("0");
    }

    @Test
    void otherVersionsGet505() {
        assertStatus("GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505);
        assertStatus("GET / HTTP/0.9\r\n\r\n", 505);
    }

    @Test
    void otherMethodsGet405WithAllow() {
        for (String method : new String[] {"POST", "HEAD", "PUT", "get"}) {
            HttpException e = refusal(method + " / HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(e.status()).as(method).isEqualTo(405);
            assertThat(e.headers()).containsExactly(new HttpHeader("Allow", "GET"));
        }
    }

    @Test
    void aSlowHeadGets408() {
        AtomicLong now = new AtomicLong();
        HttpHeadParser slow = new HttpHeadParser(LIMITS, now::get);
        // each byte arrives a second after the last: the tenth second passes in the middle of the head
        InputStream trickle = new InputStream() {
            private final InputStream bytes = stream("GET / HTTP/1.1\r\nHost: h\r\n\r\n");

            @Override
            public int read() throws IOException {
                now.addAndGet(Duration.ofSeconds(1).toNanos());
                return bytes.read();
            }
        };
        assertThatThrownBy(() -> slow.read(trickle))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(408));
    }

    @Test
    void refusalBecomesAClosingResponse() {
        HttpException e = refusal("POST / HTTP/1.1\r\nHost: h\r\n\r\n");
        String wire = new String(e.response().encode(), StandardCharsets.ISO_8859_1);
        assertThat(wire).isEqualTo("HTTP/1.1 405 Method Not Allowed\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Allow: GET\r\nContent-Length: 19\r\nConnection: close\r\n\r\nmethod not allowed\n");
    }

    @Test
    void responseRefusesHeaderInjection() {
        assertThatThrownBy(() -> HttpResponse.text(200, "").withHeader("X", "a\r\nSet-Cookie: b"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private HttpRequestHead parse(String request) throws IOException, HttpException {
        return parser.read(stream(request));
    }

    private void assertStatus(String request, int status) {
        assertThat(refusal(request).status()).as(request).isEqualTo(status);
    }

    private HttpException refusal(String request) {
        try {
            HttpRequestHead head = parse(request);
            throw new AssertionError("accepted: " + head);
        } catch (HttpException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
