package bite.access;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class UsersTest {

    private static final String HASH = hash("secret");

    private static String hash(String password) {
        return PasswordHash.create(password.toCharArray(), PasswordHash.MIN_ITERATIONS, new SecureRandom()).encode();
    }

    @Test
    void aFileWithCommentsAndBlankLinesGivesItsUsers() throws Exception {
        Users users = Users.parse(List.of(
                "# the game's users",
                "",
                "alice   player\t" + hash("alice-pw"),
                "   # indented comment",
                "game-server server " + hash("server-pw"),
                "  \t "), "users.txt");
        assertThat(users.size()).isEqualTo(2);
        assertThat(users.authenticate("alice", "alice-pw".toCharArray())).isEqualTo("player");
        assertThat(users.authenticate("game-server", "server-pw".toCharArray())).isEqualTo("server");
        assertThat(users.authenticate("alice", "server-pw".toCharArray())).isNull();
        assertThat(users.authenticate("bob", "alice-pw".toCharArray())).isNull();
        assertThat(users.authenticate(null, "alice-pw".toCharArray())).isNull();
    }

    static Stream<Arguments> badLines() {
        return Stream.of(
                arguments("alice player", "users.txt line 2: expected NAME ROLE HASH, found 2 words"),
                arguments("alice", "users.txt line 2: expected NAME ROLE HASH, found 1 word"),
                arguments("alice player " + HASH + " extra", "users.txt line 2: expected NAME ROLE HASH, found 4 words"),
                arguments("al.ice player " + HASH, "users.txt line 2: invalid user name: name contains a dot"),
                arguments("al\u0001ice player " + HASH,
                        "users.txt line 2: invalid user name: name contains a control character"),
                arguments("a".repeat(129) + " player " + HASH,
                        "users.txt line 2: invalid user name: name longer than 128 characters"),
                arguments("alice pla.yer " + HASH, "users.txt line 2: invalid role: name contains a dot"),
                arguments("alice player plaintext",
                        "users.txt line 2: password hash is not pbkdf2-sha256$ITERATIONS$SALT$HASH"),
                arguments("bob player " + HASH, "users.txt line 2: user 'bob' appears twice"));
    }

    @ParameterizedTest
    @MethodSource("badLines")
    void aLineThatDoesNotParseNamesItsNumberAndWhy(String line, String message) {
        assertThatThrownBy(() -> Users.parse(List.of("bob player " + HASH, line), "users.txt"))
                .isInstanceOf(AccessFileException.class).hasMessage(message)
                .satisfies(e -> assertThat(((AccessFileException) e).line()).isEqualTo(2));
    }

    @Test
    void loadReadsAFileAndNamesAMissingOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users");
        Files.writeString(file, "carol player " + hash("pw") + "\r\n# done\r\n");
        assertThat(Users.load(file).authenticate("carol", "pw".toCharArray())).isEqualTo("player");

        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> Users.load(missing)).isInstanceOf(AccessFileException.class)
                .hasMessage(missing + ": no such file");
        Files.write(file, new byte[] {'a', ' ', (byte) 0xC3, '\n'});
        assertThatThrownBy(() -> Users.load(file)).hasMessage(file + ": not valid UTF-8");
    }

    @Test
    void namesAreSingleKeySegments() {
        assertThat(Names.isValid("alice")).isTrue();
        assertThat(Names.isValid("*")).isTrue(); // a valid segment; rules match it only literally (RulesTest)
        assertThat(Names.isValid("élan-7_x")).isTrue();
        assertThat(Names.check("")).isEqualTo("empty name");
        assertThat(Names.check(null)).isEqualTo("empty name");
        assertThat(Names.check("a.b")).isEqualTo("name contains a dot");
        assertThat(Names.check("a b")).isEqualTo("name contains a space");
        assertThat(Names.check("a\tb")).isEqualTo("name contains a control character");
        assertThat(Names.check("a\u007f")).isEqualTo("name contains a control character");
    }
}
