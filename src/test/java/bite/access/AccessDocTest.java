package bite.access;

import bite.Config;
import bite.Server;
import bite.command.Command;
import bite.e2e.TestClient;
import bite.protocol.CommandParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/ACCESS.md's examples, as written: its users file, its Python token issuer, its game's rules and its table of
 * what alice may do.
 */
class AccessDocTest {

    private final String doc = Files.readString(Path.of("docs/ACCESS.md"));

    AccessDocTest() throws Exception {
    }

    /** The lines of the fenced block whose first line is {@code firstLine}. */
    private List<String> block(String firstLine) {
        Matcher start = Pattern.compile("(?m)^```[a-z]*\n(?=" + Pattern.quote(firstLine) + "\n)").matcher(doc);
        assertThat(start.find()).as("a block starting with " + firstLine).isTrue();
        return doc.substring(start.end(), doc.indexOf("```", start.end())).lines().toList();
    }

    @Test
    void theUsersFileExampleIsRealWithThePasswordsItNames() throws Exception {
        Users users = Users.parse(block("# name        role    hash"), "ACCESS.md");
        assertThat(users.authenticate("alice", "alice-secret".toCharArray())).isEqualTo("player");
        assertThat(users.authenticate("game-server", "server-secret".toCharArray())).isEqualTo("server");
        assertThat(users.authenticate("alice", "server-secret".toCharArray())).isNull();
        Users server = Users.parse(
                block("# users.txt (the line from `java -jar bite.jar passwd game-server server`; this one's password"
                        + " is server-secret)"), "ACCESS.md");
        assertThat(server.authenticate("game-server", "server-secret".toCharArray())).isEqualTo("server");
    }

    @Test
    void thePythonExampleIssuesATokenTheVerifierAccepts() throws Exception {
        String example = String.join("\n", block("import base64, hashlib, hmac, json, time"));
        String secret = "an example secret of more than 32 bytes";
        String token = Python.run("import sys\nSECRET = sys.argv[1].encode()\n" + example + "\nprint(token)\n", secret);
        TokenVerifier verifier = new TokenVerifier(secret.getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
        assertThat(verifier.verify(token)).isInstanceOfSatisfying(TokenVerifier.Result.Accepted.class, a -> {
            assertThat(a.user()).isEqualTo("alice");
            assertThat(a.role()).isEqualTo("player");
        });
    }

    /** The game example played against a real server: its files, its Python token, its table in order. */
    @Test
    void theGameExampleWorksAsWrittenAgainstARealServer(@TempDir Path dir) throws Exception {
        Path rules = Files.write(dir.resolve("rules.txt"), block("# rules.txt"));
        Path users = Files.write(dir.resolve("users.txt"), block("# users.txt (the line from `java -jar bite.jar passwd"
                + " game-server server`; this one's password is server-secret)"));
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        Path secret = Files.writeString(dir.resolve("token-secret"), HexFormat.of().formatHex(random) + "\n");
        String token = Python.run("import os\nos.chdir(" + pythonString(dir.toString()) + ")\n"
                + "SECRET = open(\"token-secret\", \"rb\").read().strip()\n"
                + String.join("\n", block("import base64, hashlib, hmac, json, time")) + "\nprint(token)\n");
        Config config = Config.builder().port(0).persist(false).usersFile(users).rulesFile(rules)
                .tokenSecretFile(secret).build();
        try (Server server = new Server(config).start();
             TestClient game = TestClient.connect(server.port()); TestClient alice = TestClient.connect(server.port())) {
            assertThat(game.ask("auth game-server server-secret")).isEqualTo("OK");
            assertThat(game.ask("s room.7.players.bob.pos 0,0")).isEqualTo("OK");
            assertThat(alice.ask("auth " + token)).isEqualTo("OK");
            Matcher row = Pattern.compile("(?m)^\\| `([^`]+)` \\| `(OK|ERR forbidden)` \\|").matcher(doc);
            int rows = 0;
            while (row.find()) {
                alice.sendLines(row.group(1));
                String reply = alice.readLine();
                while (!reply.equals("OK") && !reply.startsWith("ERR ")) reply = alice.readLine(); // her pushes
                assertThat(reply).as(row.group(1)).isEqualTo(row.group(2));
                rows++;
            }
            assertThat(rows).isEqualTo(8);
            assertThat(game.ask("g room.7.players.alice.pos")).isEqualTo("10,4");
            assertThat(game.ask("g room.7.players.bob.pos")).as("alice's refused write changed nothing")
                    .isEqualTo("0,0");
            assertThat(game.ask("info")).as("the server role may do everything").contains("\"denied_requests\":5");
            assertThat(game.ask("dd room")).isEqualTo("OK");
        }
    }

    private static String pythonString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Test
    void theGameTableIsWhatTheRulesGiveAlice() throws Exception {
        Rules rules = Rules.parse(block("# rules.txt"), "ACCESS.md");
        CommandParser parser = new CommandParser(1024);
        Matcher row = Pattern.compile("(?m)^\\| `([^`]+)` \\| `(OK|ERR forbidden)` \\|").matcher(doc);
        List<String> checked = new ArrayList<>();
        while (row.find()) {
            Command command = parser.parse(row.group(1));
            boolean allowed = CommandPermissions.allowed(rules, "player", "alice", command);
            assertThat(allowed ? "OK" : "ERR forbidden").as(row.group(1)).isEqualTo(row.group(2));
            checked.add(row.group(1));
        }
        assertThat(checked).hasSize(8);
        assertThat(CommandPermissions.allowed(rules, "server", "game-server", parser.parse("info"))).isTrue();
    }
}
