package bite.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PROTOCOL.md "every=MS", the slow-reader rule over sockets: a tick-batched subscriber that stops reading while a
 * writer changes 100 keys at full speed is not disconnected (its pending set only merges), and when it reads again
 * it gets the latest value of every key; a plain subscriber beside it, not reading either, is disconnected.
 */
class EverySlowReaderE2ETest {

    private static final int KEYS = 100;

    @Test
    void aTickBatchedSubscriberThatStopsReadingIsNotDisconnectedAndGetsTheLatestValues() throws Exception {
        try (TestServer server = TestServer.start(b -> b.maxOutputBytes(64 * 1024));
             TestClient ticked = TestClient.connect(server.port(), 4096);
             TestClient plain = TestClient.connect(server.port(), 4096);
             TestClient writer = server.client()) {
            assertThat(ticked.ask("hello 3")).startsWith("=OK 3 ");
            assertThat(ticked.ask("#k room every=20")).isEqualTo("=OK 0");
            assertThat(plain.ask("#k room")).isEqualTo("OK");

            // neither subscriber reads now; the writer goes on at full speed until the plain one is dropped
            int round = 0;
            while (server.stats().slowConsumerDisconnects() == 0) {
                round++;
                StringBuilder sets = new StringBuilder();
                for (int k = 0; k < KEYS; k++) sets.append("s room.p").append(k).append(' ').append(round).append('\n');
                writer.send(sets.toString());
                assertThat(writer.readLines(KEYS)).containsOnly("OK");
                assertThat(round).as("the plain subscriber is dropped within bounded output").isLessThan(100_000);
            }
            StringBuilder last = new StringBuilder();
            for (int k = 0; k < KEYS; k++) last.append("s room.p").append(k).append(" last").append(k).append('\n');
            writer.send(last.toString());
            assertThat(writer.readLines(KEYS)).containsOnly("OK");

            // reading again: batches come until every key's latest value has been seen
            Map<String, String> latest = new HashMap<>();
            int lines = 0;
            while (!(latest.size() == KEYS && latest.values().stream().allMatch(v -> v.startsWith("last")))) {
                String line = ticked.readLine();
                lines++;
                String[] parts = line.split(" ", 5);
                assertThat(parts[0]).isEqualTo(">k");
                latest.put(parts[3], parts[4]);
            }
            for (int k = 0; k < KEYS; k++) assertThat(latest).containsEntry("p" + k, "last" + k);
            assertThat(lines).as("merged while not reading: far fewer lines than %d events", (round + 1) * KEYS)
                    .isLessThan((round + 1) * KEYS);
            assertThat(server.stats().slowConsumerDisconnects()).as("only the plain subscriber").isEqualTo(1);
            assertThat(ticked.ask("g room.p0")).as("still connected").isEqualTo("=last0");
        }
    }
}
