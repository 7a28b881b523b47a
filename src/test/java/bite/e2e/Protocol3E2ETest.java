package bite.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** PROTOCOL.md "Protocol 3" over real sockets: its examples byte for byte (EPOCH and SESSION aside), resumes, dd. */
class Protocol3E2ETest {

    private static final Pattern HELLO = Pattern.compile("=OK 3 ([0-9a-f]{16}) ([0-9a-f]{32})");

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    /** Says {@code hello 3}; returns the epoch. */
    private static String hello3(TestClient c) throws IOException {
        Matcher m = HELLO.matcher(c.ask("hello 3"));
        assertThat(m.matches()).as("hello 3's reply").isTrue();
        return m.group(1);
    }

    @Test
    void theProtocolsSessionLineForLine() throws IOException {
        server = TestServer.start();
        try (TestClient warm = server.client(); TestClient c = server.client()) {
            for (int i = 0; i < 40; i++) warm.sendLines("! warm.up " + i);
            assertThat(warm.readLines(40)).containsOnly("OK");
            String epoch = hello3(c);
            String transcript = c.transcript(String.join("\n", "#k room.7", "s room.7.p1.x 11", "g room.7.p1.x",
                    "#k room.7 from=" + epoch + ":40") + "\n");
            assertThat(transcript).isEqualTo("""
                    =OK 40
                    >k room.7 41 p1.x 11
                    =OK
                    =11
                    >k room.7 41 p1.x 11
                    =OK 41
                    """);
        }
    }

    @Test
    void helloAnswersAndEveryLaterLineIsTagged() throws IOException {
        server = TestServer.start(b -> b.maxLineBytes(64));
        try (TestClient c = server.client()) {
            assertThat(c.ask("hello 2")).isEqualTo("OK");
            assertThat(c.ask("hello")).isEqualTo("ERR unsupported protocol");
            assertThat(c.ask("hello 2 x")).isEqualTo("ERR too many arguments");
            assertThat(c.ask("#g a every=5")).as("protocol 2: a VALUE").isEqualTo("every=5");
            c.readLine(); // its OK
            String first = c.ask("hello 3");
            assertThat(first).matches(HELLO.pattern());
            assertThat(c.ask("hello 3")).as("the same session").isEqualTo(first);
            assertThat(c.ask("s a 1")).isEqualTo(">g a 2 1");
            assertThat(c.readLine()).isEqualTo("=OK");
            assertThat(c.ask("x")).isEqualTo("=ERR unknown command 'x'");
            assertThat(c.ask("#k a bad\u0001")).isEqualTo("=ERR invalid option 'bad?'");
            assertThat(c.ask("g nothing")).isEqualTo("=");
            assertThat(c.ask("dd a b")).isEqualTo("=ERR too many arguments");
            c.send(new byte[] {'g', ' ', (byte) 0xff, '\n'});
            assertThat(c.readLine()).isEqualTo("=ERR invalid utf-8");
            assertThat(c.transcript("s b " + "x".repeat(100))).isEqualTo("=ERR line too long\n");
        }
    }

    @Test
    void helloIsServedBeforeAuth() throws IOException {
        server = TestServer.start(b -> b.password("pw"));
        try (TestClient c = server.client()) {
            assertThat(c.ask("hello 3")).matches(HELLO.pattern());
            assertThat(c.ask("g a")).isEqualTo("=ERR auth required");
            assertThat(c.ask("auth pw")).isEqualTo("=OK");
            assertThat(c.ask("g a")).isEqualTo("=");
        }
    }

    @Test
    void aProtocol2WriterAndAProtocol3Subscriber() throws IOException {
        server = TestServer.start();
        try (TestClient writer = server.client(); TestClient sub = server.client();
             TestClient old = server.client()) {
            hello3(sub);
            assertThat(sub.ask("#j room")).isEqualTo("=OK 0");
            assertThat(old.ask("#k room")).isEqualTo("OK");
            writer.sendLines("s room.1.x 5", "d room.1.x", "! room hi", "#g room v", "dd room");
            assertThat(writer.readLines(6)).as("its own #g room pushes v").containsExactly("OK", "OK", "OK", "v", "OK",
                    "OK");
            assertThat(sub.readLines(4)).containsExactly(">j room 1 {\"1\":{\"x\":\"5\"}}",
                    ">j room 2 {\"1\":{\"x\":null}}", ">j room 3 {\"room\":\"hi\"}", ">j room 4 {\"room\":\"v\"}");
            assertThat(old.readLines(4)).containsExactly("1.x 5", "1.x", "room hi", "room v");
            assertThat(sub.ask("g room")).as("dd of nothing: no event").isEqualTo("=");
        }
    }

