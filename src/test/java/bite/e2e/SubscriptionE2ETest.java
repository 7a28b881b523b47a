package bite.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** Subscriptions between connections, and the output limit: a slow subscriber is dropped, a slow reader is not. */
class SubscriptionE2ETest {

    private static final int OUTPUT_LIMIT = 64 * 1024;
    private static final int VALUE_BYTES = 4000;

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void oneClientSubscribesTheOtherWrites() throws Exception {
        server = TestServer.start();
        try (TestClient subscriber = server.client(); TestClient writer = server.client();
             TestClient bystander = server.client()) {
            assertThat(subscriber.ask("#k room.7")).isEqualTo("OK");
            assertThat(subscriber.ask("#j room.7.p1")).isEqualTo("OK");
            assertThat(bystander.ask("#g room.8")).isEqualTo("OK");

            assertThat(writer.ask("s room.7.p1.x 10")).isEqualTo("OK");
            assertThat(subscriber.readLines(2)).containsExactlyInAnyOrder("p1.x 10", "{\"x\":\"10\"}");
            assertThat(writer.ask("s room.7 open")).isEqualTo("OK");
            assertThat(subscriber.readLine()).isEqualTo("7 open");
            assertThat(writer.ask("d room.7.p1.x")).isEqualTo("OK");
            assertThat(subscriber.readLines(2)).containsExactlyInAnyOrder("p1.x", "{\"x\":null}");
            assertThat(writer.ask("s room.70 x")).isEqualTo("OK");
            assertThat(writer.ask("s room7 x")).isEqualTo("OK");
            assertThat(writer.ask("! room.8.a hi")).isEqualTo("OK");
            // every push a request causes is queued before its reply, so by now any push is already queued: the
            // next line each one reads after a request of its own is its reply only if no push was sent to it
            assertThat(subscriber.ask("j room.7")).as("no push for room.70, room7 or room.8").isEqualTo("\"open\"");
            assertThat(bystander.readLine()).isEqualTo("hi");
            assertThat(bystander.ask("g room.7")).as("nothing for room.7").isEqualTo("open");
            assertThat(writer.ask("g room.8.a")).as("a notify stores nothing").isEmpty();
        }
    }

    @Test
    void everySubscriberGetsTheFanOut() throws Exception {
        server = TestServer.start();
        List<TestClient> subscribers = new ArrayList<>();
        try (TestClient writer = server.client()) {
            for (int i = 0; i < 50; i++) {
                TestClient s = server.client();
                subscribers.add(s);
                assertThat(s.ask("#g game")).isEqualTo("OK");
            }
            assertThat(server.stats().subscriptions()).isEqualTo(50);
            for (int i = 0; i < 20; i++) assertThat(writer.ask("s game.tick " + i)).isEqualTo("OK");
            for (TestClient s : subscribers) {
                assertThat(s.readLines(20)).isEqualTo(java.util.stream.IntStream.range(0, 20).mapToObj(String::valueOf)
                        .toList());
            }
        } finally {
            for (TestClient s : subscribers) s.close();
        }
    }

    @Test
    void closingASubscriberRemovesItsSubscriptions() throws Exception {
        server = TestServer.start();
        try (TestClient writer = server.client()) {
            try (TestClient c = server.client()) {
                c.sendLines("#g a", "#k a", "#j b", "#g a");
                assertThat(c.readLines(4)).containsExactly("OK", "OK", "OK", "OK");
                assertThat(server.stats().subscriptions()).isEqualTo(3);
            }
            server.awaitStats("the closed connection's subscriptions to go", s -> s.subscriptions() == 0);
            assertThat(writer.ask("s a 1")).as("nobody to push to").isEqualTo("OK");
            assertThat(server.stats().pushesSent()).isZero();
        }
    }

