package bite.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;

/** Helpers for the storage tests: log capture, copying a data directory as a crash would leave it, waiting. */
final class StorageTesting {

    private StorageTesting() {
        throw new AssertionError();
    }

    /** Collects what is logged to {@code bite.storage} while open. */
    static final class LogCapture extends Handler implements AutoCloseable {
        private final Logger logger = Logger.getLogger("bite.storage");
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final SimpleFormatter formatter = new SimpleFormatter();

        LogCapture() {
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord r) {
            lines.add(r.getLevel() + " " + formatter.formatMessage(r));
        }

        List<String> warnings() {
            return lines.stream().filter(l -> l.startsWith(Level.WARNING.toString())).toList();
        }

        List<String> lines() {
            return lines;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }

    /**
     * Copies the snapshot and logs of {@code from} into a fresh directory: what a kill -9 at this moment would leave
     * on disk (the page cache survives the kill), without the lock.
     */
    static Path crashCopy(Path from, Path to) throws IOException {
        // the copy is not atomic: a file renamed or deleted between the listing and its copy (a snapshot landing,
        // an old log going) means the copy mixes two moments, so it is taken again
        for (int attempt = 1; ; attempt++) {
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(from)) {
                for (Path p : files.toList()) {
                    String name = p.getFileName().toString();
                    if (!name.equals(DataDir.LOCK_NAME) && !Files.isDirectory(p)) { // a vanished file: copy throws
                        Files.copy(p, to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                return to;
            } catch (NoSuchFileException vanished) {
                if (attempt == 100) throw vanished;
                try (Stream<Path> copied = Files.list(to)) {
                    for (Path p : copied.toList()) Files.delete(p);
                }
            }
        }
    }

    /** Polls {@code condition} until true; fails after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(5); // a poll interval, not a wait for something to happen
        }
    }

    /**
     * Polls {@code value} until it has not changed for {@code steady}, and returns it; fails when that has not
     * happened after {@code timeout}. For "this stops happening": a counter that keeps moving never settles.
     */
    static long awaitSteady(String what, Duration steady, Duration timeout, LongSupplier value)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = value.getAsLong();
        long since = System.nanoTime();
        while (System.nanoTime() - since < steady.toNanos()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + " to settle");
            }
            Thread.sleep(5); // a poll interval
            long now = value.getAsLong();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            }
        }
        return last;
    }

    static List<Change> set(String... kv) {
        List<Change> out = new java.util.ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.add(new Change(kv[i], kv[i + 1]));
        }
        return out;
    }
}
