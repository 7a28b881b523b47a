package bite.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static bite.storage.StorageTesting.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RecoveryTest {

    @TempDir
    Path tmp;

    private static final List<List<Change>> THREE = List.of(
            set("a", "1", "b", "2"),
            List.of(new Change("a", null), new Change("c", "3")),
            set("b", "last", "d", "new")); // the last record: two keys, all or nothing

    private Recovery.Result recover(Path dir) throws IOException {
        try (DataDir d = DataDir.open(dir)) {
            return Recovery.run(d, true);
        }
    }

    /** Offsets where each record of {@link #THREE} starts in its log, and the log's end. */
    private long[] writeThree(Path dir) throws IOException {
        Files.createDirectories(dir);
        long[] starts = new long[4];
        starts[0] = LogFile.FILE_HEADER;
        for (int i = 1; i <= 3; i++) {
            Files.deleteIfExists(dir.resolve(LogFile.name(1)));
            starts[i] = LogFileTest.write(dir, 1, THREE.subList(0, i));
        }
        return starts;
    }

    @Test
    void aTornTailIsDroppedWithAWarningAtEveryCutInTheLastRecord() throws IOException {
        long[] starts = writeThree(tmp.resolve("full"));
        byte[] full = Files.readAllBytes(tmp.resolve("full").resolve(LogFile.name(1)));
        for (long cut = starts[2]; cut < starts[3]; cut++) {
            Path dir = tmp.resolve("cut" + cut);
            Files.createDirectories(dir);
            Path log = dir.resolve(LogFile.name(1));
            Files.write(log, java.util.Arrays.copyOf(full, (int) cut));
            try (StorageTesting.LogCapture logs = new StorageTesting.LogCapture()) {
                Recovery.Result r = recover(dir);

                assertThat(r.data()).as("cut at %d", cut).isEqualTo(Map.of("b", "2", "c", "3"));
                assertThat(r.records()).isEqualTo(2);
                assertThat(r.tornBytes()).isEqualTo(cut - starts[2]);
                if (cut > starts[2]) {
                    assertThat(logs.warnings()).as("cut at %d", cut).singleElement().asString()
                            .contains(log.toString()).contains("torn tail of " + (cut - starts[2]) + " bytes")
                            .contains("at offset " + starts[2]);
                } else {
                    assertThat(logs.warnings()).isEmpty();
                }
            }
            assertThat(Files.size(log)).as("truncated to the last good record").isEqualTo(starts[2]);
        }
        assertThat(recover(tmp.resolve("full")).data()).isEqualTo(Map.of("b", "last", "c", "3", "d", "new"));
    }

    @Test
    void aZeroFilledTailIsATornTail() throws IOException {
        long[] starts = writeThree(tmp);
        Path log = tmp.resolve(LogFile.name(1));
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.allocate((int) (starts[3] - starts[2]) + 4096), starts[2]);
        }
        Recovery.Result r = recover(tmp);
        assertThat(r.data()).isEqualTo(Map.of("b", "2", "c", "3"));
        assertThat(Files.size(log)).isEqualTo(starts[2]);
    }

    @Test
    void aDamagedByteBeforeTheLastRecordIsRefusedWithFileAndOffset() throws IOException {
        long[] starts = writeThree(tmp.resolve("good"));
        byte[] good = Files.readAllBytes(tmp.resolve("good").resolve(LogFile.name(1)));
        for (long i = starts[1]; i < starts[2]; i++) { // every byte of the middle record
            Path dir = tmp.resolve("bad" + i);
            Files.createDirectories(dir);
            byte[] bad = good.clone();
            bad[(int) i] ^= 0x01;
            Path log = dir.resolve(LogFile.name(1));
            Files.write(log, bad);

            StorageFileException e = catchThrowableOfType(StorageFileException.class, () -> recover(dir));

            assertThat(e).as("byte %d flipped", i).isNotNull();
            assertThat(e.file()).isEqualTo(log);
            assertThat(e.offset()).isEqualTo(starts[1]);
            assertThat(e.getMessage()).contains("damaged log").contains("at offset " + starts[1]);
            assertThat(Files.readAllBytes(log)).as("a refused log is left as it was").isEqualTo(bad);
        }
    }

    @Test
    void aDamagedFileHeaderIsRefused() throws IOException {
        writeThree(tmp);
        Path log = tmp.resolve(LogFile.name(1));
        byte[] bytes = Files.readAllBytes(log);
        bytes[0] = 'X';
        Files.write(log, bytes);
        assertThatThrownBy(() -> recover(tmp)).isInstanceOf(StorageFileException.class)
                .hasMessageContaining(log.toString()).hasMessageContaining("not a Bite log");
    }

    @Test
    void aCorruptSnapshotStopsRecovery() throws IOException {
        SnapshotFile.write(tmp, Map.of("a", "1"), 1, 0);
        Path file = tmp.resolve(SnapshotFile.NAME);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x40;
        Files.write(file, bytes);
        assertThatThrownBy(() -> recover(tmp)).isInstanceOf(StorageFileException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("damaged snapshot");
    }

    @Test
    void logsOlderThanTheSnapshotAreIgnoredAndDeleted() throws IOException {
        // a crash between the snapshot's rename and the old log's deletion: the old log holds older values
        LogFileTest.write(tmp, 1, List.of(set("a", "old", "gone", "x")));
        LogFileTest.write(tmp, 2, List.of(set("b", "2")));
        SnapshotFile.write(tmp, Map.of("a", "new"), 2, 0);
        Recovery.Result r = recover(tmp);
        assertThat(r.data()).isEqualTo(Map.of("a", "new", "b", "2"));
        assertThat(tmp.resolve(LogFile.name(1))).doesNotExist();
        assertThat(r.nextGen()).isEqualTo(3);
    }

    @Test
    void replayingChangesTheSnapshotAlreadyHasIsHarmless() throws IOException {
        // the snapshot was taken after the log's changes, and the log was not yet restarted
        LogFileTest.write(tmp, 1, List.of(set("a", "1"), set("a", "2", "b", "1"), List.of(new Change("b", null))));
        SnapshotFile.write(tmp, Map.of("a", "2"), 1, 0);
        assertThat(recover(tmp).data()).isEqualTo(Map.of("a", "2"));
    }

    @Test
    void aMissingLogGenerationIsRefused() throws IOException {
        LogFileTest.write(tmp, 1, List.of(set("a", "1")));
        LogFileTest.write(tmp, 3, List.of(set("a", "3")));
        assertThatThrownBy(() -> recover(tmp)).isInstanceOf(StorageFileException.class)
                .hasMessageContaining("log generation 2 is missing");
    }

    @Test
    void logsWithoutTheirSnapshotAreRefusedRatherThanLoadedPartially() throws IOException {
        LogFileTest.write(tmp, 5, List.of(set("a", "1")));
        assertThatThrownBy(() -> recover(tmp)).isInstanceOf(StorageFileException.class)
                .hasMessageContaining("snapshot.bite is missing");
    }

    @Test
    void anEmptyDirectoryRecoversNothing() throws IOException {
        Recovery.Result r = recover(tmp.resolve("new"));
        assertThat(r.data()).isEmpty();
        assertThat(r.nextGen()).isEqualTo(1);
    }
}
