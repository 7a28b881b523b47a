package bite.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SnapshotFileTest {

    @TempDir
    Path dir;

    static Map<String, String> awkward() {
        Map<String, String> m = new HashMap<>();
        m.put("data.name", "BITE");
        m.put("with spaces", "  inner  spaces  ");
        m.put("unicode.ñandú", "Andrés 🎮 ✓ 日本語");
        m.put("empty", "");
        m.put("cr\r", "a\rb");
        m.put("tab\tkey", "\tx\t");
        m.put("long", "v".repeat(300_000)); // bigger than one frame
        for (int i = 0; i < 5000; i++) {
            m.put("room.7.player." + i, "pos " + i);
        }
        return m;
    }

    @Test
    void roundTripKeepsEveryKeyAndValueExactly() throws IOException {
        Map<String, String> data = awkward();
        long size = SnapshotFile.write(dir, data, 42, 1234567L);

        SnapshotFile.Loaded back = SnapshotFile.read(dir.resolve(SnapshotFile.NAME), offset -> { });

        assertThat(back.data()).isEqualTo(data);
        assertThat(back.startGen()).isEqualTo(42);
        assertThat(back.createdMillis()).isEqualTo(1234567L);
        assertThat(back.bytes()).isEqualTo(size).isEqualTo(Files.size(dir.resolve(SnapshotFile.NAME)));
        assertThat(dir.resolve(SnapshotFile.TEMP_NAME)).doesNotExist();
    }

    @Test
    void emptyDatasetRoundTrips() throws IOException {
        SnapshotFile.write(dir, Map.of(), 1, 0);
        assertThat(SnapshotFile.read(dir.resolve(SnapshotFile.NAME), offset -> { }).data()).isEmpty();
    }

    @Test
    void aNewSnapshotReplacesTheOld() throws IOException {
        SnapshotFile.write(dir, Map.of("a", "1"), 1, 0);
        SnapshotFile.write(dir, Map.of("b", "2"), 2, 0);
        assertThat(SnapshotFile.read(dir.resolve(SnapshotFile.NAME), offset -> { }).data())
                .isEqualTo(Map.of("b", "2"));
    }

    @Test
    void anyDamagedByteIsRefusedWithFileAndOffset() throws IOException {
        Map<String, String> data = Map.of("a", "1", "b.c", "two words", "d", "");
        SnapshotFile.write(dir, data, 1, 99);
        Path file = dir.resolve(SnapshotFile.NAME);
        byte[] good = Files.readAllBytes(file);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x20;
            Files.write(file, bad);
            StorageFileException e = catchThrowableOfType(StorageFileException.class,
                    () -> SnapshotFile.read(file, offset -> { }));
            assertThat(e).as("byte %d flipped", i).isNotNull();
            assertThat(e.file()).isEqualTo(file);
            assertThat(e.offset()).as("byte %d flipped", i).isBetween(0L, (long) i);
            assertThat(e.getMessage()).contains(file.toString()).contains("at offset " + e.offset());
        }
    }

    @Test
    void aTruncatedSnapshotIsRefusedAtEveryLength() throws IOException {
        SnapshotFile.write(dir, Map.of("a", "1", "b", "2"), 1, 0);
        Path file = dir.resolve(SnapshotFile.NAME);
        byte[] good = Files.readAllBytes(file);
        for (int len = 0; len < good.length; len++) {
            Files.write(file, java.util.Arrays.copyOf(good, len));
            assertThatThrownBy(() -> SnapshotFile.read(file, offset -> { }))
                    .as("cut to %d bytes", len).isInstanceOf(StorageFileException.class);
        }
    }

    @Test
    void bytesAfterTheEndAreRefused() throws IOException {
        SnapshotFile.write(dir, Map.of("a", "1"), 1, 0);
        Path file = dir.resolve(SnapshotFile.NAME);
        long size = Files.size(file);
        Files.write(file, new byte[] {0}, StandardOpenOption.APPEND);
        assertThatThrownBy(() -> SnapshotFile.read(file, offset -> { }))
                .isInstanceOf(StorageFileException.class)
                .hasMessageContaining("after the END frame").hasMessageContaining("at offset " + size);
    }

    @Test
    void aFileThatIsNotASnapshotSaysSo() throws IOException {
        Path file = dir.resolve(SnapshotFile.NAME);
        Files.writeString(file, "{\"data\":\"json\"}");
        assertThatThrownBy(() -> SnapshotFile.read(file, offset -> { }))
                .hasMessageContaining("not a Bite snapshot").hasMessageContaining("at offset 0");
    }
}
