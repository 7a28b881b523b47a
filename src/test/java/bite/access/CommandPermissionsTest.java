package bite.access;

import bite.access.CommandPermissions.Need;
import bite.command.Command;
import bite.protocol.CommandParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static bite.access.Permission.NOTIFY;
import static bite.access.Permission.READ;
import static bite.access.Permission.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

class CommandPermissionsTest {

    private final CommandParser parser = new CommandParser(1024);

    private List<Need> needs(String line) {
        Command command = parser.parse(line);
        assertThat(command).isNotInstanceOf(Command.Invalid.class);
        return CommandPermissions.needs(command);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "g room.7.x        | READ   | room.7.x",
            "k room.7          | READ   | room.7",
            "k                 | READ   | NULL",
            "j room            | READ   | room",
            "j                 | READ   | NULL",
            "js room.7         | READ   | room.7",
            "#g room.7         | READ   | room.7",
            "#k room.7         | READ   | room.7",
            "#j room.7         | READ   | room.7",
            "info              | READ   | NULL",
            "s room.7.x 1      | WRITE  | room.7.x",
            "s? room.7.x 1     | WRITE  | room.7.x",
            "+1 room.7.score   | WRITE  | room.7.score",
            "+ room.7.log hi   | WRITE  | room.7.log",
            "d room.7.x        | WRITE  | room.7.x",
            "! room.7.chat hi  | NOTIFY | room.7.chat",
            "#- room.7 bye     | NOTIFY | room.7",
    })
    void aRequestNeedsOnePermissionOnItsKey(String line, Permission permission, String key) {
        assertThat(needs(line)).containsExactly(new Need(permission, key));
    }

    @Test
    void aSubscribeWithAValueNeedsReadAndNotify() {
        assertThat(needs("#k room.7 hello")).containsExactly(new Need(READ, "room.7"), new Need(NOTIFY, "room.7"));
    }

    @Test
    void setManyNeedsWriteOnEveryItem() {
        assertThat(needs("sl | a.x 1 | b.y 2 | a.x 3")).containsExactly(
                new Need(WRITE, "a.x"), new Need(WRITE, "b.y"), new Need(WRITE, "a.x"));
        assertThat(needs("sl |")).isEmpty();
    }

    @Test
    void anOnDisconnectLineNeedsWhatItsActionNeeds() {
        assertThat(needs("ondisconnect s room.1.players.bob online")).containsExactly(
                new Need(WRITE, "room.1.players.bob"));
        assertThat(needs("ondisconnect dd room.1.players.bob")).containsExactly(new Need(WRITE, "room.1.players.bob"));
        assertThat(needs("ondisconnect d room.1.x")).containsExactly(new Need(WRITE, "room.1.x"));
        assertThat(needs("ondisconnect ! room.1.chat bye")).containsExactly(new Need(NOTIFY, "room.1.chat"));
        assertThat(needs("ondisconnect -")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"auth secret", "ping", "quit", "#- room.7"})
    void someRequestsNeedNothing(String line) {
        assertThat(needs(line)).isEmpty();
    }

    @Test
    void rejectedAndConnectionAnsweredRequestsNeedNothing() {
        assertThat(CommandPermissions.needs(new Command.Invalid("invalid key"))).isEmpty();
        assertThat(CommandPermissions.needs(new Command.Answer("OK"))).isEmpty();
    }

    @Test
    void allowedChecksEveryNeed() throws Exception {
        Rules rules = Rules.parse(RulesTest.GAME, "rules.txt");
        assertThat(CommandPermissions.allowed(rules, "player", "bob", parser.parse("s room.1.players.bob.x 1"))).isTrue();
        assertThat(CommandPermissions.allowed(rules, "player", "bob", parser.parse("s room.1.players.amy.x 1"))).isFalse();
        // one forbidden item forbids the whole sl
        assertThat(CommandPermissions.allowed(rules, "player", "bob",
                parser.parse("sl | room.1.players.bob.x 1 | room.1.players.amy.x 1"))).isFalse();
        // a subscription with a VALUE needs n as well as r
        assertThat(CommandPermissions.allowed(rules, "player", "bob", parser.parse("#g room.1.chat hi"))).isTrue();
        assertThat(CommandPermissions.allowed(rules, "player", "bob", parser.parse("#g room.1 hi"))).isFalse();
        assertThat(CommandPermissions.allowed(rules, "player", "bob", parser.parse("#g room.1"))).isTrue();
        // rules are not filters; info and k/j without a key need **
        assertThat(CommandPermissions.allowed(rules, "player", "bob", parser.parse("j room"))).isFalse();
        assertThat(CommandPermissions.allowed(rules, "player", "bob", parser.parse("info"))).isFalse();
        assertThat(CommandPermissions.allowed(rules, "player", "bob", parser.parse("k"))).isFalse();
        assertThat(CommandPermissions.allowed(rules, "server", "game", parser.parse("info"))).isTrue();
        assertThat(CommandPermissions.allowed(rules, "player", "bob", parser.parse("ping"))).isTrue();
        assertThat(CommandPermissions.allowed(rules, "nobody", "bob", parser.parse("g room.1"))).isFalse();
    }
}
