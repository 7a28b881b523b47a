package bite.storage;

import bite.e2e.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions across a crash and a stop, with the server as a real process: the ondisconnect actions of a session that
 * had not ended when the process died run exactly once, at the next start, before connections are served; a
 * graceful stop runs them before its final snapshot. "Exactly once" is seen through a flag the actions set: a later
 * write changes it back, and a second run would set it again.
 */
class SessionsProcessTest {

    private static final String RAN = "ondisconnect actions of";

    @TempDir
    Path tmp;

    private static TestClient client(BiteProcess server) throws Exception {
        return TestClient.connect(server.port()).readTimeout(Duration.ofSeconds(20));
    }

    /** A protocol-3 player who joined a room and registered its leaving, then vanished with the process. */
    private static void joinAndDie(BiteProcess server) throws Exception {
        try (TestClient c = client(server)) {
            assertThat(c.ask("hello 3")).startsWith("=OK 3 ");
            assertThat(c.ask("s room.7.players.p1 online")).isEqualTo("=OK");
            assertThat(c.ask("s room.7.players.p1.hp 10")).isEqualTo("=OK");
            assertThat(c.ask("ondisconnect dd room.7.players.p1")).isEqualTo("=OK");
            assertThat(c.ask("ondisconnect s room.7.flag gone")).isEqualTo("=OK");
            server.kill(); // with the connection open: the session never ended
        }
    }

    /** The actions ran (once, at this start): the player is gone; then the flag is set back and the server killed. */
    private static void assertRanThenReset(BiteProcess server) throws Exception {
        int port = server.port();
        assertThat(server.stderr()).contains("ran 2 " + RAN + " 1 sessions the last run did not end");
        try (TestClient c = TestClient.connect(port)) {
            assertThat(c.ask("k room.7")).isEqualTo("flag gone");
            assertThat(c.ask("s room.7.flag back")).isEqualTo("OK");
            assertThat(c.ask("info")).contains("\"ondisconnect_actions_pending\":0");
        }
        server.kill();
    }

    /** Nothing left to run: the flag keeps the value written after the one run. */
    private static void assertNotRunAgain(Path data) throws Exception {
        try (BiteProcess server = BiteProcess.start(data)) {
            try (TestClient c = client(server)) {
                assertThat(c.ask("k room.7")).isEqualTo("flag back");
            }
            assertThat(server.stderr()).doesNotContain(RAN);
        }
    }

    @Test
    void afterKill9ThePendingActionsRunExactlyOnceAtTheNextStart() throws Exception {
        Path data = tmp.resolve("data");
        try (BiteProcess first = BiteProcess.start(data)) {
            joinAndDie(first);
        }
        try (BiteProcess second = BiteProcess.start(data)) {
            assertRanThenReset(second);
        }
        assertNotRunAgain(data);
    }

    @Test
    void aCrashDuringRecoverysRunOfTheActionsRunsThemOnceOnTheNextStart() throws Exception {
        Path data = tmp.resolve("data");
        try (BiteProcess first = BiteProcess.start(data)) {
            joinAndDie(first);
        }
        // applied in memory, not yet written: the crash leaves the sessions on disk
        try (BiteProcess crashing = BiteProcess.start(List.of("-Dbite.crashAt=session-recovery-applied"), data)) {
            assertThat(crashing.exitCode()).isEqualTo(137);
            assertThat(crashing.stderr()).contains("crash point session-recovery-applied reached");
        }
        try (BiteProcess third = BiteProcess.start(data)) {
            assertRanThenReset(third);
        }
        assertNotRunAgain(data);
    }

    @Test
    void aCrashRightAfterRecoverysRunIsDurableRunsNothingAgain() throws Exception {
        Path data = tmp.resolve("data");
        try (BiteProcess first = BiteProcess.start(data)) {
            joinAndDie(first);
        }
        // written with the sessions' ends in one record, then the crash: the next start has nothing to run
        try (BiteProcess crashing = BiteProcess.start(List.of("-Dbite.crashAt=session-recovery-durable"), data)) {
            assertThat(crashing.exitCode()).isEqualTo(137);
        }
        try (BiteProcess third = BiteProcess.start(data)) {
            try (TestClient c = client(third)) {
                assertThat(c.ask("k room.7")).isEqualTo("flag gone");
            }
            assertThat(third.stderr()).doesNotContain(RAN);
        }
    }

    @Test
    void sigtermRunsEverySessionsActionsBeforeTheFinalSnapshot() throws Exception {
        Path data = tmp.resolve("data");
        try (BiteProcess server = BiteProcess.start(data, "--session-grace", "1h")) {
            try (TestClient inGrace = client(server); TestClient open = client(server)) {
                assertThat(inGrace.ask("hello 3")).startsWith("=OK 3 ");
                assertThat(inGrace.ask("s room.7.players.p1 online")).isEqualTo("=OK");
                assertThat(inGrace.ask("ondisconnect dd room.7.players.p1")).isEqualTo("=OK");
                inGrace.close();
                assertThat(open.ask("s room.7.players.p2 online")).isEqualTo("OK");
                assertThat(open.ask("ondisconnect d room.7.players.p2")).isEqualTo("OK");
                assertThat(open.ask("ondisconnect s room.7.flag stopped")).isEqualTo("OK");
                assertThat(server.terminate()).isEqualTo(0);
            }
        }
        try (BiteProcess server = BiteProcess.start(data)) {
            try (TestClient c = client(server)) {
                assertThat(c.ask("k room.7")).isEqualTo("flag stopped");
            }
            // everything came from the final snapshot: no log record to replay, no session left to run
            assertThat(server.stderr()).contains("then 0 log records").doesNotContain(RAN);
        }
    }
}
