package bite.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static bite.storage.StorageTesting.await;
import static bite.storage.StorageTesting.awaitSteady;
import static bite.storage.StorageTesting.crashCopy;
import static bite.storage.StorageTesting.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The storage thread end to end, in process: open, submit, snapshots, close, reopen. */
class StorageTest {

    private static final Duration LONG = Duration.ofHours(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private static Map<String, String> reopen(Path dir) throws IOException {
        try (Storage s = Storage.open(dir, FsyncPolicy.NO, LONG)) {
            return s.recovered();
        }
    }

    private static Map<String, String> recoverCopy(Path dir, Path to) throws IOException {
        try (DataDir d = DataDir.open(crashCopy(dir, to))) {
            return Recovery.run(d, false).data();
        }
    }

    @Test
    void aMissingDataDirectoryIsCreated() throws IOException {
        Path dir = tmp.resolve("a/b/data");
        try (Storage s = Storage.open(dir, FsyncPolicy.EVERYSEC, LONG)) {
            assertThat(s.recovered()).isEmpty();
            assertThat(dir).isDirectory();
            assertThat(dir.resolve("bite.lock")).exists();
        }
    }

    @Test
    void aDataPathUnderARegularFileFailsClearly() throws IOException {
        // works as root too, where chmod does not stop writes
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        assertThatThrownBy(() -> Storage.open(file.resolve("data"), FsyncPolicy.EVERYSEC, LONG))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot create data directory " + file.resolve("data"));
        assertThatThrownBy(() -> Storage.open(file, FsyncPolicy.EVERYSEC, LONG))
                .hasMessage("data directory " + file + " is not a directory");
    }

    @Test
    void aReadOnlyDataDirectoryFailsClearly() throws Exception {
        try (TinyFs fs = TinyFs.mount(tmp.resolve("ro"), "1m")) {
            fs.remountReadOnly();
            assertThatThrownBy(() -> Storage.open(fs.dir(), FsyncPolicy.EVERYSEC, LONG))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("data directory " + fs.dir() + " is not writable")
                    .hasMessageContaining("Read-only file system");
            assertThatThrownBy(() -> Storage.open(fs.dir().resolve("sub"), FsyncPolicy.EVERYSEC, LONG))
                    .hasMessageContaining("cannot create data directory " + fs.dir().resolve("sub"));
        }
    }

    @Test
    void aSecondServerCannotOpenTheSameDirectory() throws IOException {
        Path dir = tmp.resolve("data");
        try (Storage first = Storage.open(dir, FsyncPolicy.EVERYSEC, LONG)) {
            assertThatThrownBy(() -> Storage.open(dir, FsyncPolicy.EVERYSEC, LONG))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("is in use by another Bite server")
                    .hasMessageContaining("held by pid " + ProcessHandle.current().pid());
        }
        Storage.open(dir, FsyncPolicy.EVERYSEC, LONG).close(); // released on close
    }

    @ParameterizedTest
    @EnumSource(FsyncPolicy.class)
    void closeWritesAFinalSnapshotThatTheNextOpenLoads(FsyncPolicy fsync) throws Exception {
        Path dir = tmp.resolve("data");
        Map<String, String> expected = new HashMap<>(SnapshotFileTest.awkward());
        try (Storage s = Storage.open(dir, fsync, LONG)) {
            Acks acks = new Acks(s);
            s.recovered();
            acks.start();
            CountDownLatch acked = new CountDownLatch(3);
            List<Change> all = new ArrayList<>();
            expected.forEach((k, v) -> all.add(new Change(k, v)));
            acks.submit(all, acked::countDown);
            acks.submit(List.of(new Change("empty", null)), acked::countDown);
            acks.submit(List.of(), acked::countDown);
            expected.remove("empty");
            assertThat(acked.await(20, TimeUnit.SECONDS)).isTrue();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("snapshot.bite", "bite.lock");
        }
        assertThat(reopen(dir)).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(FsyncPolicy.class)
    void onDurableRunsOnlyOnceTheChangeIsInTheFile(FsyncPolicy fsync) throws Exception {
        Path dir = tmp.resolve("data");
        try (Storage s = Storage.open(dir, fsync, LONG)) {
            Acks acks = new Acks(s);
            acks.start();
            CompletableFuture<Map<String, String>> onDisk = new CompletableFuture<>();
            acks.submit(set("a", "1", "b", "2"), () -> {
                try { // what a kill -9 right now would leave
                    onDisk.complete(recoverCopy(dir, tmp.resolve("crash")));
                } catch (IOException e) {
                    onDisk.completeExceptionally(e);
                }
            });
            assertThat(onDisk.get(20, TimeUnit.SECONDS)).isEqualTo(Map.of("a", "1", "b", "2"));
        }
    }

    @Test
    void concurrentWritesShareOneFsync() throws Exception {
        try (Storage s = Storage.open(tmp.resolve("data"), FsyncPolicy.ALWAYS, LONG)) {
            Acks acks = new Acks(s);
            int n = 500;
            CountDownLatch acked = new CountDownLatch(n);
            for (int i = 0; i < n; i++) { // queued before the thread starts: one round takes them all
                acks.submit(set("k" + i, "v"), acked::countDown);
            }
            acks.start();
            assertThat(acked.await(20, TimeUnit.SECONDS)).isTrue();
            await("stats", TIMEOUT, () -> s.stats().logRecords() == n);
            assertThat(s.stats().logFsyncs()).isBetween(1L, 2L);
        }
    }

    @Test
    void aRoundBiggerThanTheWriteBufferIsWrittenWhole() throws Exception {
        Path dir = tmp.resolve("data");
        Map<String, String> expected = new HashMap<>();
        try (Storage s = Storage.open(dir, FsyncPolicy.ALWAYS, LONG)) {
            Acks acks = new Acks(s);
            int n = 12;
            CountDownLatch acked = new CountDownLatch(n);
            for (int i = 0; i < n; i++) { // 12 MB in one round
                String value = String.valueOf((char) ('a' + i)).repeat(1 << 20);
                expected.put("big." + i, value);
                acks.submit(set("big." + i, value), acked::countDown);
            }
            acks.start();
            assertThat(acked.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(recoverCopy(dir, tmp.resolve("crash"))).isEqualTo(expected);
        }
    }

    @Test
    void everysecFsyncsInTheBackground() throws Exception {
        try (Storage s = Storage.open(tmp.resolve("data"), FsyncPolicy.EVERYSEC, LONG)) {
            Acks acks = new Acks(s);
            acks.start();
            CountDownLatch acked = new CountDownLatch(1);
            acks.submit(set("a", "1"), acked::countDown);
            assertThat(acked.await(20, TimeUnit.SECONDS)).isTrue();
            await("a background fsync", TIMEOUT, () -> s.stats().logFsyncs() >= 1);
        }
    }

    // ALWAYS runs bite-storage on a platform thread, the others on a virtual one; the timer drives both
    @ParameterizedTest
    @EnumSource(FsyncPolicy.class)
    void snapshotsRestartTheLogWhileWritesGoOn(FsyncPolicy policy) throws Exception {
        Path dir = tmp.resolve("data");
        Map<String, String> model = new HashMap<>();
        Random random = new Random(7);
        try (Storage s = Storage.open(dir, policy, Duration.ofMillis(2))) {
            Acks acks = new Acks(s);
            acks.start();
            int n = 4000;
            CountDownLatch acked = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                List<Change> changes = new ArrayList<>();
                for (int j = random.nextInt(3); j >= 0; j--) {
                    String key = "room." + random.nextInt(300);
                    String value = random.nextInt(4) == 0 ? null : "v" + i;
                    changes.add(new Change(key, value));
                    if (value == null) model.remove(key); else model.put(key, value);
                }
                acks.submit(changes, acked::countDown);
                if (i % 200 == 0) {
                    long done = s.stats().snapshots();
                    await("a snapshot", TIMEOUT, () -> s.stats().snapshots() > done); // some land mid-stream
                }
            }
            assertThat(acked.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(s.stats().snapshots()).isGreaterThanOrEqualTo(20);
            assertThat(recoverCopy(dir, tmp.resolve("crash"))).isEqualTo(model);
            await("old logs deleted", TIMEOUT, () -> logCount(dir) <= 2);
        }
        assertThat(reopen(dir)).isEqualTo(model);
    }

    @Test
    void everysecForcesTheLogAboutOnceASecondWhileWritesComeIn() throws Exception {
        try (Storage s = Storage.open(tmp.resolve("data"), FsyncPolicy.EVERYSEC, LONG)) {
            Acks acks = new Acks(s);
            acks.start();
            assertThat(s.stats().logFsyncs()).isZero();
            CountDownLatch acked = new CountDownLatch(1);
            acks.submit(List.of(new Change("room.1", "a")), acked::countDown);
            assertThat(acked.await(20, TimeUnit.SECONDS)).isTrue();
            await("the first fsync", TIMEOUT, () -> s.stats().logFsyncs() >= 1);
            long first = s.stats().logFsyncs();
            acks.submit(List.of(new Change("room.1", "b")), () -> { });
            await("an fsync of the second write", TIMEOUT, () -> s.stats().logFsyncs() > first);
            // nothing new written: no more deadlines, so the fsyncs stop (a once-a-second idle fsync never settles)
            long idle = awaitSteady("the fsync count", Duration.ofMillis(1_200), TIMEOUT,
                    () -> s.stats().logFsyncs());
            assertThat(idle).isGreaterThan(first);
        }
    }

    private static long logCount(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("log-")).count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void recoveryReplaysTheLogWhenThereWasNoCleanClose() throws Exception {
        Path dir = tmp.resolve("data");
        try (Storage s = Storage.open(dir, FsyncPolicy.EVERYSEC, LONG)) {
            Acks acks = new Acks(s);
            acks.start();
            CountDownLatch acked = new CountDownLatch(2);
            acks.submit(set("a", "1", "b", "2"), acked::countDown);
            acks.submit(List.of(new Change("a", null)), acked::countDown);
            assertThat(acked.await(20, TimeUnit.SECONDS)).isTrue();
            crashCopy(dir, tmp.resolve("crash"));
        }
        try (Storage s = Storage.open(tmp.resolve("crash"), FsyncPolicy.EVERYSEC, LONG)) {
            assertThat(s.recovered()).isEqualTo(Map.of("b", "2"));
        }
    }

    @Test
    void aFullDiskHoldsAcksUntilTheDataIsSafeAgain() throws Exception {
        try (TinyFs fs = TinyFs.mount(tmp.resolve("small"), "2m");
             StorageTesting.LogCapture logs = new StorageTesting.LogCapture()) {
            Path dir = fs.dir().resolve("data");
            int n = 20;
            String big = "x".repeat(8192); // every write needs new pages
            try (Storage s = Storage.open(dir, FsyncPolicy.ALWAYS, LONG)) {
                Acks acks = new Acks(s);
                acks.start();
                CountDownLatch before = new CountDownLatch(1);
                acks.submit(set("before", "1"), before::countDown);
                assertThat(before.await(20, TimeUnit.SECONDS)).isTrue();
                Path filler = fs.fill();

                CountDownLatch acked = new CountDownLatch(n);
                for (int i = 0; i < n; i++) {
                    acks.submit(set("k" + i, big), acked::countDown);
                }
                await("the disk error", TIMEOUT, () -> s.stats().diskError() != null);
                assertThat(acked.getCount()).as("no ack for a write that is not on disk").isEqualTo(n);
                assertThat(s.stats().heldAcks()).isPositive();
                assertThat(logs.lines()).anyMatch(l -> l.contains("DISK FAILURE"));

                Files.delete(filler);
                assertThat(acked.await(20, TimeUnit.SECONDS)).as("acks once a snapshot covers them").isTrue();
                await("healthy again", TIMEOUT, () -> s.stats().diskError() == null);
                assertThat(recoverCopy(dir, tmp.resolve("crash"))).hasSize(n + 1);
            }
            assertThat(reopen(dir)).hasSize(n + 1).containsEntry("k7", big);
        }
    }

    @Test
    void misuseIsRefused() throws IOException {
        Storage s = Storage.open(tmp.resolve("data"), FsyncPolicy.NO, LONG);
        s.recovered();
        assertThatThrownBy(s::recovered).isInstanceOf(IllegalStateException.class);
        s.close();
        s.close();
        assertThatThrownBy(() -> s.submit(1, set("a", "1"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Storage.open(tmp.resolve("x"), FsyncPolicy.NO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
