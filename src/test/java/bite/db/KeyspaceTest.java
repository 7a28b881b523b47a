package bite.db;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class KeyspaceTest {

    private static final String[] SEGMENTS = {"a", "b", "a-b", "é", "z", "😀", "0", "room", "a b"};

    private static String randomKey(Random random) {
        StringBuilder key = new StringBuilder(SEGMENTS[random.nextInt(SEGMENTS.length)]);
        for (int depth = random.nextInt(4); depth > 0; depth--) {
            key.append('.').append(SEGMENTS[random.nextInt(SEGMENTS.length)]);
        }
        return key.toString();
    }

    private static List<String> keysOf(Iterator<Map.Entry<String, String>> it) {
        List<String> keys = new ArrayList<>();
        it.forEachRemaining(e -> keys.add(e.getKey()));
        return keys;
    }

    @Test
    void startingDataIsInKeyOrderAndStaysSoThroughLaterChanges() {
        Random random = new Random(11);
        Map<String, String> initial = new HashMap<>();
        for (int i = 0; i < 3_000; i++) initial.put(randomKey(random), "v" + i);
        TreeMap<String, String> model = new TreeMap<>(KeyOrder.INSTANCE);
        model.putAll(initial);

        Keyspace keyspace = new Keyspace(initial);
        assertThat(keyspace.size()).isEqualTo(model.size());
        assertThat(keysOf(keyspace.subtree(null))).containsExactlyElementsOf(model.keySet());
        assertThat(keyspace.view()).containsExactlyEntriesOf(model);

        for (int i = 0; i < 3_000; i++) {
            String key = randomKey(random);
            if (random.nextBoolean()) {
                assertThat(keyspace.put(key, "w" + i)).isEqualTo(model.put(key, "w" + i));
            } else {
                assertThat(keyspace.remove(key)).isEqualTo(model.remove(key));
            }
        }
        assertThat(keyspace.view()).containsExactlyEntriesOf(model);
        for (String segment : SEGMENTS) {
            List<String> expected = model.keySet().stream()
                    .filter(k -> KeyOrder.isSelfOrDescendant(k, segment)).toList();
            assertThat(keysOf(keyspace.subtree(segment))).as(segment).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void theStartingMapIsCopiedNotShared() {
        Map<String, String> initial = new HashMap<>(Map.of("a", "1", "a.b", "2"));
        Keyspace keyspace = new Keyspace(initial);
        keyspace.put("c", "3");
        initial.put("d", "4");
        assertThat(initial).containsOnlyKeys("a", "a.b", "d");
        assertThat(keyspace.view()).containsExactly(Map.entry("a", "1"), Map.entry("a.b", "2"), Map.entry("c", "3"));
        assertThat(new Keyspace(Map.of()).size()).isZero();
    }
}
