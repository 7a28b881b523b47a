package bite.protocol;

import bite.command.Command;
import bite.command.Command.Append;
import bite.command.Command.Delete;
import bite.command.Command.Get;
import bite.command.Command.Increment;
import bite.command.Command.Invalid;
import bite.command.Command.Json;
import bite.command.Command.Keys;
import bite.command.Command.Notify;
import bite.command.Command.Set;
import bite.command.Command.SetIfAbsent;
import bite.command.Command.SetMany;
import bite.command.Command.Subscribe;
import bite.command.Command.Unsubscribe;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

import static bite.command.Command.Kind.JSON;
import static bite.command.Command.Kind.KEYED;
import static bite.command.Command.Kind.VALUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** PROTOCOL.md "Framing", "Keys and values", "Replies" and "Commands", one line at a time. */
class CommandParserTest {

    private static final int MAX_KEY = 1024;
    private final CommandParser parser = new CommandParser(MAX_KEY);

    static Stream<Arguments> commands() {
        return Stream.of(
                arguments("s k v", new Set("k", "v")),
                arguments("S k v", new Set("k", "v")),
                arguments("s k", new Set("k", "")),
                arguments("s k   ", new Set("k", "")),
                arguments("s player.1984.pos.x 10", new Set("player.1984.pos.x", "10")),
                // words split on one or more spaces/tabs; the value keeps its inner ones
                arguments("s  k   hello   world  ", new Set("k", "hello   world")),
                arguments("\t s\tk\t v \t", new Set("k", "v")),
                arguments("   s k a\tb", new Set("k", "a\tb")),
                // nothing but space and tab splits: \r, vertical tab, NBSP are characters
                arguments("s k v\r", new Set("k", "v\r")),
                arguments("s k a\rb", new Set("k", "a\rb")),
                arguments("s k \u000bv\u000b", new Set("k", "\u000bv\u000b")),
                arguments("s k\u00a0x v", new Set("k\u00a0x", "v")),
                arguments("s k {\"json\": [1, 2]}", new Set("k", "{\"json\": [1, 2]}")),
                arguments("s k.é.😀 ünïcödé 😀", new Set("k.é.😀", "ünïcödé 😀")),
                arguments("s a/b:c-d_e\"f\\g 1", new Set("a/b:c-d_e\"f\\g", "1")),
                arguments("s a\u0080b 1", new Set("a\u0080b", "1")),
                arguments("s? k v", new SetIfAbsent("k", "v")),
                arguments("S? k", new SetIfAbsent("k", "")),
                arguments("g k", new Get("k")),
                arguments("G k", new Get("k")),
                arguments("g k \t ", new Get("k")),
                arguments("+1 k", new Increment("k")),
                arguments("+ k v w", new Append("k", "v w")),
                arguments("+ k", new Append("k", "")),
                arguments("d k", new Delete("k")),
                arguments("D k", new Delete("k")),
                arguments("k", new Keys(null)),
                arguments("k  \t", new Keys(null)),
                arguments("K data", new Keys("data")),
                arguments("j", new Json(null, false)),
                arguments("J a.b", new Json("a.b", false)),
                arguments("js", new Json(null, true)),
                arguments("js a.b", new Json("a.b", true)),
                arguments("JS a", new Json("a", true)),
                arguments("jS a", new Json("a", true)),
                arguments("Js a", new Json("a", true)),
                arguments("#g k", new Subscribe(VALUE, "k", null)),
                arguments("#G k   ", new Subscribe(VALUE, "k", null)),
                arguments("#g k hello there", new Subscribe(VALUE, "k", "hello there")),
                arguments("#k room.7", new Subscribe(KEYED, "room.7", null)),
                arguments("#K room.7 v", new Subscribe(KEYED, "room.7", "v")),
                arguments("#j room", new Subscribe(JSON, "room", null)),
                arguments("#J room  v  ", new Subscribe(JSON, "room", "v")),
                arguments("#- k", new Unsubscribe("k", null)),
                arguments("#- k bye now", new Unsubscribe("k", "bye now")),
                arguments("! k", new Notify("k", "")),
                arguments("! k  ", new Notify("k", "")),
                arguments("! k  v  w ", new Notify("k", "v  w")));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void parsesEveryCommand(String line, Command expected) {
        assertThat(parser.parse(line)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t", "  \t \t  "})
    void blankLinesGetNoReply(String line) {
        assertThat(parser.parse(line)).isNull();
    }

    /** {@code line -> reason}, one per row; {@code «...»} placeholders are filled in by {@link #expand}. */
    private static final String ERRORS = """
            bogus x                 -> unknown command 'bogus'
            bogus                   -> unknown command 'bogus'
            set k v                 -> unknown command 'set'
            get k                   -> unknown command 'get'
            ss k v                  -> unknown command 'ss'
            s?? k                   -> unknown command 's??'
            +2 k                    -> unknown command '+2'
            -1 k                    -> unknown command '-1'
            ? k                     -> unknown command '?'
            #x k                    -> unknown command '#x'
            #                       -> unknown command '#'
            g.k                     -> unknown command 'g.k'
            é k                     -> unknown command 'é'
            BOGUS k                 -> unknown command 'BOGUS'
            s                       -> missing key
            s?                      -> missing key
            g                       -> missing key
            +1                      -> missing key
            +                       -> missing key
            d                       -> missing key
            #g                      -> missing key
            #k                      -> missing key
            #j                      -> missing key
            #-                      -> missing key
            !                       -> missing key
            sl                      -> missing key
            G                       -> missing key
            s «1025»                -> key too long
            s «1025» v              -> key too long
            g «1025»                -> key too long
            k «1025»                -> key too long
            j «1025»                -> key too long
            js «1025»               -> key too long
            #g «1025»               -> key too long
            ! «1025»                -> key too long
            s «é512»a v             -> key too long
            s «€341»ab v            -> key too long
            s «😀256»a v            -> key too long
            s ..«1025» v            -> key too long
            g «1025» extra          -> key too long
            s «1025» «NUL»          -> key too long
            s a..b v                -> invalid key
            s .a v                  -> invalid key
            s a. v                  -> invalid key
            s . v                   -> invalid key
            s .. v                  -> invalid key
            s a.b..c v              -> invalid key
            g a..b                  -> invalid key
            k .a                    -> invalid key
            j a.                    -> invalid key
            js a..b                 -> invalid key
            #g a.                   -> invalid key
            #- .a                   -> invalid key
            ! a..b v                -> invalid key
            s? .a v                 -> invalid key
            + a. v                  -> invalid key
            +1 a..b                 -> invalid key
            d .a                    -> invalid key
            s a«NUL»b v             -> invalid key
            s «NUL» v               -> invalid key
            s a«SOH»b v             -> invalid key
            s a«US» v               -> invalid key
            s a«CR»b v              -> invalid key
            s «DEL»a v              -> invalid key
            s a..b «NUL»            -> invalid key
            g a..b extra            -> invalid key
            g k extra               -> too many arguments
            g k «NUL»               -> too many arguments
            +1 k 1                  -> too many arguments
            d k now                 -> too many arguments
            k data more             -> too many arguments
            j a b                   -> too many arguments
            js a b                  -> too many arguments
            s k a«NUL»b             -> invalid value
            s k «NUL»               -> invalid value
            s? k «NUL»              -> invalid value
            + k x«NUL»              -> invalid value
            ! k «NUL»               -> invalid value
            #g k «NUL»              -> invalid value
            #k k «NUL»              -> invalid value
            #j k «NUL»              -> invalid value
            #- k «NUL»              -> invalid value
            sl |a 1|b..c 2          -> invalid key
            sl |a 1|.b|c«NUL» 3     -> invalid key
            sl |a 1|b x«NUL»y|.c    -> invalid value
            sl |a 1|«1025» 2|.c     -> key too long
            sl |..«1025» 2          -> key too long
            sl |a. 1|«1025»         -> invalid key
            sl |a«DEL»|b            -> invalid key
            """;

    static Stream<Arguments> errors() {
        return ERRORS.lines().map(row -> {
            String[] parts = row.split(" +-> ", 2);
            return arguments(parts[0], expand(parts[0]), parts[1]);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void rejectsWithTheFirstFailingCheck(String row, String line, String reason) {
        assertThat(parser.parse(line)).isEqualTo(new Invalid(reason));
    }

    static Stream<Arguments> controlCharactersInOp() {
        return Stream.of(
                arguments("b\u0001gus x", "unknown command 'b?gus'"),
                arguments("\u0000 k", "unknown command '?'"),
                arguments("s\u0000 k", "unknown command 's?'"),
                arguments("x\ry k", "unknown command 'x?y'"),
                arguments("g\r", "unknown command 'g?'"),
                arguments("\r", "unknown command '?'"),
                arguments("s\u000bk v", "unknown command 's?k'"),
                arguments("\u001b[31mred", "unknown command '?[31mred'"),
                arguments("a\u007fb", "unknown command 'a?b'"),
                arguments("\u0001\u0002\u0003", "unknown command '???'"),
                // case-insensitive in ASCII only: the Kelvin sign and the long s are not K and S
                arguments("\u212a data", "unknown command '\u212a'"),
                arguments("\u017f k v", "unknown command '\u017f'"));
    }

    @ParameterizedTest
    @MethodSource("controlCharactersInOp")
    void unknownCommandShowsEachControlCharacterAsQuestionMark(String line, String reason) {
        assertThat(parser.parse(line)).isEqualTo(new Invalid(reason));
    }

    static Stream<Arguments> keyLengths() {
        return Stream.of(
                arguments("a".repeat(1024), true),
                arguments("a".repeat(1025), false),
                arguments("é".repeat(512), true),
                arguments("é".repeat(511) + "a", true),
                arguments("é".repeat(512) + "a", false),
                arguments("€".repeat(341) + "a", true),
                arguments("€".repeat(341) + "ab", false),
                arguments("😀".repeat(256), true),
                arguments("😀".repeat(255) + "abcd", true),
                arguments("😀".repeat(255) + "abcde", false),
                arguments("a.".repeat(511) + "ab", true),
                arguments("a.".repeat(512) + "a", false));
    }

    @ParameterizedTest
    @MethodSource("keyLengths")
    void keyLimitIsCountedInUtf8Bytes(String key, boolean fits) {
        Command expected = fits ? new Get(key) : new Invalid("key too long");
        assertThat(parser.parse("g " + key)).isEqualTo(expected);
        Command set = fits ? new Set(key, "v") : new Invalid("key too long");
        assertThat(parser.parse("s " + key + " v")).isEqualTo(set);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 100})
    void keyLimitIsConfigurable(int max) {
        CommandParser small = new CommandParser(max);
        assertThat(small.parse("g " + "k".repeat(max))).isEqualTo(new Get("k".repeat(max)));
        assertThat(small.parse("g " + "k".repeat(max + 1))).isEqualTo(new Invalid("key too long"));
    }

    static Stream<Arguments> setMany() {
        return Stream.of(
                arguments("sl | a 1| b.c two words |d", List.of(set("a", "1"), set("b.c", "two words"), set("d", ""))),
                arguments("SL |a 1", List.of(set("a", "1"))),
                arguments("Sl |a 1|", List.of(set("a", "1"))),
                arguments("sl\t|\ta\t1\t|b", List.of(set("a", "1"), set("b", ""))),
                // a separator with no items, or only blank ones
                arguments("sl |", List.of()),
                arguments("sl x", List.of()),
                arguments("sl |  |\t|||", List.of()),
                arguments("sl ||a 1||  ||b 2|", List.of(set("a", "1"), set("b", "2"))),
                // the separator is the first code point of the word: the rest of the word is already an item
                arguments("sl ,a 1,b 2", List.of(set("a", "1"), set("b", "2"))),
                arguments("sl ab 1", List.of(set("b", "1"))),
                arguments("sl ;a 1 ; b 2;", List.of(set("a", "1"), set("b", "2"))),
                arguments("sl .a 1.b 2", List.of(set("a", "1"), set("b", "2"))),
                arguments("sl §a 1§b 2", List.of(set("a", "1"), set("b", "2"))),
                arguments("sl ééa 1", List.of(set("a", "1"))),
                arguments("sl 😀a 1😀b 2", List.of(set("a", "1"), set("b", "2"))),
                // another emoji with the same high surrogate is not the separator
                arguments("sl 😀a😁 1😀b 😁", List.of(set("a😁", "1"), set("b", "😁"))),
                // the separator splits values too; values keep inner spaces
                arguments("sl |a x|y", List.of(set("a", "x"), set("y", ""))),
                arguments("sl | a  b  c |", List.of(set("a", "b  c"))),
                arguments("sl |a  |b", List.of(set("a", ""), set("b", ""))),
                arguments("sl |a 1|a 2", List.of(set("a", "1"), set("a", "2"))),
                // a separator right after the key ends it
                arguments("sl ,a,b 2", List.of(set("a", ""), set("b", "2"))));
    }

    @ParameterizedTest
    @MethodSource("setMany")
    void setManySplitsOnTheSeparator(String line, List<Set> items) {
        assertThat(parser.parse(line)).isEqualTo(new SetMany(items));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sl", "sl ", "sl \t ", "SL", "sL\t"})
    void setManyWithNothingAfterItIsMissingKey(String line) {
        assertThat(parser.parse(line)).isEqualTo(new Invalid("missing key"));
    }

    private static Set set(String key, String value) {
        return new Set(key, value);
    }

    /** Fills in the placeholders of {@link #ERRORS}. */
    private static String expand(String s) {
        return s.replace("«1025»", "k".repeat(1025))
                .replace("«é512»", "é".repeat(512))
                .replace("«€341»", "€".repeat(341))
                .replace("«😀256»", "😀".repeat(256))
                .replace("«NUL»", "\0")
                .replace("«SOH»", "\u0001")
                .replace("«US»", "\u001f")
                .replace("«CR»", "\r")
                .replace("«DEL»", "\u007f");
    }

    @org.junit.jupiter.api.Test
    void everyPlaceholderInTheErrorTableIsKnown() {
        // a typo would silently test the wrong thing
        assertThat(expand(ERRORS).lines()).noneMatch(l -> l.contains("«") || l.contains("»"));
    }
}
