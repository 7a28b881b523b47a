package bite.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** PROTOCOL.md "Sessions and presence" over real sockets: when a session's ondisconnect actions run, and takeovers. */
class SessionsE2ETest {

    private static final Pattern HELLO = Pattern.compile("=OK 3 ([0-9a-f]{16}) ([0-9a-f]{32})");
    private static final Duration LONG = Duration.ofHours(1); // a grace no test waits out

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    /** Says {@code hello 3} (with {@code session} when not null); returns the token the reply shows. */
    private static String hello3(TestClient c, String session) throws IOException {
        Matcher m = HELLO.matcher(c.ask(session == null ? "hello 3" : "hello 3 " + session));
        assertThat(m.matches()).as("hello 3's reply").isTrue();
        return m.group(2);
    }

    /** A protocol-3 subscriber of {@code #k room.7}; the reply's revision is skipped. */
    private TestClient watcher() throws IOException {
        TestClient w = server.client();
        hello3(w, null);
        assertThat(w.ask("#k room.7")).startsWith("=OK ");
        return w;
    }

    /**
     * Proves that nothing reached {@code watcher} before now: it notifies itself a marker, which must be the next
     * line (any push of an action that ran before would come first).
     */
    private static void nothingPushed(TestClient watcher, String marker) throws IOException {
        watcher.sendLines("! room.7.mark " + marker);
        assertThat(watcher.readLine()).matches(">k room\\.7 \\d+ mark " + marker);
        assertThat(watcher.readLine()).isEqualTo("=OK");
    }

    /** The next push's revision, after checking the rest of the line. */
    private static long push(TestClient watcher, String payload) throws IOException {
        String line = watcher.readLine();
        assertThat(line).matches(">k room\\.7 \\d+ " + Pattern.quote(payload));
        return Long.parseLong(line.split(" ")[2]);
    }

    @Test
    void protocol2ActionsRunAtCloseInOrderAsConsecutiveEvents() throws IOException {
        server = TestServer.start(b -> b.sessionGrace(LONG));
        try (TestClient w = watcher()) {
            try (TestClient c = server.client()) {
                assertThat(c.ask("s room.7.players.p1 online")).isEqualTo("OK");
                assertThat(c.ask("s room.7.players.p1.hp 10")).isEqualTo("OK");
                assertThat(c.ask("ondisconnect dd room.7.players.p1")).isEqualTo("OK");
                assertThat(c.ask("ondisconnect ! room.7.chat p1 left")).isEqualTo("OK");
                assertThat(c.ask("ondisconnect s room.7.count 1")).isEqualTo("OK");
                assertThat(push(w, "players.p1 online")).isEqualTo(1);
                assertThat(push(w, "players.p1.hp 10")).isEqualTo(2);
                nothingPushed(w, "open");
            }
            // dd deletes in key order, then the notification, then the set: revisions with no gap
            long first = push(w, "players.p1");
            assertThat(push(w, "players.p1.hp")).isEqualTo(first + 1);
            assertThat(push(w, "chat p1 left")).isEqualTo(first + 2);
            assertThat(push(w, "count 1")).isEqualTo(first + 3);
            assertThat(w.ask("g room.7.players.p1")).isEqualTo("=");
            assertThat(w.ask("g room.7.count")).isEqualTo("=1");
        }
    }

    @Test
    void protocol3ActionsRunAfterTheGrace() throws IOException {
        server = TestServer.start(b -> b.sessionGrace(Duration.ofMillis(200)));
        try (TestClient w = watcher()) {
            try (TestClient c = server.client()) {
                hello3(c, null);
                assertThat(c.ask("ondisconnect s room.7.p1 away")).isEqualTo("=OK");
            }
            push(w, "p1 away"); // within the reader's 5 s: the 200 ms grace ended
            Info.await(w, "no session in grace", i -> ((Number) i.get("sessions_in_grace")).intValue() == 0);
        }
    }

    @Test
    void quitEndsTheSessionAtOnce() throws IOException {
        server = TestServer.start(b -> b.sessionGrace(LONG));
        try (TestClient w = watcher(); TestClient c = server.client()) {
            hello3(c, null);
            assertThat(c.ask("ondisconnect s room.7.p1 gone")).isEqualTo("=OK");
            assertThat(c.ask("quit")).isEqualTo("=OK");
            push(w, "p1 gone"); // with an hour's grace: only quit can have run it
        }
    }

