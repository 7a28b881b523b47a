package bite.e2e;

import bite.access.Python;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static bite.e2e.AccessFixture.tokenFor;
import static bite.e2e.AccessFixture.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Users, tokens and rules end to end (PROTOCOL.md "Users and access rules"): who gets {@code ERR forbidden} for
 * what, in which order with the other errors, and what a refused request leaves unchanged.
 */
class AccessE2ETest {

    private static final List<String> RULES = List.of(
            "# one role per permission on data, and the game of docs/ACCESS.md",
            "reader    r    data",
            "writer    w    data",
            "notifier  n    data",
            "admin     rwn  **",
            "player    r    room.*",
            "player    w    room.*.players.$user",
            "player    n    room.*.chat");

    @TempDir
    Path dir;
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private void start(List<String> rules) throws IOException {
        List<String> users = new ArrayList<>();
        for (String name : List.of("reader", "writer", "notifier", "admin")) users.add(user(name, name, "pw-" + name));
        users.add(user("alice", "player", "pw-alice"));
        users.add(user("bob", "player", "pw-bob"));
        var files = AccessFixture.files(dir, users, rules);
        server = TestServer.start(b -> files.apply(b.password("open sesame").maxAuthFailures(3)));
    }

    private TestClient as(String name) throws IOException {
        TestClient c = server.client();
        assertThat(c.ask("auth " + name + " pw-" + name)).as("auth as " + name).isEqualTo("OK");
        return c;
    }

