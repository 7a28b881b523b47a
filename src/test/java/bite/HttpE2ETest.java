package bite;

import bite.http.OriginPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HTTP listener from outside, with raw sockets: every path and method, the head limits, a slow client, origins,
 * {@code /metrics} (read by a strict parser) with and without the password, {@code /healthz} healthy and not.
 */
class HttpE2ETest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    @TempDir
    Path tmp;

    /** A response as read off the wire: status, head (lines), body. */
    record Response(int status, List<String> head, String body) {
        String header(String name) {
            for (String h : head) {
                if (h.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                    return h.substring(name.length() + 1).strip();
                }
            }
            return null;
        }
    }

    private static Server start(UnaryOperator<Config.Builder> tweak) throws IOException {
        return new Server(tweak.apply(Config.builder().port(0).persist(false).httpPort(0)).build()).start();
    }

    /** Sends {@code request} as it is and reads the whole response, up to the server's close. */
    private static Response exchange(Server server, String request) throws IOException {
        try (Socket s = connect(server)) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return read(s.getInputStream());
        }
    }

    private static Socket connect(Server server) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.httpAddress().getPort()), 5_000);
        s.setSoTimeout(30_000);
        return s;
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            in.transferTo(all);
        } catch (SocketException reset) {
            // what came before the reset is what the client got
        }
        String text = all.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        assertThat(end).as("a complete head in: " + text).isPositive();
        List<String> head = List.of(text.substring(0, end).split("\r\n"));
        assertThat(head.getFirst()).matches("HTTP/1\\.1 [0-9]{3} .*");
        return new Response(Integer.parseInt(head.getFirst().substring(9, 12)), head, text.substring(end + 4));
    }

    private static Response get(Server server, String path, String... headers) throws IOException {
        StringBuilder r = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String h : headers) r.append(h).append("\r\n");
        return exchange(server, r.append("\r\n").toString());
    }

    @Test
    void everyPathAndMethodGetsItsAnswer() throws IOException {
        try (Server server = start(b -> b)) {
            Response health = get(server, "/healthz");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("ok\n");
            assertThat(health.header("Connection")).isEqualTo("close");
            Response metrics = get(server, "/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
            Response inspector = get(server, "/"); // the inspector's page (InspectorFiles)
            assertThat(inspector.status()).isEqualTo(200);
            assertThat(inspector.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
            assertThat(inspector.body()).contains("<title>Bite inspector</title>");
            assertThat(get(server, "/bite.js").status()).isEqualTo(200);
            assertThat(get(server, "/inspector/index.html").status()).isEqualTo(404);
            assertThat(get(server, "/../pom.xml").status()).isIn(400, 404);
            assertThat(get(server, "/nope").status()).isEqualTo(404);
            assertThat(get(server, "/metrics/").status()).isEqualTo(404);
            assertThat(get(server, "/healthz?verbose=1").status()).isEqualTo(200);
            Response plainWs = get(server, "/ws");
            assertThat(plainWs.status()).isEqualTo(426);
            assertThat(plainWs.header("Upgrade")).isEqualTo("websocket");

            for (String method : List.of("POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH")) {
                Response r = exchange(server, method + " /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
                assertThat(r.status()).as(method).isEqualTo(405);
                assertThat(r.header("Allow")).isEqualTo("GET");
            }
            assertThat(exchange(server, "GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n").status()).isEqualTo(505);
            assertThat(exchange(server, "hello\r\n\r\n").status()).isEqualTo(400);
            assertThat(exchange(server, "GET /healthz HTTP/1.1\r\n\r\n").status()).as("no Host").isEqualTo(400);
        }
    }

    @Test
    void oversizeHeadsGet414And431() throws IOException {
        try (Server server = start(b -> b)) {
            assertThat(get(server, "/" + "a".repeat(9000)).status()).isEqualTo(414);
            assertThat(get(server, "/healthz", "X-Big: " + "b".repeat(17_000)).status()).isEqualTo(431);
            String[] many = new String[101];
            for (int i = 0; i < many.length; i++) many[i] = "X-H" + i + ": v";
            assertThat(get(server, "/healthz", many).status()).isEqualTo(431);
            // the server still serves
            assertThat(get(server, "/healthz").status()).isEqualTo(200);
        }
    }

    @Test
    void aClientTricklingItsHeadTimesOut() throws Exception {
        try (Server server = start(b -> b); Socket s = connect(server)) {
            OutputStream out = s.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            // a header byte every half second, never the end of the head; the server answers 408 and closes
            CompletableFuture<Response> response = CompletableFuture.supplyAsync(() -> {
                try {
                    return read(in);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                out.write("X-Slow: ".getBytes(StandardCharsets.US_ASCII));
                while (!response.isDone()) {
                    out.write('s');
                    out.flush();
                    LockSupport.parkNanos(500_000_000L); // the client's pace, not a wait for the server
                }
            } catch (SocketException closed) {
                // the server closed while we trickled
            }
            assertThat(response.get(30, TimeUnit.SECONDS).status()).isEqualTo(408);
        }
    }

    @Test
    void foreignOriginsAreRefusedUnlessListed() throws IOException {
        String upgrade = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n";
        try (Server server = start(b -> b)) {
            assertThat(exchange(server, upgrade + "Origin: https://evil.example\r\n\r\n").status()).isEqualTo(403);
            assertThat(exchange(server, upgrade + "Origin: null\r\n\r\n").status()).isEqualTo(403);
        }
        try (Server server = start(b -> b.httpOrigins(OriginPolicy.parse("https://game.example")))) {
            try (Socket s = connect(server)) {
                s.getOutputStream().write((upgrade + "Origin: https://game.example\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] head = s.getInputStream().readNBytes(12);
                assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 101");
            }
            assertThat(exchange(server, upgrade + "Origin: https://evil.example\r\n\r\n").status()).isEqualTo(403);
        }
    }

    @Test
    void webSocketsCountAgainstMaxClients() throws IOException {
        try (Server server = start(b -> b.maxClients(1)); Socket tcp = new Socket("127.0.0.1", server.port())) {
            tcp.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(tcp.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("PONG\n");
            Response r = exchange(server, "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
            assertThat(r.status()).isEqualTo(503);
        }
    }

    @Test
    void metricsParseStrictlyAndCountConnectionsByTransportAndProtocol() throws Exception {
        try (Server server = start(b -> b.persist(true).dataDir(tmp.resolve("data")));
             Socket tcp = new Socket("127.0.0.1", server.port())) {
            tcp.getOutputStream().write("hello 3\ns a 1\n".getBytes(StandardCharsets.US_ASCII));
            byte[] hello = tcp.getInputStream().readNBytes("=OK 3 ".length());
            assertThat(new String(hello, StandardCharsets.US_ASCII)).isEqualTo("=OK 3 ");
            WebSocket ws = webSocket(server, "ping");

            Map<String, Double> m = PrometheusTextParser.parse(get(server, "/metrics").body());
            assertThat(m).containsEntry("bite_connections{protocol=\"3\",transport=\"tcp\"}", 1.0)
                    .containsEntry("bite_connections{protocol=\"2\",transport=\"websocket\"}", 1.0)
                    .containsEntry("bite_connections{protocol=\"2\",transport=\"tcp\"}", 0.0)
                    .containsEntry("bite_database_up", 1.0)
                    .containsEntry("bite_slow_consumer_disconnects_total", 0.0)
                    .containsEntry("bite_storage_disk_error", 0.0)
                    .containsEntry("bite_sessions{state=\"open\"}", 1.0)
                    .containsEntry("bite_sessions{state=\"grace\"}", 0.0)
                    .containsEntry("bite_memory_cap_bytes", (double) (Runtime.getRuntime().maxMemory() / 100 * 80))
                    .containsEntry("bite_memory_over_cap", 0.0)
                    .containsKeys("bite_memory_after_gc_bytes", "bite_pushes_total", "bite_revision",
                            "bite_history_events",
                            "bite_wal_bytes", "bite_snapshot_bytes", "bite_snapshot_last_time_seconds",
                            "bite_jvm_heap_used_bytes", "process_resident_memory_bytes", "bite_auth_failures_total");
            await(() -> PrometheusTextParser.parse(get(server, "/metrics").body()).get("bite_keys") == 1.0);
            assertThat(PrometheusTextParser.parse(get(server, "/metrics").body()))
                    .as("commands by kind: the TCP client's hello and set")
                    .containsEntry("bite_commands_total{command=\"hello\"}", 1.0)
                    .containsEntry("bite_commands_total{command=\"set\"}", 1.0);
            assertThat(m.get("process_resident_memory_bytes")).isPositive();
            ws.abort();
        }
    }

    @Test
    void theStrictParserRefusesWhatPrometheusWould() {
        String ok = "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\"} 2\n";
        assertThat(PrometheusTextParser.parse(ok)).containsExactly(Map.entry("a_total{x=\"1\"}", 2.0));
        for (String bad : List.of("a 1\n", "# TYPE a counter\na 1\n", ok.replace("} 2", "}"),
                ok + "a_total{x=\"1\"} 3\n", ok.replace("x=", "__x="), ok.replace(" 2", " two"),
                ok.substring(0, ok.length() - 1), ok + "# TYPE b gauge\nb 1\na_total 1\n")) {
            assertThatThrownBy(() -> PrometheusTextParser.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void withAPasswordMetricsWantTheBearerAndHealthStaysOpen() throws Exception {
        try (Server server = start(b -> b.password("s3cret"))) {
            Response none = get(server, "/metrics");
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(get(server, "/metrics", "Authorization: Bearer wrong").status()).isEqualTo(401);
            assertThat(get(server, "/metrics", "Authorization: Basic czNjcmV0").status()).isEqualTo(401);
            Response ok = get(server, "/metrics", "Authorization: Bearer s3cret");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(PrometheusTextParser.parse(ok.body())).containsEntry("bite_auth_failures_total", 1.0);
            assertThat(get(server, "/healthz").status()).isEqualTo(200);
        }
    }

    @Test
    void healthIs503WithAReasonOnceTheDatabaseThreadDied() throws Exception {
        Config config = Config.builder().port(0).httpPort(0).dataDir(tmp.resolve("data")).build();
        try (Server server = new Server(config, DatabaseFailureE2ETest.FAULTY).start()) {
            assertThat(get(server, "/healthz").status()).isEqualTo(200);
            WebSocket ws = webSocket(server, "s " + DatabaseFailureE2ETest.FAULT.key() + " "
                    + DatabaseFailureE2ETest.FAULT.value());
            await(() -> get(server, "/healthz").status() == 503);
            Response r = get(server, "/healthz");
            assertThat(r.body()).isEqualTo("database thread stopped\n");
            assertThat(PrometheusTextParser.parse(get(server, "/metrics").body()))
                    .containsEntry("bite_database_up", 0.0).doesNotContainKey("bite_keys");
            ws.abort();
        }
    }

    /** A JDK WebSocket client that sent {@code line} and got its first reply. */
    private static WebSocket webSocket(Server server, String line) throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.httpAddress().getPort() + "/ws"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                first.complete(data.toString());
                                w.request(1);
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
        ws.sendText(line, true).get(10, TimeUnit.SECONDS);
        if (!line.startsWith("s fault")) assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("PONG\n");
        return ws;
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!check.holds()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 10 s");
            LockSupport.parkNanos(20_000_000); // a poll interval
        }
    }
}
