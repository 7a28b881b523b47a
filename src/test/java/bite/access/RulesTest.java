package bite.access;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static bite.access.Permission.NOTIFY;
import static bite.access.Permission.READ;
import static bite.access.Permission.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class RulesTest {

    /** The game of docs/ACCESS.md. */
    static final List<String> GAME = List.of(
            "# players see the rooms, write their own slot, talk in the chat",
            "player  r   room.*",
            "player  w   room.*.players.$user",
            "player  n   room.*.chat",
            "",
            "server  rwn **");

    private static Rules rules(String... lines) throws AccessFileException {
        return Rules.parse(Arrays.asList(lines), "rules.txt");
    }

    private final Rules game = Rules.parse(GAME, "rules.txt");

    RulesTest() throws AccessFileException {
    }

    @ParameterizedTest(name = "{0} {1} {2} {3} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            // r on room.* covers each room and everything below it
            "player | alice | r | room.7                          | true",
            "player | alice | r | room.7.players.bob.pos          | true",
            "player | alice | r | room.7.chat                     | true",
            // rules are not filters: room itself, and the whole database, are not covered
            "player | alice | r | room                            | false",
            "player | alice | r | NULL                            | false",
            "player | alice | r | lobby.7                         | false",
            "player | alice | r | rooms.7                         | false",
            // w only on the player's own slot and below
            "player | alice | w | room.7.players.alice            | true",
            "player | alice | w | room.7.players.alice.pos.x      | true",
            "player | alice | w | room.7.players.bob              | false",
            "player | alice | w | room.7.players.bob.pos          | false",
            "player | alice | w | room.7.players                  | false",
            "player | alice | w | room.7.players.alice2           | false",
            "player | alice | w | room.7.players.alic             | false",
            "player | alice | w | room.7                          | false",
            "player | alice | w | room.7.chat                     | false",
            // n only on the chat
            "player | alice | n | room.7.chat                     | true",
            "player | alice | n | room.7.chat.team.red            | true",
            "player | alice | n | room.7                          | false",
            "player | alice | n | room.7.players.alice            | false",
            // the server may do everything, the whole database included
            "server | game  | r | NULL                            | true",
            "server | game  | w | anything.at.all                 | true",
            "server | game  | n | x                               | true",
            // a role without rules gets nothing
            "admin  | root  | r | room.7                          | false",
            "admin  | root  | r | NULL                            | false",
    })
    void theGameExample(String role, String user, char perm, String key, boolean allowed) {
        assertThat(game.allowed(role, user, Permission.of(perm), key)).isEqualTo(allowed);
    }

    @Test
    void hostileUserNamesCannotEscalate() throws Exception {
        // a user named * (a valid name) matches only the segment "*", not every segment
        assertThat(game.allowed("player", "*", WRITE, "room.7.players.*")).isTrue();
        assertThat(game.allowed("player", "*", WRITE, "room.7.players.bob")).isFalse();
        // names with dots are refused by the users file and the token check; even if one slipped through, it could
        // never match a segment, neither its first part nor the whole dotted path
        assertThat(game.allowed("player", "bob.x", WRITE, "room.7.players.bob.x")).isFalse();
        assertThat(game.allowed("player", "bob.x", WRITE, "room.7.players.bob")).isFalse();
        assertThat(game.allowed("player", "7.players.bob", WRITE, "room.7.players.bob")).isFalse();
        // nor can the empty name, a null one, or ** and $user spelled as names
        assertThat(game.allowed("player", "", WRITE, "room.7.players.bob")).isFalse();
        assertThat(game.allowed("player", null, WRITE, "room.7.players.bob")).isFalse();
        assertThat(game.allowed("player", "**", WRITE, "room.7.players.bob")).isFalse();
        assertThat(game.allowed("player", "$user", WRITE, "room.7.players.bob")).isFalse();
        assertThat(game.allowed("player", "$user", WRITE, "room.7.players.$user")).isTrue(); // its own segment
    }

    @Test
    void wildcardsMatchExactlyOneSegmentAndUserMayAppearAnywhere() throws Exception {
        Rules rules = rules(
                "p r a.*.c",
                "p w $user",
                "p n $user.*.inbox",
                "p r *.*.*.deep");
        assertThat(rules.allowed("p", "u", READ, "a.b.c")).isTrue();
        assertThat(rules.allowed("p", "u", READ, "a.b.c.d")).isTrue();
        assertThat(rules.allowed("p", "u", READ, "a.b")).isFalse();
        assertThat(rules.allowed("p", "u", READ, "a.b.x")).isFalse();
        assertThat(rules.allowed("p", "u", READ, "a.b.b.c")).isFalse();
        assertThat(rules.allowed("p", "u", WRITE, "u")).isTrue();
        assertThat(rules.allowed("p", "u", WRITE, "u.settings.volume")).isTrue();
        assertThat(rules.allowed("p", "u", WRITE, "v.settings")).isFalse();
        assertThat(rules.allowed("p", "u", NOTIFY, "u.x.inbox")).isTrue();
        assertThat(rules.allowed("p", "u", NOTIFY, "v.x.inbox")).isFalse();
        assertThat(rules.allowed("p", "u", READ, "1.2.3.deep.er")).isTrue();
        assertThat(rules.allowed("p", "u", READ, "1.2.3.shallow")).isFalse();
        assertThat(rules.allowed("p", "u", READ, "1.2.deep")).isFalse();
    }

    @Test
    void overlappingRulesAddUpAndALiteralBesideAWildcardKeepsBoth() throws Exception {
        Rules rules = rules(
                "p r room.*",
                "p w room.lobby",
                "p rw room.lobby.board",
                "p n room.$user",
                "p n room.lobby.shout");
        assertThat(rules.allowed("p", "u", READ, "room.lobby")).isTrue(); // via *, though lobby has its own node
        assertThat(rules.allowed("p", "u", WRITE, "room.lobby.board.x")).isTrue();
        assertThat(rules.allowed("p", "u", WRITE, "room.other")).isFalse();
        assertThat(rules.allowed("p", "lobby", NOTIFY, "room.lobby")).isTrue(); // via $user
        assertThat(rules.allowed("p", "u", NOTIFY, "room.lobby")).isFalse();
        assertThat(rules.allowed("p", "u", NOTIFY, "room.lobby.shout")).isTrue();
    }

    @Test
    void permsMayBeCombinedAndRolesAreSeparate() throws Exception {
        Rules rules = rules("a\trn\tx", "b w x");
        assertThat(rules.allowed("a", "u", READ, "x")).isTrue();
        assertThat(rules.allowed("a", "u", NOTIFY, "x")).isTrue();
        assertThat(rules.allowed("a", "u", WRITE, "x")).isFalse();
        assertThat(rules.allowed("b", "u", WRITE, "x")).isTrue();
        assertThat(rules.allowed("b", "u", READ, "x")).isFalse();
        assertThat(rules.roles()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void withoutRulesEveryoneMayDoEverything() {
        Rules all = Rules.allowAll();
        for (Permission p : Permission.values()) {
            assertThat(all.allowed("player", "u", p, null)).isTrue();
            assertThat(all.allowed("anyone", "u", p, "a.b")).isTrue();
        }
    }

    @Test
    void anEmptyFileAllowsNothing() throws Exception {
        Rules none = rules("# nothing yet", "");
        assertThat(none.allowed("player", "u", READ, "a")).isFalse();
        assertThat(none.allowed("player", "u", READ, null)).isFalse();
    }

    static Stream<Arguments> badLines() {
        return Stream.of(
                arguments("player r", "expected ROLE PERMS PATTERN, found 2 words"),
                arguments("player", "expected ROLE PERMS PATTERN, found 1 word"),
                arguments("player r room.* # comment", "expected ROLE PERMS PATTERN, found 5 words"),
                arguments("pl.ayer r room", "invalid role: name contains a dot"),
                arguments("player x room", "unknown permission 'x' (PERMS is one or more of r, w, n)"),
                arguments("player rW room", "unknown permission 'W' (PERMS is one or more of r, w, n)"),
                arguments("player r\u0001 room", "unknown permission '?' (PERMS is one or more of r, w, n)"),
                arguments("player r room..x", "empty segment in pattern 'room..x'"),
                arguments("player r .room", "empty segment in pattern '.room'"),
                arguments("player r room.", "empty segment in pattern 'room.'"),
                arguments("player r room.**", "'**' is allowed only as the whole pattern"),
                arguments("player r **.x", "'**' is allowed only as the whole pattern"),
                arguments("player r room.a*", "'*' must be a whole segment"),
                arguments("player r room.***", "'*' must be a whole segment"),
                arguments("player r room.$usr", "unknown variable '$usr' (only $user is known)"),
                arguments("player r room.$", "unknown variable '$' (only $user is known)"),
                arguments("player r room.\u0001", "control character in pattern"),
                arguments("player r " + "a.".repeat(600) + "a", "pattern longer than 1024 characters"));
    }

    @ParameterizedTest
    @MethodSource("badLines")
    void aLineThatDoesNotParseNamesItsNumberAndWhy(String line, String why) {
        List<String> lines = List.of("# rules", "player r room.*", "", line, "server rwn **");
        assertThatThrownBy(() -> Rules.parse(lines, "rules.txt"))
                .isInstanceOf(AccessFileException.class).hasMessage("rules.txt line 4: " + why)
                .satisfies(e -> assertThat(((AccessFileException) e).line()).isEqualTo(4));
    }

    @Test
    void loadReadsTheFileAndNamesAMissingOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules");
        Files.write(file, GAME);
        assertThat(Rules.load(file).allowed("player", "bob", WRITE, "room.1.players.bob")).isTrue();
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> Rules.load(missing)).hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> Rules.load(dir)).hasMessage(dir + ": not a regular file");
    }

    @Test
    void literalsWithTheSameHashAreToldApart() throws Exception {
        // "Aa" and "BB" share String.hashCode, as do "AaAa", "AaBB", "BBAa" and "BBBB"
        Rules rules = rules("p r Aa", "p w BB", "p n AaBB.x", "p r BBBB.y");
        assertThat(rules.allowed("p", "u", READ, "Aa.z")).isTrue();
        assertThat(rules.allowed("p", "u", WRITE, "Aa")).isFalse();
        assertThat(rules.allowed("p", "u", WRITE, "BB.z")).isTrue();
        assertThat(rules.allowed("p", "u", READ, "BB")).isFalse();
        assertThat(rules.allowed("p", "u", NOTIFY, "AaBB.x")).isTrue();
        assertThat(rules.allowed("p", "u", NOTIFY, "BBAa.x")).isFalse();
        assertThat(rules.allowed("p", "u", READ, "BBBB.y.z")).isTrue();
        assertThat(rules.allowed("p", "u", READ, "AaAa.y")).isFalse();
        assertThat(rules.allowed("p", "u", READ, "A")).isFalse();
    }

    @Test
    void hundredsOfRulesStillMatchExactly() throws Exception {
        String[] lines = new String[600];
        for (int i = 0; i < 300; i++) {
            lines[2 * i] = "player r game" + i + ".*.state";
            lines[2 * i + 1] = "player w game" + i + ".*.players.$user";
        }
        Rules rules = rules(lines);
        assertThat(rules.allowed("player", "u", READ, "game299.7.state.x")).isTrue();
        assertThat(rules.allowed("player", "u", READ, "game300.7.state")).isFalse();
        assertThat(rules.allowed("player", "u", WRITE, "game0.1.players.u.pos")).isTrue();
        assertThat(rules.allowed("player", "u", WRITE, "game0.1.players.v.pos")).isFalse();
        assertThat(rules.allowed("player", "u", READ, "game0.1.players.u")).isFalse();
        for (int i = 0; i < 300; i++) {
            assertThat(rules.allowed("player", "u", READ, "game" + i + ".1.state")).as("game" + i).isTrue();
            assertThat(rules.allowed("player", "u", READ, "gam" + i + ".1.state")).as("gam" + i).isFalse();
        }
    }
}