    @Test
    void everyCommandIsForbiddenWithoutItsPermissionAndServedWithIt() throws IOException {
        start(RULES);
        // each request and the permissions it needs: r, w, n on data (or its keys), or on ** ("*")
        Map<String, String> needs = new java.util.LinkedHashMap<>();
        needs.put("g data.k", "r");
        needs.put("k data", "r");
        needs.put("j data", "r");
        needs.put("js data", "r");
        needs.put("#g data.k", "r");
        needs.put("#k data", "r");
        needs.put("#j data", "r");
        needs.put("#g data.k hello", "rn");
        needs.put("s data.k v", "w");
        needs.put("s? data.k2 v", "w");
        needs.put("sl | data.a 1| data.b 2", "w");
        needs.put("+1 data.n", "w");
        needs.put("+ data.k x", "w");
        needs.put("d data.k", "w");
        needs.put("dd data.x", "w");
        needs.put("! data.k hi", "n");
        needs.put("#- data.k bye", "n");
        needs.put("#- data.k", "");
        needs.put("info", "*");
        needs.put("k", "*");
        needs.put("j", "*");
        needs.put("js", "*");
        needs.put("ping", "");
        needs.put("hello 2", "");
        Map<String, String> grants = Map.of("reader", "r", "writer", "w", "notifier", "n", "admin", "rwn*");
        int checked = 0;
        for (Map.Entry<String, String> request : needs.entrySet()) {
            for (Map.Entry<String, String> user : grants.entrySet()) {
                boolean allowed = request.getValue().chars().allMatch(p -> user.getValue().indexOf(p) >= 0);
                try (TestClient c = as(user.getKey())) {
                    String reply = c.ask(request.getKey());
                    if (allowed) {
                        assertThat(reply).as(user.getKey() + ": " + request.getKey()).doesNotStartWith("ERR");
                    } else {
                        assertThat(reply).as(user.getKey() + ": " + request.getKey()).isEqualTo("ERR forbidden");
                    }
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(needs.size() * grants.size());
    }

    @Test
    void syntaxErrorsComeBeforeForbiddenAndForbiddenBeforeTheCommandsOwnChecks() throws IOException {
        start(RULES);
        try (TestClient admin = as("admin"); TestClient alice = as("alice")) {
            assertThat(admin.ask("s room.1.name lobby")).isEqualTo("OK");
            alice.sendLines("s room..x v", "g", "k", "ping x", "#g room.1 every=5", "+1 room.1.name",
                    "+1 room.1.players.alice.name",
                    "sl | room.1.players.alice.a 1| room..b 2", "sl | room.1.players.bob.a 1| room.1.players.alice.b 2");
            assertThat(alice.readLines(9)).containsExactly(
                    "ERR invalid key",            // the key's syntax first
                    "ERR missing key",
                    "ERR forbidden",              // 'k' with no key reads the whole database: needs r on **
                    "ERR too many arguments",
                    "ERR forbidden",              // a protocol-2 VALUE: needs r and n on room.1
                    "ERR forbidden",              // before 'value is not an integer'
                    "1",                          // her own slot: +1 of an absent key
                    "ERR invalid key",            // every item's syntax before any item's permission
                    "ERR forbidden");
        }
    }

    @Test
    void anSlWithOneForbiddenItemChangesNothing() throws IOException {
        start(RULES);
        try (TestClient alice = as("alice"); TestClient admin = as("admin")) {
            assertThat(alice.ask("sl | room.1.players.alice.x 1| room.1.players.bob.x 2| room.1.players.alice.y 3"))
                    .isEqualTo("ERR forbidden");
            assertThat(admin.ask("j room")).isEqualTo("{}");
            assertThat(alice.ask("sl | room.1.players.alice.x 1| room.1.players.alice.y 3")).isEqualTo("OK");
            assertThat(admin.ask("j room")).isEqualTo("{\"1\":{\"players\":{\"alice\":{\"x\":\"1\",\"y\":\"3\"}}}}");
        }
    }

    @Test
    void subscribingNeedsReadAndAPermittedSubscriptionHearsChanges() throws IOException {
        start(RULES);
        try (TestClient alice = as("alice"); TestClient writer = as("writer"); TestClient admin = as("admin")) {
            for (String sub : List.of("#g data.k", "#k data", "#j data", "#k room", "#g room.1.players.bob hi")) {
                assertThat(alice.ask(sub)).as(sub).isEqualTo("ERR forbidden");
            }
            assertThat(alice.ask("#k room.1")).isEqualTo("OK");
            assertThat(writer.ask("s data.k v")).isEqualTo("OK");
            assertThat(admin.ask("s room.1.players.bob.pos 3,4")).isEqualTo("OK");
            assertThat(alice.readLine()).as("only the permitted subscription pushes")
                    .isEqualTo("players.bob.pos 3,4");
        }
    }

    @Test
    void twoPlayersCannotTouchEachOthersSubtree() throws IOException {
        start(RULES);
        try (TestClient alice = as("alice"); TestClient bob = as("bob")) {
            assertThat(bob.ask("s room.1.players.bob.pos 1,1")).isEqualTo("OK");
            for (String line : List.of("s room.1.players.bob.pos 0,0", "s? room.1.players.bob.hp 1",
                    "+1 room.1.players.bob.score", "+ room.1.players.bob.pos x", "d room.1.players.bob.pos",
                    "dd room.1.players.bob", "sl | room.1.players.bob.pos 9,9", "! room.1.players.bob hi",
                    "s room.1.players.alice2.pos 0,0", "s room.1.players 0,0", "d room.1")) {
                assertThat(alice.ask(line)).as(line).isEqualTo("ERR forbidden");
            }
            assertThat(alice.ask("g room.1.players.bob.pos")).as("reading is allowed: r on room.*").isEqualTo("1,1");
            assertThat(alice.ask("s room.1.players.alice.pos 2,2")).isEqualTo("OK");
            assertThat(bob.ask("s room.1.players.alice.pos 0,0")).isEqualTo("ERR forbidden");
            assertThat(bob.ask("j room.1.players")).isEqualTo("{\"alice\":{\"pos\":\"2,2\"},\"bob\":{\"pos\":\"1,1\"}}");
        }
    }

    @Test
    void aPlayerWithATokenGetsTheRulesOfItsRoleAndAnUnknownRoleGetsNothing() throws IOException {
        start(RULES);
        try (TestClient carol = server.client(); TestClient ghost = server.client()) {
            assertThat(carol.ask("auth " + tokenFor("carol", null))).isEqualTo("OK");
            assertThat(carol.ask("s room.2.players.carol.pos 1,2")).isEqualTo("OK");
            assertThat(carol.ask("s room.2.players.alice.pos 1,2")).isEqualTo("ERR forbidden");
            assertThat(ghost.ask("auth " + tokenFor("casper", "ghost"))).isEqualTo("OK");
            for (String line : List.of("g room.2.players.carol.pos", "k", "#k room.2", "s room.2.players.casper.x 1",
                    "! room.2.chat boo", "info")) {
                assertThat(ghost.ask(line)).as(line).isEqualTo("ERR forbidden");
            }
            assertThat(ghost.ask("ping")).isEqualTo("PONG");
        }
    }

    @Test
    void aTokenMadeByPythonsStandardLibraryAuthenticates() throws Exception {
        start(RULES);
        String token = Python.run("""
                import base64, hashlib, hmac, json, sys, time
                b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
                head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
                body = b64(json.dumps({"sub": "dave", "exp": int(time.time()) + 600}).encode())
                sig = b64(hmac.new(sys.argv[1].encode(), f"{head}.{body}".encode(), hashlib.sha256).digest())
                print(f"{head}.{body}.{sig}")
                """, AccessFixture.SECRET);
        try (TestClient dave = server.client(); TestClient admin = as("admin")) {
            assertThat(dave.ask("auth " + token)).isEqualTo("OK");
            assertThat(dave.ask("s room.3.players.dave.pos 5,5")).isEqualTo("OK");
            assertThat(admin.ask("g room.3.players.dave.pos")).isEqualTo("5,5");
            assertThat(admin.ask("info")).contains("\"dave\":1");
        }
    }

    @Test
    void forgedExpiredAndOtherSecretsTokensAreWrongPasswordsAndCloseTheConnectionAtTheLimit() throws IOException {
        start(RULES);
        long past = System.currentTimeMillis() / 1000 - 10;
        String expired = AccessFixture.token("{\"sub\":\"eve\",\"exp\":" + past + "}");
        String otherSecret = AccessFixture.token("another secret that is also longer than 32 bytes",
                "{\"sub\":\"eve\",\"exp\":" + (past + 3600) + "}");
        String forged = tokenFor("eve", "admin").substring(0, 40) + "x" + tokenFor("eve", "admin").substring(41);
        try (TestClient eve = server.client()) {
            eve.send("auth " + expired + "\nauth " + otherSecret + "\nauth " + forged + "\ng data.k\n");
            assertThat(eve.readToEnd()).isEqualTo("ERR invalid password\n".repeat(3));
        }
    }

    @Test
    void aConnectionKeepsItsFirstIdentity() throws IOException {
        start(RULES);
        try (TestClient alice = as("alice")) {
            assertThat(alice.ask("auth bob pw-bob")).isEqualTo("ERR already authenticated as someone else");
            assertThat(alice.ask("auth open sesame")).isEqualTo("ERR already authenticated as someone else");
            assertThat(alice.ask("auth " + tokenFor("bob", null))).isEqualTo("ERR already authenticated as someone else");
            assertThat(alice.ask("auth alice pw-alice")).as("the same user again").isEqualTo("OK");
            assertThat(alice.ask("auth " + tokenFor("alice", null))).as("a fresh token of the same user and role")
                    .isEqualTo("OK");
            assertThat(alice.ask("s room.1.players.bob.pos 0,0")).as("still alice").isEqualTo("ERR forbidden");
            assertThat(alice.ask("s room.1.players.alice.pos 0,0")).isEqualTo("OK");
        }
    }

    @Test
    void theServerPasswordEvenWithSpacesIsAllowedEverythingAndUsersNeedAuthFirst() throws IOException {
        start(RULES);
        try (TestClient c = server.client()) {
            c.sendLines("g data.k", "ping", "info", "hello 2");
            assertThat(c.readLines(4)).containsExactly("ERR auth required", "ERR auth required", "ERR auth required",
                    "OK");
            assertThat(c.ask("auth open sesame")).as("two words, no such user: the server password").isEqualTo("OK");
            assertThat(c.ask("s anything.at.all 1")).isEqualTo("OK");
            assertThat(c.ask("info")).startsWith("{");
        }
        try (TestClient c = server.client()) {
            c.sendLines("auth alice pw-bob", "auth alice", "auth nobody pw-alice", "ping");
            assertThat(c.readToEnd()).as("wrong users and passwords count as failures; the third closes")
                    .isEqualTo("ERR invalid password\n".repeat(3));
        }
    }

    @Test
    void infoCountsDeniedRequestsAndConnectionsPerUser() throws IOException {
        start(RULES);
        try (TestClient alice = as("alice"); TestClient alice2 = as("alice"); TestClient admin = as("admin")) {
            assertThat(alice.ask("d room.1")).isEqualTo("ERR forbidden");
            assertThat(alice2.ask("info")).isEqualTo("ERR forbidden");
            String info = admin.ask("info");
            assertThat(info).contains("\"denied_requests\":2")
                    .contains("\"user_connections\":{\"admin\":1,\"alice\":2}");
        }
    }

    @Test
    void withoutRulesUsersAndTokenHoldersMayDoEverything() throws IOException {
        start(null);
        try (TestClient alice = as("alice"); TestClient t = server.client()) {
            assertThat(alice.ask("s data.secret 1")).isEqualTo("OK");
            assertThat(alice.ask("info")).startsWith("{");
            assertThat(t.ask("auth " + tokenFor("zed", "nobody"))).isEqualTo("OK");
            assertThat(t.ask("dd data")).isEqualTo("OK");
        }
    }
}
