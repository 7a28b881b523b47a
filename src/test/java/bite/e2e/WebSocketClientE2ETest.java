package bite.e2e;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebSocket transport end to end with an independent client: Python's {@code websockets} package, run as a
 * child process ({@link PythonWebSocketClient}). Same commands, same limits, same slow-consumer rule as TCP.
 */
class WebSocketClientE2ETest {

    private static final int SECONDS = 60;

    @Test
    void pipelinedLinesInOneMessageAreAnsweredInOrderAndFragmentsJoin() throws Exception {
        try (TestServer server = TestServer.start(b -> b.httpPort(0));
             PythonWebSocketClient client = PythonWebSocketClient.start("pipeline", server.httpPort())) {
            assertThat(client.rest(SECONDS)).containsExactly("reply OK", "reply OK", "reply OK", "reply 15",
                    "reply 2", "reply PONG", "fragmented OK", "fragmented 7");
        }
    }

    @Test
    void anIdleSubscriberGetsPushes() throws Exception {
        try (TestServer server = TestServer.start(b -> b.httpPort(0));
             PythonWebSocketClient client = PythonWebSocketClient.start("idle-push", server.httpPort())) {
            List<String> out = client.rest(SECONDS);
            assertThat(out).containsExactly("sub =OK", "sub =OK", "pub OK", "push >k room 1 p1 here");
        }
    }

    @Test
    void aSubscriberThatStopsReadingIsDroppedAtTheOutputLimitLikeOnTcp() throws Exception {
        try (TestServer server = TestServer.start(b -> b.httpPort(0).maxOutputBytes(256 * 1024));
             PythonWebSocketClient client = PythonWebSocketClient.start("slow", server.httpPort(), 400, 65536)) {
            List<String> out = client.rest(SECONDS);
            assertThat(out).containsExactly("sub OK", "pub-ok 400", "closed 1006", "received-less 1");
            server.awaitStats("the slow consumer counted", s -> s.slowConsumerDisconnects() == 1);
        }
    }

    @Test
    void closeCodesPingOriginsAndTheLineLimit() throws Exception {
        int maxLine = 4096;
        try (TestServer server = TestServer.start(b -> b.httpPort(0).maxLineBytes(maxLine));
             PythonWebSocketClient client = PythonWebSocketClient.start("codes", server.httpPort(), maxLine)) {
            assertThat(client.rest(SECONDS)).containsExactly("pong ok", "binary 1003", "oversize 1009",
                    "quit-reply OK", "quit 1000", "client-close 4000", "evil-origin 403", "same-origin PONG");
        }
    }

    @Test
    void aThousandWebSocketsAtOnce() throws Exception {
        int n = 1000;
        try (TestServer server = TestServer.start(b -> b.httpPort(0));
             PythonWebSocketClient client = PythonWebSocketClient.start("many", server.httpPort(), n)) {
            assertThat(client.next(SECONDS)).isEqualTo("open " + n);
            assertThat(server.webSocketConnections()).isEqualTo(n);
            assertThat(server.stats().keys()).isEqualTo(n);
            client.tell("close");
            assertThat(client.rest(SECONDS)).containsExactly("closed " + n);
        }
    }
}