    @Test
    void aTakeoverWithinTheGraceRunsNothingUntilTheNewConnectionEnds() throws IOException {
        server = TestServer.start(b -> b.sessionGrace(LONG));
        try (TestClient w = watcher()) {
            String token;
            try (TestClient c = server.client()) {
                token = hello3(c, null);
                assertThat(c.ask("ondisconnect s room.7.p1 away")).isEqualTo("=OK");
            }
            Info.await(w, "the session in grace", i -> ((Number) i.get("sessions_in_grace")).intValue() == 1);
            try (TestClient again = server.client()) {
                assertThat(again.ask("ondisconnect ! room.7.fresh ended")).isEqualTo("OK"); // its own session's
                assertThat(hello3(again, token)).isEqualTo(token);
                push(w, "fresh ended"); // the session it held until then ended at once
                nothingPushed(w, "taken");
                assertThat(Info.of(w)).containsEntry("sessions_in_grace", 0L)
                        .containsEntry("ondisconnect_actions_pending", 1L);
                assertThat(again.ask("ondisconnect s room.7.p1 left")).isEqualTo("=OK");
                assertThat(again.ask("quit")).isEqualTo("=OK");
            }
            push(w, "p1 away"); // the actions stayed registered, in their order
            push(w, "p1 left");
        }
    }

    @Test
    void aTakeoverClosesTheOldConnectionWithoutEndingTheSession() throws IOException {
        server = TestServer.start(b -> b.sessionGrace(LONG));
        try (TestClient w = watcher(); TestClient old = server.client(); TestClient now = server.client()) {
            String token = hello3(old, null);
            assertThat(old.ask("ondisconnect s room.7.p1 away")).isEqualTo("=OK");
            assertThat(hello3(now, token)).isEqualTo(token);
            assertThat(old.readToEnd()).as("the old connection is closed").isEmpty();
            Info.await(w, "the old connection gone", i -> ((Number) i.get("connections")).intValue() == 2);
            nothingPushed(w, "closed");
            assertThat(Info.of(w)).containsEntry("sessions_in_grace", 0L)
                    .containsEntry("ondisconnect_actions_pending", 1L);
            now.ask("quit");
            push(w, "p1 away");
        }
    }

    @Test
    void anUnknownSessionTakesNothingOver() throws IOException {
        server = TestServer.start(b -> b.sessionGrace(LONG));
        try (TestClient c = server.client()) {
            String own = hello3(c, null);
            assertThat(hello3(c, "0".repeat(32))).isEqualTo(own);
            assertThat(hello3(c, "not-a-token")).isEqualTo(own);
        }
        try (TestClient fresh = server.client()) {
            String token = hello3(fresh, "f".repeat(32));
            assertThat(token).isNotEqualTo("f".repeat(32));
        }
    }

    @Test
    void anEndedSessionCannotBeTakenOver() throws IOException {
        server = TestServer.start(b -> b.sessionGrace(LONG));
        String token;
        try (TestClient c = server.client()) {
            token = hello3(c, null);
            c.ask("quit");
        }
        try (TestClient c = server.client()) {
            assertThat(hello3(c, token)).isNotEqualTo(token);
        }
    }

    @Test
    void aSessionIsTakenOverOnlyAfterAuth() throws IOException {
        server = TestServer.start(b -> b.sessionGrace(LONG).password("pw"));
        try (TestClient owner = server.client(); TestClient other = server.client()) {
            assertThat(owner.ask("auth pw")).isEqualTo("OK");
            String token = hello3(owner, null);
            assertThat(hello3(other, token)).as("before auth: keeps its own").isNotEqualTo(token);
            assertThat(other.ask("auth pw")).isEqualTo("=OK");
            assertThat(hello3(other, token)).isEqualTo(token);
        }
    }

    @Test
    void clearingForgetsEveryAction() throws IOException {
        server = TestServer.start(b -> b.sessionGrace(LONG));
        try (TestClient w = watcher()) {
            try (TestClient c = server.client()) {
                c.ask("ondisconnect s room.7.a 1");
                c.ask("ondisconnect d room.7.b");
                assertThat(c.ask("ondisconnect -")).isEqualTo("OK");
                assertThat(c.ask("ondisconnect s room.7.c 3")).isEqualTo("OK");
                assertThat(Info.of(c)).containsEntry("ondisconnect_actions_pending", 1L);
            }
            push(w, "c 3");
            nothingPushed(w, "cleared");
        }
    }

