package bite.db;

import bite.storage.Change;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every command's reply and effect (PROTOCOL.md "Commands"), applied to a fresh {@link Database}. */
class DatabaseTest {

    private final DatabaseHarness h = new DatabaseHarness();
    private final RecordingClient c = new RecordingClient("c");

    @Test
    void setThenGet() {
        assertThat(h.ask(c, "s data.name BITE")).isEqualTo("OK");
        assertThat(h.ask(c, "g data.name")).isEqualTo("BITE");
        assertThat(h.ask(c, "s data.name two  words")).isEqualTo("OK");
        assertThat(h.ask(c, "g data.name")).isEqualTo("two  words");
        assertThat(h.ask(c, "g data")).isEmpty();
        assertThat(h.ask(c, "g data.name.x")).isEmpty();
        assertThat(h.ask(c, "g Data.name")).as("keys are case-sensitive").isEmpty();
    }

    @Test
    void setWithoutValueStoresTheEmptyString() {
        assertThat(h.ask(c, "s k")).isEqualTo("OK");
        assertThat(h.ask(c, "g k")).isEmpty();
        assertThat(h.ask(c, "s? k x")).as("the empty string is a value").isEqualTo("NO");
        assertThat(h.ask(c, "k")).isEqualTo("k ");
    }

    @Test
    void setIfAbsent() {
        assertThat(h.ask(c, "s? k first")).isEqualTo("OK");
        assertThat(h.ask(c, "s? k second")).isEqualTo("NO");
        assertThat(h.ask(c, "g k")).isEqualTo("first");
        h.ask(c, "s p.child x");
        assertThat(h.ask(c, "s? p parent")).as("descendants alone are not a value").isEqualTo("OK");
        assertThat(h.ask(c, "g p")).isEqualTo("parent");
        h.ask(c, "d k");
        assertThat(h.ask(c, "s? k third")).isEqualTo("OK");
        assertThat(h.ask(c, "g k")).isEqualTo("third");
    }

    @Test
    void setManySetsEveryItem() {
        assertThat(h.ask(c, "sl | a 1| b.c two words |d")).isEqualTo("OK");
        assertThat(h.ask(c, "k")).isEqualTo("a 1\0b.c two words\0d ");
        assertThat(h.ask(c, "sl |a 2|a 3")).isEqualTo("OK");
        assertThat(h.ask(c, "g a")).as("items apply in order").isEqualTo("3");
        assertThat(h.ask(c, "sl |")).isEqualTo("OK");
        assertThat(h.ask(c, "sl |a 4|.b 5")).isEqualTo("ERR invalid key");
        assertThat(h.ask(c, "g a")).as("an invalid item rejects the whole request").isEqualTo("3");
    }

