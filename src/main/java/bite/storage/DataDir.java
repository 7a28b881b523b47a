package bite.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The data directory, created if missing and locked for as long as this object is open, so two servers never share
 * it. Holds {@code snapshot.bite}, the logs {@code log-<generation>.bite} and the lock file {@code bite.lock}.
 */
final class DataDir implements Closeable {

    static final String LOCK_NAME = "bite.lock";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDir(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates the directory if needed and takes its lock; every failure says which directory and why. */
    static DataDir open(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new IOException("data directory " + abs + " is not a directory");
        }
        try {
            Files.createDirectories(abs);
        } catch (IOException e) {
            throw new IOException("cannot create data directory " + abs + ": " + reason(e), e);
        }
        Path lockFile = abs.resolve(LOCK_NAME);
        FileChannel ch;
        try {
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("data directory " + abs + " is not writable: " + reason(e), e);
        }
        try {
            FileLock lock = tryLock(ch);
            if (lock == null) {
                String holder = new String(Files.readAllBytes(lockFile), StandardCharsets.UTF_8).strip();
                throw new IOException("data directory " + abs + " is in use by another Bite server (lock file "
                        + lockFile + (holder.isEmpty() ? "" : ", held by pid " + holder) + ")");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            Files.deleteIfExists(abs.resolve(SnapshotFile.TEMP_NAME)); // left by a crash during a snapshot
            return new DataDir(abs, ch, lock);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this same JVM
        }
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            String why = f.getReason() != null ? f.getReason()
                    : f instanceof AccessDeniedException ? "permission denied"
                    : f instanceof FileAlreadyExistsException ? "a file is in the way"
                    : f.getClass().getSimpleName();
            return why + " (" + f.getFile() + ")";
        }
        return e.toString();
    }

    Path path() {
        return dir;
    }

    Path snapshot() {
        return dir.resolve(SnapshotFile.NAME);
    }

    Path log(long gen) {
        return dir.resolve(LogFile.name(gen));
    }

    /** The log files present, by generation. */
    NavigableMap<Long, Path> logs() throws IOException {
        TreeMap<Long, Path> logs = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> {
                long gen = LogFile.generationOf(p.getFileName().toString());
                if (gen >= 0) {
                    logs.put(gen, p);
                }
            });
        }
        return logs;
    }

    /** Makes creations, renames and deletions in {@code dir} durable. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