    @Test
    void invalidLinesAreRefusedAsTheirRequestWouldBe() throws IOException {
        server = TestServer.start(b -> b.sessionGrace(LONG).maxValueBytes(8).maxKeyBytes(16));
        try (TestClient c = server.client()) {
            assertThat(c.ask("ondisconnect")).isEqualTo("ERR invalid action");
            assertThat(c.ask("ondisconnect g a")).isEqualTo("ERR invalid action");
            assertThat(c.ask("ondisconnect s? a 1")).isEqualTo("ERR invalid action");
            assertThat(c.ask("ondisconnect +1 a")).isEqualTo("ERR invalid action");
            assertThat(c.ask("ondisconnect ondisconnect s a 1")).isEqualTo("ERR invalid action");
            assertThat(c.ask("ondisconnect nope a")).isEqualTo("ERR invalid action");
            assertThat(c.ask("ondisconnect - x")).isEqualTo("ERR invalid action");
            assertThat(c.ask("ondisconnect s")).isEqualTo("ERR missing key");
            assertThat(c.ask("ondisconnect d a b")).isEqualTo("ERR too many arguments");
            assertThat(c.ask("ondisconnect dd a b")).isEqualTo("ERR too many arguments");
            assertThat(c.ask("ondisconnect s .a 1")).isEqualTo("ERR invalid key");
            assertThat(c.ask("ondisconnect s " + "k".repeat(17) + " 1")).isEqualTo("ERR key too long");
            assertThat(c.ask("ondisconnect s a 123456789")).isEqualTo("ERR value too long");
            assertThat(c.ask("ONDISCONNECT S a 12345678")).isEqualTo("OK");
            assertThat(Info.of(c)).containsEntry("ondisconnect_actions_pending", 1L);
            hello3(c, null);
            assertThat(c.ask("ondisconnect k a")).isEqualTo("=ERR invalid action");
        }
    }

    @Test
    void aSessionHoldsAtMost1024Actions() throws IOException {
        server = TestServer.start(b -> b.sessionGrace(LONG));
        try (TestClient c = server.client()) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 1025; i++) lines.add("ondisconnect s room.7.n " + i);
            c.sendLines(lines.toArray(String[]::new));
            assertThat(c.readLines(1024)).containsOnly("OK");
            assertThat(c.readLine()).isEqualTo("ERR too many actions");
            assertThat(c.ask("ondisconnect -")).isEqualTo("OK");
            assertThat(c.ask("ondisconnect d room.7.n")).isEqualTo("OK");
        }
    }

    @Test
    void aSilentProtocol3ConnectionIsClosedAndItsGraceStarts() throws IOException {
        server = TestServer.start(b -> b.sessionGrace(Duration.ZERO).sessionTimeout(Duration.ofMillis(300)));
        try (TestClient w = server.client(); TestClient c = server.client()) {
            assertThat(w.ask("#k room.7")).isEqualTo("OK"); // protocol 2: no session timeout
            hello3(c, null);
            assertThat(c.ask("#g elsewhere")).startsWith("=OK"); // a subscriber too: no exemption
            assertThat(c.ask("ondisconnect s room.7.p1 lost")).isEqualTo("=OK");
            assertThat(c.readToEnd()).as("closed by the server").isEmpty();
            assertThat(w.readLine()).isEqualTo("p1 lost");
        }
    }

    @Test
    void infoCountsSessions() throws IOException {
        server = TestServer.start(b -> b.sessionGrace(LONG));
        try (TestClient a = server.client(); TestClient b = server.client()) {
            hello3(a, null);
            a.ask("ondisconnect s x 1");
            a.ask("ondisconnect s y 1");
            b.ask("ondisconnect d x");
            assertThat(Info.of(b)).containsEntry("sessions_open", 2L).containsEntry("sessions_in_grace", 0L)
                    .containsEntry("ondisconnect_actions_pending", 3L);
            a.close();
            Info.await(b, "a in grace", i -> ((Number) i.get("sessions_in_grace")).intValue() == 1);
            assertThat(Info.of(b)).containsEntry("sessions_open", 1L)
                    .containsEntry("ondisconnect_actions_pending", 3L);
        }
    }
}
