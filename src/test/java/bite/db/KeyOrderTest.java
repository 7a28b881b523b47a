package bite.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** PROTOCOL.md "Order": segment by segment, each by its UTF-8 bytes, a key before its descendants. */
class KeyOrderTest {

    @Test
    void theProtocolExample() {
        List<String> keys = new ArrayList<>(List.of("b", "a-b", "a.c", "a.b.c", "a.b", "a"));
        keys.sort(KeyOrder.INSTANCE);
        assertThat(keys).containsExactly("a", "a.b", "a.b.c", "a.c", "a-b", "b");
    }

    @Test
    void sortsLikeTheDefinitionOnManyKeys() {
        List<String> keys = new ArrayList<>(DatabaseTest.SORTED);
        Random random = new Random(7);
        String[] alphabet = {"a", "b", ".", "-", "!", "~", "é", "\u07ff", "\u0800", "\ud7ff", "\ue000", "\uffff",
                "😀", "\ud800\udc00", "\udbff\udfff", "0"};
        while (keys.size() < 3000) {
            StringBuilder key = new StringBuilder();
            int length = 1 + random.nextInt(6);
            for (int i = 0; i < length; i++) key.append(alphabet[random.nextInt(alphabet.length)]);
            String k = key.toString();
            if (!k.startsWith(".") && !k.endsWith(".") && !k.contains("..")) keys.add(k);
        }
        Collections.shuffle(keys, random);
        List<String> expected = new ArrayList<>(keys);
        expected.sort(KeyOrderTest::bySegmentBytes);
        keys.sort(KeyOrder.INSTANCE);
        assertThat(keys).isEqualTo(expected);
        assertThat(DatabaseTest.SORTED).isSortedAccordingTo(KeyOrderTest::bySegmentBytes);
    }

    static Stream<Arguments> pairs() {
        return Stream.of(
                arguments("a", "a.b"),
                arguments("a.b", "a!"),
                arguments("a.b", "ab"),
                arguments("a.z", "a-b"),
                arguments("a.bc", "a.c"),
                arguments("a.b.c", "a.bc"),
                arguments("a", "b"),
                arguments("Z", "a"),
                arguments("\u007f", "\u0080"),
                arguments("\uffff", "😀"),
                arguments("\ue000", "\ud800\udc00"),
                arguments("😀", "\udbff\udfff"),
                arguments("é.x", "é!"));
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void firstSortsBeforeSecond(String first, String second) {
        assertThat(KeyOrder.INSTANCE.compare(first, second)).isNegative();
        assertThat(KeyOrder.INSTANCE.compare(second, first)).isPositive();
        assertThat(KeyOrder.INSTANCE.compare(first, first)).isZero();
    }

    @Test
    void selfOrDescendantIsOnDotBoundaries() {
        assertThat(KeyOrder.isSelfOrDescendant("a", "a")).isTrue();
        assertThat(KeyOrder.isSelfOrDescendant("a.b", "a")).isTrue();
        assertThat(KeyOrder.isSelfOrDescendant("a.b.c", "a")).isTrue();
        assertThat(KeyOrder.isSelfOrDescendant("a.b.c", "a.b")).isTrue();
        assertThat(KeyOrder.isSelfOrDescendant("ab", "a")).isFalse();
        assertThat(KeyOrder.isSelfOrDescendant("a-b", "a")).isFalse();
        assertThat(KeyOrder.isSelfOrDescendant("a", "a.b")).isFalse();
        assertThat(KeyOrder.isSelfOrDescendant("a.bc", "a.b")).isFalse();
        assertThat(KeyOrder.isSelfOrDescendant("b", "a")).isFalse();
    }

    /** The definition, written out the slow way. */
    private static int bySegmentBytes(String a, String b) {
        String[] x = a.split("\\.", -1);
        String[] y = b.split("\\.", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = Arrays.compareUnsigned(x[i].getBytes(StandardCharsets.UTF_8), y[i].getBytes(StandardCharsets.UTF_8));
            if (c != 0) return c;
        }
        return Integer.compare(x.length, y.length);
    }
}