    @Test
    void aSubscriberThatNeverReadsIsDisconnectedWhileAnotherGetsEverything() throws Exception {
        server = TestServer.start(b -> b.maxOutputBytes(OUTPUT_LIMIT));
        Logger netLog = Logger.getLogger("bite.net"); // held: java.util.logging keeps loggers weakly
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) warnings.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        netLog.addHandler(handler);
        try (TestClient slow = TestClient.connect(server.port(), 4096); TestClient fast = server.client();
             TestClient writer = server.client()) {
            assertThat(slow.ask("#g big")).isEqualTo("OK");
            assertThat(fast.ask("#g big")).isEqualTo("OK");
            Semaphore fastRead = new Semaphore(0);
            CompletableFuture<List<String>> fastMismatches = CompletableFuture.supplyAsync(() -> {
                List<String> wrong = new ArrayList<>();
                try {
                    for (int i = 0; ; i++) {
                        String line = fast.readLine();
                        if (line.equals("END")) return wrong;
                        if (!line.equals(value(i))) wrong.add("push " + i + ": " + line.substring(0, 20));
                        fastRead.release();
                    }
                } catch (IOException e) {
                    wrong.add(e.toString());
                    return wrong;
                }
            }, command -> Thread.ofVirtual().start(command));

            // rounds small enough that the reading subscriber's queue stays under the limit; the one that never
            // reads fills its socket buffers and then its queue
            int sent = 0;
            int roundsAfterDisconnect = 5;
            for (int round = 0; round < 5_000 && roundsAfterDisconnect > 0; round++) {
                StringBuilder requests = new StringBuilder();
                for (int i = 0; i < 10; i++) requests.append("s big ").append(value(sent++)).append('\n');
                writer.send(requests.toString());
                assertThat(writer.readLines(10)).as("a slow subscriber never holds up the writer")
                        .containsOnly("OK").hasSize(10);
                assertThat(fastRead.tryAcquire(10, 30, TimeUnit.SECONDS)).as("the reader got round %d", round).isTrue();
                if (server.stats().slowConsumerDisconnects() > 0) roundsAfterDisconnect--;
            }
            assertThat(server.stats().slowConsumerDisconnects()).isEqualTo(1);
            assertThat(Info.of(writer)).as("info tells the operator").containsEntry("slow_consumer_disconnects", 1L);
            assertThat(writer.ask("s big END")).isEqualTo("OK");
            assertThat(fastMismatches.get(10, TimeUnit.SECONDS)).isEmpty();
            server.awaitStats("the dropped subscription to go", s -> s.subscriptions() == 1);

            // what the dropped one got before the close is a prefix of the pushes, in order, then end of stream
            byte[] got = slow.in().readAllBytes();
            List<String> lines = Arrays.asList(new String(got, StandardCharsets.UTF_8).split("\n", -1));
            String partial = lines.getLast();
            List<String> whole = lines.subList(0, lines.size() - 1);
            assertThat(whole.size()).as("it was dropped before the end").isLessThan(sent);
            for (int i = 0; i < whole.size(); i++) assertThat(whole.get(i)).as("push %d", i).isEqualTo(value(i));
            assertThat(value(whole.size())).startsWith(partial);
            assertThat(warnings).as("the disconnect is logged once").hasSize(1);
            assertThat(warnings.getFirst()).contains("disconnected").contains(String.valueOf(OUTPUT_LIMIT));
        } finally {
            netLog.removeHandler(handler);
        }
    }

    @Test
    void aClientWithAHugeQueueOfRepliesIsNeverDisconnected() throws Exception {
        server = TestServer.start(b -> b.maxOutputBytes(OUTPUT_LIMIT));
        String big = "b".repeat(32_000);
        try (TestClient c = TestClient.connect(server.port(), 4096)) {
            assertThat(c.ask("#g elsewhere")).isEqualTo("OK");
            assertThat(c.ask("s big " + big)).isEqualTo("OK");
            // 400 replies of 32 kB: 12.8 MB asked for in one write, 200 times the output limit
            c.send("g big\n".repeat(400));
            for (int i = 0; i < 400; i++) assertThat(c.readLine()).as("reply %d", i).isEqualTo(big);
            assertThat(c.ask("g nothing")).isEmpty();
        }
        assertThat(server.stats().slowConsumerDisconnects()).isZero();
    }

    @Test
    void aPushToASubscriberWhoseQueueIsFullOfRepliesDisconnectsIt() throws Exception {
        server = TestServer.start(b -> b.maxOutputBytes(OUTPUT_LIMIT));
        String big = "x".repeat(1_000_000);
        try (TestClient sub = TestClient.connect(server.port(), 4096); TestClient writer = server.client()) {
            assertThat(sub.ask("#g a")).isEqualTo("OK");
            assertThat(writer.ask("s big " + big)).isEqualTo("OK");
            long before = server.stats().commandsProcessed();
            sub.send("g big\n".repeat(8)); // 8 MB of replies: more than the socket buffers take (Linux: 4 MiB send max)
            server.awaitStats("the replies to be queued", s -> s.commandsProcessed() >= before + 8);

            assertThat(writer.ask("s a 1")).isEqualTo("OK");
            server.awaitStats("the subscriber to be dropped", s -> s.slowConsumerDisconnects() == 1);
            assertThat(server.stats().subscriptions()).isZero();

            // it gets a prefix of its replies, never the push, then end of stream
            byte[] got = sub.in().readAllBytes();
            assertThat(got.length).isLessThan(8 * (big.length() + 1));
            for (int i = 0; i < got.length; i++) {
                byte expected = (i + 1) % (big.length() + 1) == 0 ? (byte) '\n' : (byte) 'x';
                if (got[i] != expected) throw new AssertionError("byte " + i + " is " + got[i]);
            }
        }
    }

    /** The value of the {@code i}th push: its number, padded to {@link #VALUE_BYTES}. */
    private static String value(int i) {
        String n = String.format("%08d", i);
        return n + "x".repeat(VALUE_BYTES - n.length());
    }
}
