package bite.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An independent client, the JDK's own {@code java.net.http.WebSocket}, against {@link WebSocketEchoServer}: the
 * handshake, masking (the JDK client masks every frame), fragments, ping/pong, the close handshake, the size bound
 * and the Origin policy, over a real socket.
 */
class WebSocketEchoTest {

    private static final int MAX = 1024;

    private WebSocketEchoServer server;
    private HttpClient http;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws IOException {
        server = new WebSocketEchoServer(OriginPolicy.SAME_HOST_ONLY, MAX);
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        http.shutdownNow(); // close() would wait for every open WebSocket to end
    }

    @Test
    void echoesLinesOfOneMessageInOneMessage() throws Exception {
        WebSocket ws = connect();
        ws.sendText("s a 1\r\ng a", true).join();
        assertThat(next()).isEqualTo("text s a 1\ng a\n");
        ws.sendText("héllo ☃", true).join();
        assertThat(next()).isEqualTo("text héllo ☃\n");
    }

    @Test
    void fragmentedMessage() throws Exception {
        WebSocket ws = connect();
        ws.sendText("frag", false).join();
        ws.sendPing(ByteBuffer.wrap("between".getBytes(StandardCharsets.UTF_8))).join();
        ws.sendText("mented", true).join();
        assertThat(next()).isEqualTo("pong between");
        assertThat(next()).isEqualTo("text fragmented\n");
    }

    @Test
    void closeHandshakeEchoesTheCode() throws Exception {
        WebSocket ws = connect();
        ws.sendClose(4000, "bye").join();
        assertThat(next()).isEqualTo("close 4000");
    }

    @Test
    void oversizeMessageIsClosedWith1009() throws Exception {
        WebSocket ws = connect();
        ws.sendText("x".repeat(MAX + 1), true).join();
        assertThat(next()).isEqualTo("close 1009 message too big");
    }

    @Test
    void binaryMessageIsClosedWith1003() throws Exception {
        WebSocket ws = connect();
        ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
        assertThat(next()).isEqualTo("close 1003 binary messages are not supported");
    }

    @Test
    void crossSiteOriginIsRefused() {
        CompletableFuture<WebSocket> attempt = http.newWebSocketBuilder()
                .header("Origin", "https://evil.example")
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), new Recorder());
        assertThatThrownBy(attempt::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
    }

    @Test
    void sameHostOriginIsAllowed() throws Exception {
        WebSocket ws = http.newWebSocketBuilder()
                .header("Origin", "http://127.0.0.1:" + server.port())
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), new Recorder())
                .get(10, TimeUnit.SECONDS);
        ws.sendText("hi", true).join();
        assertThat(next()).isEqualTo("text hi\n");
    }

    @Test
    void plainHttpGetsErrors() throws Exception {
        assertThat(exchange("GET /nope HTTP/1.1\r\nHost: h\r\n\r\n")).startsWith("HTTP/1.1 404 Not Found\r\n");
        assertThat(exchange("GET /ws HTTP/1.1\r\nHost: h\r\n\r\n")).startsWith("HTTP/1.1 426 Upgrade Required\r\n");
        assertThat(exchange("DELETE /ws HTTP/1.1\r\nHost: h\r\n\r\n"))
                .startsWith("HTTP/1.1 405 Method Not Allowed\r\n").contains("\r\nAllow: GET\r\n");
        assertThat(exchange("GET /ws HTTP/1.1\r\nHost: h\r\nX: " + "y".repeat(20_000) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n");
    }

    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private WebSocket connect() throws Exception {
        return http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), new Recorder())
                .get(10, TimeUnit.SECONDS);
    }

    private String next() throws InterruptedException {
        String event = received.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("an event within 10 s").isNotNull();
        return event;
    }

    /** Records whole messages, pongs and closes as strings, in arrival order. */
    private final class Recorder implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add("text " + text);
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            received.add("pong " + StandardCharsets.UTF_8.decode(message));
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            received.add(("close " + statusCode + " " + reason).strip());
            return null;
        }
    }
}
