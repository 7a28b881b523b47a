package bite.db;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Snapshots of the keyspace: each shows exactly the state when it was taken, whatever is written after. */
class KeyspaceSnapshotTest {

    private record Open(Keyspace.Snapshot snapshot, Map<String, String> expected) {}

    private static Map<String, String> read(Iterator<Map.Entry<String, String>> it) {
        Map<String, String> out = new LinkedHashMap<>();
        it.forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Test
    void eachSnapshotShowsItsMomentWhileWritesGoOnAndTombstonesGoWithTheLast() {
        for (int seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            TreeMap<String, String> model = new TreeMap<>(KeyOrder.INSTANCE);
            for (int i = 0; i < 50; i++) model.put("k." + i, "init" + i);
            Keyspace keyspace = new Keyspace(model);
            List<Open> open = new ArrayList<>();
            for (int step = 0; step < 2_000; step++) {
                String key = random.nextInt(4) == 0 ? "k" : "k." + random.nextInt(80);
                switch (random.nextInt(10)) {
                    case 0, 1, 2 -> {
                        assertThat(keyspace.remove(key)).isEqualTo(model.remove(key));
                    }
                    case 3 -> open.add(new Open(keyspace.snapshot(), new LinkedHashMap<>(model)));
                    case 4 -> {
                        if (!open.isEmpty()) {
                            Open o = open.remove(random.nextInt(open.size()));
                            assertThat(read(o.snapshot().subtree(null))).as("seed %d step %d", seed, step)
                                    .containsExactlyEntriesOf(o.expected());
                            keyspace.release(o.snapshot());
                        }
                    }
                    default -> {
                        String value = "v" + step;
                        assertThat(keyspace.put(key, value)).isEqualTo(model.put(key, value));
                    }
                }
                assertThat(keyspace.size()).isEqualTo(model.size());
                assertThat(keyspace.get(key)).isEqualTo(model.get(key));
            }
            for (Open o : open) {
                assertThat(read(o.snapshot().subtree("k"))).containsExactlyEntriesOf(o.expected());
                keyspace.release(o.snapshot());
            }
            assertThat(keyspace.view()).containsExactlyEntriesOf(model);
            assertThat(keyspace.subtreeLarger(null, model.size())).isFalse();
            assertThat(keyspace.subtreeLarger(null, model.size() - 1)).isEqualTo(!model.isEmpty());
        }
    }

    @Test
    void aSubtreeSnapshotLeavesOutKeysAddedAfterItAndKeepsKeysDeletedAfterIt() {
        Keyspace keyspace = new Keyspace(Map.of("a", "1", "a.b", "2", "a-c", "3"));
        Keyspace.Snapshot snapshot = keyspace.snapshot();
        keyspace.put("a.a", "new");
        keyspace.remove("a.b");
        keyspace.put("a", "changed");
        assertThat(read(snapshot.subtree("a"))).containsExactly(Map.entry("a", "1"), Map.entry("a.b", "2"));
        assertThat(read(keyspace.subtree("a"))).containsExactly(Map.entry("a", "changed"), Map.entry("a.a", "new"));
        keyspace.release(snapshot);
        assertThat(keyspace.view()).containsExactly(Map.entry("a", "changed"), Map.entry("a.a", "new"),
                Map.entry("a-c", "3"));
    }
}
