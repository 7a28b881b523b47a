package bite.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ping}, {@code quit} and {@code info}. */
class AdminCommandsE2ETest {

    /** Every field of {@code info}, in order, with and without persistence. */
    private static final List<String> FIELDS = List.of("version", "uptime_seconds", "connections",
            "parked_connections", "rejected_connections", "denied_requests", "memory_used_bytes", "memory_max_bytes", "memory_after_gc_bytes",
            "memory_cap_bytes", "memory_over_cap", "persist", "fsync", "last_snapshot_time",
            "last_snapshot_bytes", "log_bytes", "disk_error", "keys", "subscriptions", "commands_processed",
            "pushes_sent", "slow_consumer_disconnects", "epoch", "revision", "history_size", "history_oldest",
            "user_connections", "sessions_open", "sessions_in_grace", "ondisconnect_actions_pending");

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void pingAnswersPong() throws IOException {
        server = TestServer.start();
        try (TestClient c = server.client()) {
            c.sendLines("ping", "PING", "\tPing  ", "ping x");
            assertThat(c.readLines(4)).containsExactly("PONG", "PONG", "PONG", "ERR too many arguments");
        }
    }

    @Test
    void quitAnswersOkThenClosesAndIgnoresWhatFollows() throws IOException {
        server = TestServer.start();
        try (TestClient c = server.client()) {
            assertThat(c.ask("quit now")).as("quit takes no argument").isEqualTo("ERR too many arguments");
            c.send("s a 1\nQUIT\ns a 2\n");
            assertThat(c.readToEnd()).isEqualTo("OK\nOK\n");
        }
        try (TestClient c = server.client()) {
            assertThat(c.ask("g a")).as("nothing after quit is applied").isEqualTo("1");
        }
    }

    @Test
    void infoIsOneJsonLineWithEveryField() throws IOException {
        server = TestServer.start();
        try (TestClient c = server.client(); TestClient watcher = server.client()) {
            c.sendLines("s a 1", "s b.c 2", "s b.d 3");
            assertThat(c.readLines(3)).containsOnly("OK");
            watcher.sendLines("#g a", "#k b", "#k b");
            assertThat(watcher.readLines(3)).containsOnly("OK");
            assertThat(c.ask("s a 9")).isEqualTo("OK");
            assertThat(watcher.readLine()).isEqualTo("9");

            Map<String, Object> info = Info.of(c);
            assertThat(info.keySet()).containsExactlyElementsOf(FIELDS);
            assertThat(info.get("version")).isInstanceOfSatisfying(String.class, v -> assertThat(v).isNotBlank());
            assertThat((Long) info.get("uptime_seconds")).isBetween(0L, 60L);
            assertThat(info.get("connections")).isEqualTo(2L);
            assertThat(info.get("rejected_connections")).isEqualTo(0L);
            assertThat((Long) info.get("memory_used_bytes")).isPositive()
                    .isLessThanOrEqualTo((Long) info.get("memory_max_bytes"));
            assertThat((Long) info.get("memory_cap_bytes")).as("80 % of the max heap by default")
                    .isEqualTo((Long) info.get("memory_max_bytes") / 100 * 80);
            assertThat((Long) info.get("memory_after_gc_bytes")).isPositive();
            assertThat(info.get("memory_over_cap")).isEqualTo(false);
            assertThat(info.get("persist")).isEqualTo(false);
            assertThat(info).containsEntry("fsync", null).containsEntry("last_snapshot_time", null)
                    .containsEntry("last_snapshot_bytes", 0L).containsEntry("log_bytes", 0L)
                    .containsEntry("disk_error", null);
            assertThat(info.get("keys")).as("a, b.c, b.d").isEqualTo(3L);
            assertThat(info.get("subscriptions")).as("#k b twice is one").isEqualTo(2L);
            assertThat(info.get("commands_processed")).as("3 sets, 3 subscribes, 1 set, and this info").isEqualTo(8L);
            assertThat(info.get("pushes_sent")).isEqualTo(1L);
            assertThat(info.get("slow_consumer_disconnects")).isEqualTo(0L);

            assertThat(c.ask("d b.c")).isEqualTo("OK");
            watcher.readLine(); // the push of the delete
            assertThat(Info.of(c)).containsEntry("keys", 2L).containsEntry("pushes_sent", 2L);
            assertThat(c.ask("info now")).isEqualTo("ERR too many arguments");
        }
        try (TestClient c = server.client()) {
            // the subscriptions go first, then the connection leaves the count: wait for both
            Info.await(c, "the closed connections and their subscriptions to go",
                    i -> i.get("subscriptions").equals(0L) && i.get("connections").equals(1L));
        }
    }

    @Test
    void infoWithPersistenceReportsTheStorage(@TempDir Path dir) throws IOException {
        server = TestServer.start(b -> b.persist(true).dataDir(dir).snapshotInterval(Duration.ofMillis(20)));
        try (TestClient c = server.client()) {
            assertThat(c.ask("s a 1")).isEqualTo("OK");
            Map<String, Object> info = Info.await(c, "a snapshot", i -> i.get("last_snapshot_time") != null);
            assertThat(info.keySet()).containsExactlyElementsOf(FIELDS);
            assertThat(info).containsEntry("persist", true).containsEntry("fsync", "everysec")
                    .containsEntry("disk_error", null).containsEntry("keys", 1L);
            assertThat(Instant.parse((String) info.get("last_snapshot_time"))).isBefore(Instant.now().plusSeconds(1));
            assertThat((Long) info.get("last_snapshot_bytes")).isPositive();
            assertThat((Long) info.get("log_bytes")).isNotNegative();
        }
    }
}
