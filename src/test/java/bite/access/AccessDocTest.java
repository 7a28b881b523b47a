package bite.access;

import bite.command.Command;
import bite.protocol.CommandParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
