package bite.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * A write-ahead log file, {@code log-<generation>.bite}: the change-sets applied after the snapshot point its
 * generation starts at.
 *
 * <pre>
 *   "BITE-LOG" | u32 version (1) | u64 generation
 *   frame CHANGES : u8 4 | varint n | n x (string key, optional string value; null = deleted)   (one per change-set)
 * </pre>
 *
 * One change-set (everything one database batch changed) is one frame, so it is replayed all or nothing. Changes
 * carry absolute values, so replaying a frame twice gives the same state as once.
 */
final class LogFile {

    private static final byte[] MAGIC = "BITE-LOG".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    static final int FILE_HEADER = MAGIC.length + 4 + 8;

    /** What replaying one log gave: frames applied, and the size of a torn tail that was not (0 when none). */
    record Replayed(long records, long goodBytes, long tornBytes, String tornProblem) {}

    private LogFile() {
        throw new AssertionError();
    }

    static String name(long gen) {
        String digits = Long.toString(gen); // not String.format: no Formatter (regex, locale) on the start-up path
        return "log-" + "0".repeat(Math.max(0, 12 - digits.length())) + digits + ".bite";
    }

    /** The generation in a log file's name, or -1 when the name is not a log file's. */
    static long generationOf(String fileName) {
        // log-<12 digits>.bite, checked by hand: a regex here was compiled at every start-up
        if (fileName.length() != 21 || !fileName.startsWith("log-") || !fileName.endsWith(".bite")) return -1;
        for (int i = 4; i < 16; i++) {
            char c = fileName.charAt(i);
            if (c < '0' || c > '9') return -1;
        }
        return Long.parseLong(fileName, 4, 16, 10);
    }

    /** Appends one CHANGES frame for {@code changes} to {@code out}. */
    static void encode(RecordFormat.Encoder out, List<Change> changes) {
        out.beginFrame(RecordFormat.CHANGES);
        out.varint(changes.size());
        for (Change c : changes) {
            out.string(c.key());
            out.optionalString(c.value());
        }
        out.endFrame();
    }

    /** An open log being appended to. Used by one thread at a time; {@link #force} may run on a helper thread. */
    static final class Writer implements Closeable {
        private final FileChannel ch;
        private final long gen;
        private long size;

        private Writer(FileChannel ch, long gen, long size) {
            this.ch = ch;
            this.gen = gen;
            this.size = size;
        }

        /**
         * Creates {@code dir/log-<gen>.bite} with its header. The caller makes the new directory entry durable
         * ({@link DataDir#syncDirectory}) before relying on anything in it.
         */
        static Writer create(Path dir, long gen) throws IOException {
            // a file of this generation can only be left by an earlier attempt that failed (disk full): reuse it
            Path file = dir.resolve(name(gen));
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            try {
                RecordFormat.writeFully(ch, ByteBuffer.allocate(FILE_HEADER).put(MAGIC).putInt(VERSION).putLong(gen).flip());
                return new Writer(ch, gen, FILE_HEADER);
            } catch (IOException e) {
                ch.close();
                try {
                    Files.deleteIfExists(file);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }

        void write(ByteBuffer bytes) throws IOException {
            int n = bytes.remaining();
            RecordFormat.writeFully(ch, bytes);
            size += n;
        }

        void force() throws IOException {
            ch.force(false);
        }

        long gen() {
            return gen;
        }

        long size() {
            return size;
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }

        @Override
        public String toString() {
            return "log generation " + gen;
        }
    }

    /**
     * Applies every complete frame of {@code file} to {@code into}, in order. A torn tail (the file ends inside a
     * frame, or a bad frame is followed only by zeros) stops the replay and is reported, not applied; damage with
     * more data after it throws {@link StorageFileException}.
     */
    static Replayed replay(Path file, long gen, Map<String, String> into, LongConsumer progress) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < FILE_HEADER) {
                // a crash right after the file was created: nothing in it was ever acknowledged
                return new Replayed(0, 0, size, "incomplete file header");
            }
            ByteBuffer header = RecordFormat.readFileHeader(ch, file, FILE_HEADER, MAGIC, VERSION, "log");
            long fileGen = header.getLong(MAGIC.length + 4);
            if (fileGen != gen) {
                throw new StorageFileException(file, MAGIC.length + 4,
                        "log header says generation " + fileGen + ", its name says " + gen);
            }
            long records = 0;
            long offset = FILE_HEADER;
            while (true) {
                switch (RecordFormat.read(ch, offset, size)) {
                    case RecordFormat.Read.Eof eof -> {
                        return new Replayed(records, size, 0, null);
                    }
                    case RecordFormat.Read.Bad bad when bad.atTail() -> {
                        return new Replayed(records, bad.offset(), size - bad.offset(), bad.problem());
                    }
                    case RecordFormat.Read.Bad bad -> throw new StorageFileException(file, bad.offset(),
                            "damaged log: " + bad.problem() + ", with more data after it (not a torn tail)");
                    case RecordFormat.Read.Frame f -> {
                        apply(file, f, into);
                        records++;
                        offset = f.next();
                        progress.accept(offset);
                    }
                }
            }
        }
    }

    /** Decodes the whole frame before touching {@code into}, so a frame is applied all or nothing. */
    private static void apply(Path file, RecordFormat.Read.Frame f, Map<String, String> into) throws StorageFileException {
        String[] keys;
        String[] values;
        try {
            RecordFormat.Decoder in = new RecordFormat.Decoder(f.payload());
            byte type = in.type();
            if (type != RecordFormat.CHANGES) {
                throw new RecordFormat.Malformed("unknown frame type " + type);
            }
            long n = in.varint();
            if (n < 0 || n > f.payload().length) {
                throw new RecordFormat.Malformed("bad change count " + n);
            }
            keys = new String[(int) n];
            values = new String[(int) n];
            for (int i = 0; i < n; i++) {
                keys[i] = in.string();
                values[i] = in.optionalString();
            }
            if (!in.atEnd()) {
                throw new RecordFormat.Malformed("extra bytes in frame");
            }
        } catch (RecordFormat.Malformed e) {
            throw new StorageFileException(file, f.offset(), "damaged log: " + e.getMessage());
        }
        for (int i = 0; i < keys.length; i++) {
            if (values[i] == null) {
                into.remove(keys[i]);
            } else {
                into.put(keys[i], values[i]);
            }
        }
    }
}
