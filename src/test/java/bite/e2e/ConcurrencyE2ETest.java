package bite.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Many connections at once: each one's replies stay in its own request order, and pushes never split a line. */
class ConcurrencyE2ETest extends FreshServerPerTest {


    @Test
    void pipeliningClientsEachGetTheirRepliesInOrder() throws Exception {
        int clients = 8;
        int pairs = 1000;
        List<CompletableFuture<String>> transcripts = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            StringBuilder input = new StringBuilder();
            for (int i = 0; i < pairs; i++) input.append("+1 shared\n+1 own.").append(c).append('\n');
            transcripts.add(CompletableFuture.supplyAsync(() -> {
                try (TestClient client = server.client()) {
                    return client.transcript(input.toString());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, command -> Thread.ofVirtual().start(command)));
        }
        for (CompletableFuture<String> transcript : transcripts) {
            List<String> lines = transcript.get(20, TimeUnit.SECONDS).lines().toList();
            assertThat(lines).hasSize(2 * pairs);
            long lastShared = 0;
            for (int i = 0; i < pairs; i++) {
                long shared = Long.parseLong(lines.get(2 * i));
                assertThat(shared).as("the shared counter only goes up").isGreaterThan(lastShared);
                lastShared = shared;
                assertThat(lines.get(2 * i + 1)).as("its own counter").isEqualTo(String.valueOf(i + 1));
            }
        }
        try (TestClient c = server.client()) {
            assertThat(c.ask("g shared")).isEqualTo(String.valueOf(clients * pairs));
        }
    }

    @Test
    void pushesInterleaveWithRepliesOnlyBetweenWholeLines() throws Exception {
        int n = 2000;
        String reply = "r".repeat(700);
        try (TestClient sub = server.client(); TestClient writer = server.client()) {
            assertThat(sub.ask("s value " + reply)).isEqualTo("OK");
            assertThat(sub.ask("#g feed")).isEqualTo("OK");
            CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
                try {
                    StringBuilder input = new StringBuilder();
                    for (int i = 0; i < n; i++) input.append("s feed ").append(push(i)).append('\n');
                    writer.send(input.toString());
                    assertThat(writer.readLines(n)).containsOnly("OK");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, command -> Thread.ofVirtual().start(command));
            sub.send("g value\n".repeat(n));

            int replies = 0;
            int pushes = 0;
            while (replies < n || pushes < n) {
                String line = sub.readLine();
                if (line.equals(reply)) {
                    replies++;
                } else {
                    assertThat(line).as("after %d pushes and %d replies", pushes, replies).isEqualTo(push(pushes));
                    pushes++;
                }
            }
            writes.get(20, TimeUnit.SECONDS);
            assertThat(sub.ask("g nothing")).isEmpty();
        }
    }

    private static String push(int i) {
        return "push-" + i + "-" + "p".repeat(500);
    }
}