    @Test
    void ddDeletesASubtreeOneEventPerKeyInKeyOrder() throws IOException {
        server = TestServer.start();
        try (TestClient c = server.client(); TestClient sub = server.client()) {
            c.sendLines("s a.b 1", "s a.b.c 2", "s a 0", "s a.c 3", "s ab 4");
            assertThat(c.readLines(5)).containsOnly("OK");
            hello3(sub);
            assertThat(sub.ask("#k a")).isEqualTo("=OK 5");
            assertThat(c.ask("dd a")).isEqualTo("OK");
            assertThat(sub.readLines(4)).containsExactly(">k a 6 a", ">k a 7 b", ">k a 8 b.c", ">k a 9 c");
            assertThat(c.ask("k")).isEqualTo("ab 4");
        }
    }

    @Test
    void tenThousandEventsThenResumes() throws IOException {
        server = TestServer.start(b -> b.history(5_000));
        try (TestClient writer = server.client(); TestClient c = server.client()) {
            List<String> lines = new ArrayList<>();
            for (int i = 1; i <= 10_000; i++) lines.add(i % 2 == 0 ? "s game.p" + (i % 10) + " " + i : "! other " + i);
            writer.sendLines(lines.toArray(String[]::new));
            assertThat(writer.readLines(10_000)).containsOnly("OK");
            String epoch = hello3(c);

            // from the middle: every even event after 7000, in order, then the reply; long enough for several steps
            c.sendLines("#g game from=" + epoch + ":7000", "g game.p0");
            for (int i = 7_002; i <= 10_000; i += 2) assertThat(c.readLine()).isEqualTo(">g game " + i + " " + i);
            assertThat(c.readLine()).isEqualTo("=OK 10000");
            assertThat(c.readLine()).as("a request pipelined behind the replay").isEqualTo("=10000");

            assertThat(c.ask("#k game from=" + epoch + ":4999")).as("before the history").isEqualTo("=NO 10000");
            assertThat(c.ask("#k game from=" + epoch + ":10001")).as("after NOW").isEqualTo("=NO 10000");
            String other = epoch.equals("0000000000000000") ? "0000000000000001" : "0000000000000000";
            assertThat(c.ask("#k game from=" + other + ":9000")).as("another epoch").isEqualTo("=NO 10000");
            c.sendLines("#j game from=" + epoch + ":5000"); // oldest - 1: the whole history
            for (int i = 5_002; i <= 10_000; i += 2) {
                assertThat(c.readLine()).isEqualTo(">j game " + i + " {\"p" + (i % 10) + "\":\"" + i + "\"}");
            }
            assertThat(c.readLine()).isEqualTo("=OK 10000");

            assertThat(writer.ask("s game.p1 last")).isEqualTo("OK");
            assertThat(c.readLines(3)).as("#k, made by its =NO, pushes live like the others")
                    .containsExactlyInAnyOrder(">g game 10001 last", ">k game 10001 p1 last",
                            ">j game 10001 {\"p1\":\"last\"}");
        }
    }

    @Test
    void everyMergesToTheLatestValuePerKeyInRevisionOrder() throws IOException {
        server = TestServer.start();
        try (TestClient writer = server.client(); TestClient c = server.client()) {
            hello3(c);
            assertThat(c.ask("#k room every=1000")).isEqualTo("=OK 0");
            List<String> sets = new ArrayList<>();
            for (int i = 1; i <= 100; i++) sets.add("s room.a " + i);
            sets.add("s room.b x");
            sets.add("d room.b");
            writer.sendLines(sets.toArray(String[]::new));
            assertThat(writer.readLines(102)).containsOnly("OK");
            List<String> got = new ArrayList<>();
            long lastRevision = 0;
            boolean sawLatestA = false;
            boolean sawDeleteOfB = false;
            while (!(sawLatestA && sawDeleteOfB)) {
                String line = c.readLine(); // fails after 5 s without a line: a window is 1 s
                got.add(line);
                String[] parts = line.split(" ", 4);
                assertThat(parts[0] + " " + parts[1]).isEqualTo(">k room");
                long revision = Long.parseLong(parts[2]);
                assertThat(revision).as("in revision order: %s", got).isGreaterThan(lastRevision);
                lastRevision = revision;
                sawLatestA |= parts[3].equals("a 100");
                sawDeleteOfB |= parts[3].equals("b");
            }
            // each window sends at most one line per key, and the reads above end within a few windows of 1 s
            assertThat(got).as("merged: %s", got).hasSizeLessThan(20);
            assertThat(got.getLast()).as("the delete of b is the last event").isEqualTo(">k room 102 b");
            assertThat(got).contains(">k room 100 a 100");
        }
    }
}
