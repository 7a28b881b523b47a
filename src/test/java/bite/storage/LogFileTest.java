package bite.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static bite.storage.StorageTesting.set;
import static org.assertj.core.api.Assertions.assertThat;

class LogFileTest {

    @TempDir
    Path dir;

    static long write(Path dir, long gen, List<List<Change>> sets) throws IOException {
        RecordFormat.Encoder out = new RecordFormat.Encoder();
        try (LogFile.Writer w = LogFile.Writer.create(dir, gen)) {
            for (List<Change> s : sets) {
                LogFile.encode(out, s);
            }
            w.write(out.view());
            return w.size();
        }
    }

    @Test
    void replayAppliesChangeSetsInOrderIncludingDeletes() throws IOException {
        write(dir, 1, List.of(
                set("a", "1", "b", "2"),
                List.of(new Change("a", null), new Change("c", "x y")),
                set("b", "3", "é", "")));
        Map<String, String> data = new HashMap<>();

        LogFile.Replayed r = LogFile.replay(dir.resolve(LogFile.name(1)), 1, data, offset -> { });

        assertThat(data).isEqualTo(Map.of("b", "3", "c", "x y", "é", ""));
        assertThat(r.records()).isEqualTo(3);
        assertThat(r.tornBytes()).isZero();
    }

    @Test
    void replayingTwiceGivesTheSameState() throws IOException {
        write(dir, 1, List.of(set("a", "1"), List.of(new Change("a", null)), set("a", "2", "b", "1")));
        Map<String, String> once = new HashMap<>(Map.of("a", "0", "z", "9"));
        LogFile.replay(dir.resolve(LogFile.name(1)), 1, once, offset -> { });
        Map<String, String> twice = new HashMap<>(once);
        LogFile.replay(dir.resolve(LogFile.name(1)), 1, twice, offset -> { });
        assertThat(twice).isEqualTo(once).isEqualTo(Map.of("a", "2", "b", "1", "z", "9"));
    }

    @Test
    void stringsAreEncodedAsStandardUtf8() {
        for (String text : List.of("", "ascii", "é", "€", "日本語", "😀", "a😀b",
                "\u0000\u007f\u0080\u07ff\u0800\uffff")) {
            RecordFormat.Encoder out = new RecordFormat.Encoder();
            out.beginFrame(RecordFormat.CHANGES);
            out.string(text);
            out.endFrame();
            byte[] bytes = java.util.Arrays.copyOfRange(out.view().array(), RecordFormat.HEADER + 1, out.size());
            byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(bytes).as(text).endsWith(utf8).hasSizeLessThanOrEqualTo(utf8.length + 5);
            assertThat(new RecordFormat.Decoder(java.util.Arrays.copyOfRange(out.view().array(), RecordFormat.HEADER + 1,
                    out.size())).string()).isEqualTo(text);
        }
    }

    @Test
    void fileNamesCarryTheGeneration() {
        assertThat(LogFile.name(7)).isEqualTo("log-000000000007.bite");
        assertThat(LogFile.generationOf("log-000000000007.bite")).isEqualTo(7);
        assertThat(LogFile.generationOf("log-7.bite")).isEqualTo(-1);
        assertThat(LogFile.generationOf("snapshot.bite")).isEqualTo(-1);
    }
}
