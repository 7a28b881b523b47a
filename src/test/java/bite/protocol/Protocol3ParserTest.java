package bite.protocol;

import bite.command.Command;
import bite.command.Command.Kind;
import bite.command.Command.SubscribeOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** PROTOCOL.md "Protocol 3": hello, dd, and the options of a protocol-3 subscribe. */
class Protocol3ParserTest {

    private static final String EPOCH = "9f1c2a7e5b3d4c61";
    private final CommandParser parser = new CommandParser(16);

    private static Command invalid(String reason) {
        return new Command.Invalid(reason);
    }

    static Stream<Arguments> bothProtocols() {
        return Stream.of(
                arguments("hello 2", new Command.Hello(2, null)),
                arguments("HELLO\t3 ", new Command.Hello(3, null)),
                arguments("hello 3 abc", new Command.Hello(3, "abc")),
                arguments("hello", invalid("unsupported protocol")),
                arguments("hello 4", invalid("unsupported protocol")),
                arguments("hello 1 x", invalid("unsupported protocol")),
                arguments("hello 02", invalid("unsupported protocol")),
                arguments("hello 2 x", invalid("too many arguments")),
                arguments("hello 3 a b", invalid("too many arguments")),
                arguments("dd room.7", new Command.DeleteTree("room.7")),
                arguments("DD a", new Command.DeleteTree("a")),
                arguments("dd", invalid("missing key")),
                arguments("dd a..b", invalid("invalid key")),
                arguments("dd aaaaaaaaaaaaaaaaa", invalid("key too long")),
                arguments("dd a b", invalid("too many arguments")),
                arguments("helloo 3", invalid("unknown command 'helloo'")),
                arguments("ondisconnect dd room.7.p1",
                        new Command.OnDisconnect(new Command.DeleteTree("room.7.p1"))),
                arguments("OnDisconnect  S a  two words ", new Command.OnDisconnect(new Command.Set("a", "two words"))),
                arguments("ondisconnect s a", new Command.OnDisconnect(new Command.Set("a", ""))),
                arguments("ondisconnect d a", new Command.OnDisconnect(new Command.Delete("a"))),
                arguments("ondisconnect ! a bye", new Command.OnDisconnect(new Command.Notify("a", "bye"))),
                arguments("ondisconnect -", new Command.OnDisconnectClear()),
                arguments("ondisconnect\t- ", new Command.OnDisconnectClear()),
                arguments("ondisconnect", invalid("invalid action")),
                arguments("ondisconnect - a", invalid("invalid action")),
                arguments("ondisconnect -x", invalid("invalid action")),
                arguments("ondisconnect g a", invalid("invalid action")),
                arguments("ondisconnect sl |a 1", invalid("invalid action")),
                arguments("ondisconnect #g a x", invalid("invalid action")),
                arguments("ondisconnect zz a", invalid("invalid action")),
                arguments("ondisconnect ondisconnect d a", invalid("invalid action")),
                arguments("ondisconnect d", invalid("missing key")),
                arguments("ondisconnect d a..b", invalid("invalid key")),
                arguments("ondisconnect d aaaaaaaaaaaaaaaaa", invalid("key too long")),
                arguments("ondisconnect dd a b", invalid("too many arguments")),
                arguments("ondisconnect s a x\u0000y", invalid("invalid value")),
                arguments("ondisconnectx d a", invalid("unknown command 'ondisconnectx'")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothProtocols")
    void helloAndDdParseTheSameInBothProtocols(String line, Command expected) {
        assertThat(parser.parse(line, 2)).isEqualTo(expected);
        assertThat(parser.parse(line, 3)).isEqualTo(expected);
    }

    static Stream<Arguments> subscribes() {
        return Stream.of(
                arguments("#k room.7", new Command.Subscribe(Kind.KEYED, "room.7", null, SubscribeOptions.NONE)),
                arguments("#g a from=" + EPOCH + ":40", new Command.Subscribe(Kind.VALUE, "a", null,
                        new SubscribeOptions(EPOCH, 40, 0))),
                arguments("#j a every=50\t", new Command.Subscribe(Kind.JSON, "a", null, new SubscribeOptions(null, 0, 50))),
                arguments("#k a every=1 from=" + EPOCH + ":0", new Command.Subscribe(Kind.KEYED, "a", null,
                        new SubscribeOptions(EPOCH, 0, 1))),
                arguments("#k a every=60000 every=007", new Command.Subscribe(Kind.KEYED, "a", null,
                        new SubscribeOptions(null, 0, 7))),
                arguments("#k a from=" + EPOCH + ":9223372036854775807", new Command.Subscribe(Kind.KEYED, "a", null,
                        new SubscribeOptions(EPOCH, Long.MAX_VALUE, 0))),
                arguments("#k a from=0000000000000000:1 from=" + EPOCH + ":2", new Command.Subscribe(Kind.KEYED, "a",
                        null, new SubscribeOptions(EPOCH, 2, 0))),
                arguments("#k a hello", invalid("invalid option 'hello'")),
                arguments("#k a every=0", invalid("invalid option 'every=0'")),
                arguments("#k a every=60001", invalid("invalid option 'every=60001'")),
                arguments("#k a every=", invalid("invalid option 'every='")),
                arguments("#k a every=+5", invalid("invalid option 'every=+5'")),
                arguments("#k a every=99999999999999999999", invalid("invalid option 'every=99999999999999999999'")),
                arguments("#k a Every=5", invalid("invalid option 'Every=5'")),
                arguments("#k a =5", invalid("invalid option '=5'")),
                arguments("#k a from=" + EPOCH, invalid("invalid option 'from=" + EPOCH + "'")),
                arguments("#k a from=" + EPOCH + ":", invalid("invalid option 'from=" + EPOCH + ":'")),
                arguments("#k a from=" + EPOCH + ":-1", invalid("invalid option 'from=" + EPOCH + ":-1'")),
                arguments("#k a from=" + EPOCH + ":9223372036854775808",
                        invalid("invalid option 'from=" + EPOCH + ":9223372036854775808'")),
                arguments("#k a from=9F1C2A7E5B3D4C61:1", invalid("invalid option 'from=9F1C2A7E5B3D4C61:1'")),
                arguments("#k a from=abc:1", invalid("invalid option 'from=abc:1'")),
                arguments("#k a every=5 x\u0001y=2 bogus", invalid("invalid option 'x?y=2'")),
                arguments("#k a every=5 \u007f", invalid("invalid option '?'")),
                // the key is checked first
                arguments("#k a..b bogus", invalid("invalid key")),
                arguments("#k", invalid("missing key")),
                arguments("#k aaaaaaaaaaaaaaaaa bogus", invalid("key too long")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subscribes")
    void inProtocol3TheWordsAfterASubscribesKeyAreOptions(String line, Command expected) {
        assertThat(parser.parse(line, 3)).isEqualTo(expected);
    }

    @Test
    void inProtocol2TheyAreAValueAsBefore() {
        assertThat(parser.parse("#k a every=5 x", 2)).isEqualTo(new Command.Subscribe(Kind.KEYED, "a", "every=5 x"));
        assertThat(parser.parse("#k a every=5 x")).isEqualTo(new Command.Subscribe(Kind.KEYED, "a", "every=5 x"));
    }

    @Test
    void unsubscribeAndNotifyKeepTheirValueInProtocol3() {
        assertThat(parser.parse("#- a bye now", 3)).isEqualTo(new Command.Unsubscribe("a", "bye now"));
        assertThat(parser.parse("! a every=5", 3)).isEqualTo(new Command.Notify("a", "every=5"));
    }
}
