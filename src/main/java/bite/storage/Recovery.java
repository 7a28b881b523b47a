package bite.storage;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * Rebuilds the dataset at start: load the snapshot, then replay the logs from the generation it names, in order.
 * A torn tail of a log is dropped with a warning (and, with {@code repair}, cut off the file); any other damage
 * throws {@link StorageFileException} naming file and offset. Logs older than the snapshot (left by a crash between
 * its rename and their deletion) are ignored and, with {@code repair}, deleted.
 */
final class Recovery {

    private static final System.Logger LOG = System.getLogger("bite.storage");
    private static final long PROGRESS_NANOS = 1_000_000_000L;

    /**
     * What was recovered. {@code logSizes}: the logs kept, generation to bytes; {@code nextGen}: the generation for
     * the next log to create.
     */
    record Result(HashMap<String, String> data, long snapshotMillis, long snapshotBytes, long records,
                  long tornBytes, NavigableMap<Long, Long> logSizes, long nextGen, long nanos) {}

    private Recovery() {
        throw new AssertionError();
    }

    static Result run(DataDir dir, boolean repair) throws IOException {
        long t0 = System.nanoTime();
        Path snapshotFile = dir.snapshot();
        HashMap<String, String> data = new HashMap<>();
        long startGen = 1; // with no snapshot the logs must go back to the very first one
        long snapshotMillis = 0;
        long snapshotBytes = 0;
        if (Files.exists(snapshotFile)) {
            SnapshotFile.Loaded s = SnapshotFile.read(snapshotFile, progress(snapshotFile));
            data = s.data();
            startGen = s.startGen();
            snapshotMillis = s.createdMillis();
            snapshotBytes = s.bytes();
        }
        int fromSnapshot = data.size();
        NavigableMap<Long, Path> logs = dir.logs();
        for (Path stale : logs.headMap(startGen, false).values()) {
            if (repair) {
                Files.delete(stale); // already covered by the snapshot
            }
        }
        NavigableMap<Long, Path> live = logs.tailMap(startGen, true);
        if (!live.isEmpty() && live.firstKey() != startGen) {
            Path first = live.firstEntry().getValue();
            throw new StorageFileException(first, 0, Files.exists(snapshotFile)
                    ? "log generation " + startGen + " (named by " + snapshotFile + ") is missing"
                    : snapshotFile + " is missing but the logs start at generation " + live.firstKey()
                            + ", so older data would be lost");
        }
        long records = 0;
        long torn = 0;
        long expected = startGen;
        TreeMap<Long, Long> sizes = new TreeMap<>();
        for (Map.Entry<Long, Path> e : live.entrySet()) {
            Path file = e.getValue();
            if (e.getKey() != expected) {
                throw new StorageFileException(file, 0, "log generation " + expected + " is missing before it");
            }
            expected++;
            LogFile.Replayed r = LogFile.replay(file, e.getKey(), data, progress(file));
            records += r.records();
            torn += r.tornBytes();
            if (r.tornBytes() > 0) {
                LOG.log(Level.WARNING, file + ": dropped a torn tail of " + r.tornBytes() + " bytes at offset "
                        + r.goodBytes() + " (" + r.tornProblem() + "), what a crash in the middle of a write leaves;"
                        + " kept the " + r.records() + " records before it");
                if (repair) {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.truncate(r.goodBytes());
                        ch.force(true);
                    }
                }
            }
            sizes.put(e.getKey(), r.goodBytes());
        }
        long nanos = System.nanoTime() - t0;
        LOG.log(Level.INFO, "recovered " + data.size() + " keys in " + nanos / 1_000_000 + " ms: " + fromSnapshot
                + " from " + (snapshotBytes > 0 ? snapshotFile : "no snapshot") + " (" + snapshotBytes
                + " bytes), then " + records + " log records from " + live.size() + " log file(s)");
        long nextGen = live.isEmpty() ? startGen : live.lastKey() + 1;
        return new Result(data, snapshotMillis, snapshotBytes, records, torn, sizes, nextGen, nanos);
    }

    /** Logs how far into a large file recovery is, at most once a second. */
    private static LongConsumer progress(Path file) throws IOException {
        long size = Files.size(file);
        long[] last = {System.nanoTime()};
        return offset -> {
            long now = System.nanoTime();
            if (now - last[0] >= PROGRESS_NANOS) {
                last[0] = now;
                LOG.log(Level.INFO, "recovering " + file + ": " + offset * 100 / size + "% (" + (offset >> 20)
                        + " of " + (size >> 20) + " MB)");
            }
        };
    }
}
