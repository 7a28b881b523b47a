package bite.db;

import bite.command.Command;
import bite.storage.ChangeSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads too big for one step of bite-db ({@link Database#INLINE_ENTRIES}) are rendered on a render thread: their
 * replies equal the inline rendering, come in order with the connection's other output (tagged in protocol 3), and
 * show the state at their position.
 */
class BigReadThreadTest {

    private DatabaseThread thread;

    @AfterEach
    void stop() throws InterruptedException {
        if (thread != null) thread.stop();
    }

    /** A connection that keeps the bytes queued for it, replies and pushes alike, in order. */
    private static final class BytesClient implements Client {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void reply(byte[] lines) {
            bytes.writeBytes(lines);
        }

        @Override
        public synchronized boolean push(byte[] line) {
            bytes.writeBytes(line);
            return true;
        }

        @Override
        public String name() {
            return "bytes";
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void bigReadsComeInOrderTaggedAndAtTheirPosition() throws Exception {
        Map<String, String> initial = new HashMap<>();
        for (int i = 0; i < 3 * Database.INLINE_ENTRIES; i++) initial.put("d." + i, "v\"" + i + "é");
        thread = new DatabaseThread(initial, 1024, ChangeSink.NONE);
        thread.start();
        Keyspace model = new Keyspace(initial);
        String json = JsonView.subtree(model, null);
        String wrapped = JsonView.wrapped(model, "d");
        model.put("d.0", "after");
        String jsonAfter = JsonView.subtree(model, "d");
        StringBuilder listing = new StringBuilder();
        model.subtree("d").forEachRemaining(e -> listing.append(listing.isEmpty() ? "" : "\0")
                .append(e.getKey().substring(2)).append(' ').append(e.getValue()));

        BytesClient c = new BytesClient();
        CompletableFuture<Void> done = new CompletableFuture<>();
        thread.submit(new Request.Batch(c, List.of(new Command.Hello(3, null), new Command.Json(null, false),
                new Command.Json("d", true), new Command.Set("d.0", "after"), new Command.Json("d", false),
                new Command.Keys("d"), new Command.Get("d.0")), done));
        done.get(30, TimeUnit.SECONDS);

        String hello = c.text().substring(0, c.text().indexOf('\n') + 1);
        assertThat(hello).startsWith("=OK 3 ");
        assertThat(c.text().substring(hello.length())).isEqualTo("=" + json + "\n=" + wrapped + "\n=OK\n="
                + jsonAfter + "\n=" + listing + "\n=after\n");
    }
}
