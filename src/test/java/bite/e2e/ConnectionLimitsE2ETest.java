package bite.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --max-clients} and {@code --idle-timeout}. */
class ConnectionLimitsE2ETest {

    private static final int MAX_CLIENTS = 3;
    private static final long IDLE_MILLIS = 300;

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void pastMaxClientsANewConnectionIsToldWhyAndClosedUntilOneLeaves() throws IOException {
        server = TestServer.start(b -> b.maxClients(MAX_CLIENTS));
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CLIENTS; i++) {
                clients.add(server.client());
                assertThat(clients.getLast().ask("ping")).isEqualTo("PONG");
            }
            for (int i = 1; i <= 2; i++) {
                try (TestClient extra = server.client()) {
                    assertThat(extra.readToEnd()).isEqualTo("ERR max clients reached\n");
                }
                assertThat(Info.of(clients.getFirst())).containsEntry("connections", (long) MAX_CLIENTS)
                        .containsEntry("rejected_connections", (long) i);
            }

            clients.removeLast().close();
            Info.await(clients.getFirst(), "a closed connection to leave room",
                    i -> i.get("connections").equals(MAX_CLIENTS - 1L));
            clients.add(server.client());
            assertThat(clients.getLast().ask("ping")).isEqualTo("PONG");
            assertThat(Info.of(clients.getLast())).containsEntry("connections", (long) MAX_CLIENTS)
                    .containsEntry("rejected_connections", 2L);
            try (TestClient extra = server.client()) {
                assertThat(extra.readToEnd()).isEqualTo("ERR max clients reached\n");
            }
        } finally {
            for (TestClient c : clients) c.close();
        }
    }

    @Test
    void aSilentConnectionIsClosedButASubscriberAndABusyOneStay() throws Exception {
        server = TestServer.start(b -> b.idleTimeout(Duration.ofMillis(IDLE_MILLIS)));
        try (TestClient subscriber = server.client(); TestClient busy = server.client()) {
            assertThat(subscriber.ask("#g news")).isEqualTo("OK");
            AtomicBoolean done = new AtomicBoolean();
            CompletableFuture<Integer> pings = CompletableFuture.supplyAsync(() -> {
                int n = 0;
                try {
                    while (!done.get()) {
                        if (!busy.ask("ping").equals("PONG")) throw new AssertionError("no PONG after " + n);
                        n++;
                    }
                    return n;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, command -> Thread.ofVirtual().start(command));

            // silent connections are the clock: each one's close means another timeout's worth of silence has passed
            // for the subscriber, which has said nothing since its #g
            for (String sent : List.of("", "s half a li")) {
                long start = System.nanoTime();
                try (TestClient silent = server.client()) {
                    if (!sent.isEmpty()) silent.send(sent);
                    assertThat(silent.readToEnd()).as("closed without a word").isEmpty();
                }
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(
                        Duration.ofMillis(IDLE_MILLIS));
            }
            done.set(true);
            assertThat(pings.get(10, TimeUnit.SECONDS)).as("pings while waiting").isPositive();

            assertThat(busy.ask("s news hello")).isEqualTo("OK");
            assertThat(subscriber.readLine()).as("the subscriber is still there").isEqualTo("hello");
            assertThat(subscriber.ask("ping")).isEqualTo("PONG");
            assertThat(busy.ask("g half")).as("the unfinished line was never applied").isEmpty();
            Info.await(busy, "the silent ones to leave the count", i -> i.get("connections").equals(2L));
        }
    }

    @Test
    void aSubscribeRefusedForWantOfAuthDoesNotExemptFromTheIdleTimeout() throws IOException {
        server = TestServer.start(b -> b.idleTimeout(Duration.ofMillis(IDLE_MILLIS)).password("pw"));
        try (TestClient stranger = server.client()) {
            assertThat(stranger.ask("#g news")).isEqualTo("ERR auth required");
            assertThat(stranger.readToEnd()).as("closed when idle, like any connection that subscribed to nothing")
                    .isEmpty();
        }
    }
}