    static Stream<Arguments> increments() {
        return Stream.of(
                arguments(null, "1"),
                arguments("0", "1"),
                arguments("41", "42"),
                arguments("007", "8"),
                arguments("-0", "1"),
                arguments("-00", "1"),
                arguments("-1", "0"),
                arguments("-5", "-4"),
                arguments("0009", "10"),
                arguments("9223372036854775806", "9223372036854775807"),
                arguments("00000000000000000000009223372036854775806", "9223372036854775807"),
                arguments("-9223372036854775808", "-9223372036854775807"),
                arguments("9223372036854775807", "ERR increment would overflow"),
                arguments("09223372036854775807", "ERR increment would overflow"),
                arguments("9223372036854775808", "ERR value is not an integer"),
                arguments("-9223372036854775809", "ERR value is not an integer"),
                arguments("99999999999999999999999", "ERR value is not an integer"),
                arguments("", "ERR value is not an integer"),
                arguments("+5", "ERR value is not an integer"),
                arguments("1.0", "ERR value is not an integer"),
                arguments("-", "ERR value is not an integer"),
                arguments("--1", "ERR value is not an integer"),
                arguments("- 1", "ERR value is not an integer"),
                arguments(" 5", "ERR value is not an integer"),
                arguments("5 ", "ERR value is not an integer"),
                arguments("1e3", "ERR value is not an integer"),
                arguments("0x10", "ERR value is not an integer"),
                arguments("abc", "ERR value is not an integer"),
                arguments("\u0661", "ERR value is not an integer"),
                arguments("\uff11", "ERR value is not an integer"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("increments")
    void increment(String before, String reply) {
        DatabaseHarness db = new DatabaseHarness(before == null ? Map.of() : Map.of("n", before), 1024);
        assertThat(db.ask(c, "+1 n")).isEqualTo(reply);
        String stored = reply.startsWith("ERR") ? (before == null ? "" : before) : reply;
        assertThat(db.ask(c, "g n")).isEqualTo(stored);
    }

    @Test
    void incrementCountsOn() {
        for (int i = 1; i <= 5; i++) assertThat(h.ask(c, "+1 score")).isEqualTo(String.valueOf(i));
        assertThat(h.ask(c, "g score")).isEqualTo("5");
    }

    @Test
    void append() {
        assertThat(h.ask(c, "+ k abc")).isEqualTo("OK");
        assertThat(h.ask(c, "g k")).as("absent key becomes VALUE").isEqualTo("abc");
        assertThat(h.ask(c, "+ k  d e ")).isEqualTo("OK");
        assertThat(h.ask(c, "g k")).isEqualTo("abcd e");
        assertThat(h.ask(c, "+ k")).isEqualTo("OK");
        assertThat(h.ask(c, "g k")).as("no VALUE appends nothing").isEqualTo("abcd e");
        assertThat(h.ask(c, "+ new")).isEqualTo("OK");
        assertThat(h.ask(c, "k")).isEqualTo("k abcd e\0new ");
    }

    @Test
    void deleteRemovesTheKeyOnlyAndIsOkWhenAbsent() {
        h.send(c, "s a 1", "s a.b 2", "s a.b.c 3", "s ab 4");
        assertThat(h.ask(c, "d a")).isEqualTo("OK");
        assertThat(h.ask(c, "g a")).isEmpty();
        assertThat(h.ask(c, "k")).isEqualTo("a.b 2\0a.b.c 3\0ab 4");
        assertThat(h.ask(c, "d a")).isEqualTo("OK");
        assertThat(h.ask(c, "d nothing.here")).isEqualTo("OK");
        assertThat(h.db.keyspace().size()).isEqualTo(3);
    }

    @Test
    void keysListsDescendantsWithRelativePathsSeparatedByNul() {
        h.send(c, "s data Root", "s data.name BITE", "s data.author.name Andrés", "s datab x", "s data-x y",
                "s dat z", "s data.author.empty");
        assertThat(h.ask(c, "k data")).isEqualTo("author.empty \0author.name Andrés\0name BITE");
        assertThat(h.ask(c, "k data.author")).isEqualTo("empty \0name Andrés");
        assertThat(h.ask(c, "k data.name")).as("no descendants: an empty line").isEmpty();
        assertThat(h.ask(c, "k nothing")).isEmpty();
        assertThat(h.ask(c, "k")).isEqualTo(
                "dat z\0data Root\0data.author.empty \0data.author.name Andrés\0data.name BITE\0data-x y\0datab x");
    }

    @Test
    void keysOfAnEmptyDatabaseIsAnEmptyLine() {
        assertThat(h.ask(c, "k")).isEmpty();
        h.ask(c, "s a");
        assertThat(h.ask(c, "k")).isEqualTo("a ");
        assertThat(h.ask(c, "k a")).isEmpty();
    }

    static Stream<Arguments> json() {
        Map<String, String> session = data("data.name", "BITE", "data.author.name", "Andrés");
        Map<String, String> leafAndObject = data("a", "1", "a.b", "2", "a.b.c", "3", "a.d", "4");
        Map<String, String> siblings = data("a.b", "1", "ab", "2", "a-b", "3", "a.bc", "4", "a.b.c", "5");
        return Stream.of(
                arguments(data(), "j", "{}"),
                arguments(data(), "j a", "{}"),
                arguments(data(), "js", "{}"),
                arguments(data(), "js a.b", "{}"),
                arguments(session, "j data", "{\"author\":{\"name\":\"Andrés\"},\"name\":\"BITE\"}"),
                arguments(session, "j", "{\"data\":{\"author\":{\"name\":\"Andrés\"},\"name\":\"BITE\"}}"),
                arguments(session, "js", "{\"data\":{\"author\":{\"name\":\"Andrés\"},\"name\":\"BITE\"}}"),
                arguments(session, "j data.name", "\"BITE\""),
                arguments(session, "js data.name", "{\"data\":{\"name\":\"BITE\"}}"),
                arguments(session, "js data.author", "{\"data\":{\"author\":{\"name\":\"Andrés\"}}}"),
                arguments(session, "j data.why", "{}"),
                arguments(session, "js data.why", "{}"),
                arguments(session, "j dat", "{}"),
                // the object wins over the leaf
                arguments(leafAndObject, "j a", "{\"b\":{\"c\":\"3\"},\"d\":\"4\"}"),
                arguments(leafAndObject, "j", "{\"a\":{\"b\":{\"c\":\"3\"},\"d\":\"4\"}}"),
                arguments(leafAndObject, "j a.b", "{\"c\":\"3\"}"),
                arguments(leafAndObject, "js a.b", "{\"a\":{\"b\":{\"c\":\"3\"}}}"),
                arguments(leafAndObject, "j a.b.c", "\"3\""),
                arguments(leafAndObject, "js a.b.c", "{\"a\":{\"b\":{\"c\":\"3\"}}}"),
                // dot boundaries, and segments sharing a prefix
                arguments(siblings, "j a", "{\"b\":{\"c\":\"5\"},\"bc\":\"4\"}"),
                arguments(siblings, "j", "{\"a\":{\"b\":{\"c\":\"5\"},\"bc\":\"4\"},\"a-b\":\"3\",\"ab\":\"2\"}"),
                arguments(data("a.b.c", "1", "a.bc.d", "2"), "j", "{\"a\":{\"b\":{\"c\":\"1\"},\"bc\":{\"d\":\"2\"}}}"),
                arguments(data("a.b.c.d", "1", "a.e", "2", "f", "3"), "j",
                        "{\"a\":{\"b\":{\"c\":{\"d\":\"1\"}},\"e\":\"2\"},\"f\":\"3\"}"),
                arguments(data("x.a.b.c.d", "1", "x.a.b.e", "2", "x.a.f", "3", "x.g", "4"), "j x",
                        "{\"a\":{\"b\":{\"c\":{\"d\":\"1\"},\"e\":\"2\"},\"f\":\"3\"},\"g\":\"4\"}"),
                arguments(data("a", ""), "j a", "\"\""),
                arguments(data("a", ""), "j", "{\"a\":\"\"}"),
                arguments(data("a", ""), "js a", "{\"a\":\"\"}"),
                // escapes in values and in keys; U+007F, non-ASCII and / as themselves
                arguments(data("v", "q\"b\\s\bf\fn\nr\rt\t\u0001\u001f\u007f/é😀"), "j v",
                        "\"q\\\"b\\\\s\\bf\\fn\\nr\\rt\\t\\u0001\\u001f\u007f/é😀\""),
                arguments(data("k\"q.x\\y", "1"), "j", "{\"k\\\"q\":{\"x\\\\y\":\"1\"}}"),
                arguments(data("k\"q.x\\y", "1"), "js k\"q.x\\y", "{\"k\\\"q\":{\"x\\\\y\":\"1\"}}"),
                arguments(data("k\"q.x\\y", "1"), "js k\"q", "{\"k\\\"q\":{\"x\\\\y\":\"1\"}}"),
                // keys sorted by UTF-8 bytes: z (7A) < é (C3) < U+E000 (EE) < U+FF41 (EF) < 😀 (F0)
                arguments(data("😀", "4", "\uff41", "3", "\ue000", "2", "é", "1", "z", "0"), "j",
                        "{\"z\":\"0\",\"é\":\"1\",\"\ue000\":\"2\",\"\uff41\":\"3\",\"😀\":\"4\"}"));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("json")
    void jsonOfTheSubtree(Map<String, String> data, String request, String expected) {
        assertThat(new DatabaseHarness(data, 1024).ask(c, request)).isEqualTo(expected);
    }

    /** PROTOCOL.md "Order", with characters that sort below and above the dot, non-ASCII and supplementary. */
    static final List<String> SORTED = List.of(
            "a", "a.b", "a.b.c", "a.b.c-d", "a.b!", "a.c", "a!", "a\"", "a-b", "a-b.c", "a/b", "a0", "aa",
            "b", "b.\u0080", "b.é", "b.é.x", "b.\u07ff", "b.\u0800", "b.\ud7ff", "b.\ue000", "b.\uffff",
            "b.\ud800\udc00", "b.😀", "b.\udbff\udfff", "b~", "é", "😀");

    @Test
    void keysComeOutInProtocolOrder() {
        List<String> shuffled = new ArrayList<>(SORTED);
        Collections.shuffle(shuffled, new Random(1984));
        for (String key : shuffled) h.ask(c, "s " + key + " " + key.length());
        StringBuilder expected = new StringBuilder();
        for (String key : SORTED) {
            if (!expected.isEmpty()) expected.append('\0');
            expected.append(key).append(' ').append(key.length());
        }
        assertThat(h.ask(c, "k")).isEqualTo(expected.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"s k 12345678901", "+ k 12345678901", "sl |a 1|k 12345678901"})
    void valuesOverTheLimitAreRejectedAndChangeNothing(String line) {
        DatabaseHarness small = new DatabaseHarness(Map.of(), 10);
        assertThat(small.ask(c, line)).isEqualTo("ERR value too long");
        assertThat(small.ask(c, "k")).isEmpty();
        assertThat(small.db.drainChanges()).isEmpty();
    }

    @Test
    void valueLimitCountsUtf8BytesAndAppendedValues() {
        DatabaseHarness small = new DatabaseHarness(Map.of(), 10);
        assertThat(small.ask(c, "s k 1234567890")).isEqualTo("OK");
        assertThat(small.ask(c, "s e ééééé")).isEqualTo("OK");
        assertThat(small.ask(c, "s e éééééa")).isEqualTo("ERR value too long");
        assertThat(small.ask(c, "s x 12345")).isEqualTo("OK");
        assertThat(small.ask(c, "+ x 67890")).isEqualTo("OK");
        assertThat(small.ask(c, "+ x 1")).isEqualTo("ERR value too long");
        assertThat(small.ask(c, "g x")).isEqualTo("1234567890");
        assertThat(small.ask(c, "g e")).isEqualTo("ééééé");
    }

    @Test
    void changesForStorageCarryResultsInOrder() {
        h.send(c, "s a 007", "+1 a", "g a", "d a", "d a", "+ b x", "+ b y", "s? b z", "sl |c 1|d 2", "! e v",
                "#g f v", "+1 b", "s .bad 1");
        assertThat(h.db.drainChanges()).containsExactly(
                new Change("a", "007"), new Change("a", "8"), new Change("a", null), new Change("b", "x"),
                new Change("b", "xy"), new Change("c", "1"), new Change("d", "2"));
        assertThat(h.db.drainChanges()).isEmpty();
    }

    @Test
    void replyLinesComeInRequestOrder() {
        assertThat(h.send(c, "s a 1", "g a", "bogus", "+1 a", "g nothing", "k", "j", "s? a 3")).containsExactly(
                "reply OK", "reply 1", "reply ERR unknown command 'bogus'", "reply 2", "reply ", "reply a 2",
                "reply {\"a\":\"2\"}", "reply NO");
    }

    @Test
    void eachClientGetsItsOwnReplies() {
        RecordingClient other = new RecordingClient("other");
        h.db.apply(c, new bite.command.Command.Set("a", "1"));
        h.db.apply(other, new bite.command.Command.Get("a"));
        h.db.apply(c, new bite.command.Command.Get("a"));
        h.db.apply(other, new bite.command.Command.Invalid("missing key"));
        h.db.output().drain().deliver();
        assertThat(c.take()).containsExactly("reply OK", "reply 1");
        assertThat(other.take()).containsExactly("reply 1", "reply ERR missing key");
    }

    private static Map<String, String> data(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) map.put(keysAndValues[i], keysAndValues[i + 1]);
        return map;
    }
}
