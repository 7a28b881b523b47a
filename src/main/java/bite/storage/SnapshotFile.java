package bite.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * The snapshot file: the whole dataset at one point of the change stream.
 *
 * <pre>
 *   "BITESNAP" | u32 version (1)
 *   frame META    : u8 1 | varint startGen | varint createdMillis | varint count
 *                   (replay logs from generation startGen on; count sizes the map before reading)
 *   frame ENTRIES : u8 2 | (string key, string value) ... to the end of the frame   (about 256 KiB each)
 *   frame END     : u8 3 | varint total entry count
 * </pre>
 *
 * RecordFormat are described in {@link RecordFormat}. Written crash-safely (temp file, fsync, atomic rename, fsync of the
 * directory), so the file under the real name is always complete; reading it is strict: any damage, a missing END,
 * a wrong count or bytes after END refuse the start.
 */
final class SnapshotFile {

    static final String NAME = "snapshot.bite";
    static final String TEMP_NAME = NAME + ".tmp";
    private static final byte[] MAGIC = "BITESNAP".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int FILE_HEADER = MAGIC.length + 4;
    private static final int CHUNK = 256 * 1024;

    /** A snapshot read back: its data, the first log generation to replay after it, when it was written. */
    record Loaded(HashMap<String, String> data, long startGen, long createdMillis, long bytes) {}

    private SnapshotFile() {
        throw new AssertionError();
    }

    /**
     * Writes {@code data} as {@code dir/snapshot.bite}, replacing the old one atomically. Returns the file's size.
     * The map must not change while this runs.
     */
    static long write(Path dir, Map<String, String> data, long startGen, long createdMillis) throws IOException {
        Path temp = dir.resolve(TEMP_NAME);
        long size;
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            RecordFormat.writeFully(ch, ByteBuffer.allocate(FILE_HEADER).put(MAGIC).putInt(VERSION).flip());
            RecordFormat.Encoder out = new RecordFormat.Encoder();
            out.beginFrame(RecordFormat.META);
            out.varint(startGen);
            out.varint(createdMillis);
            out.varint(data.size());
            out.endFrame();
            out.beginFrame(RecordFormat.ENTRIES);
            for (Map.Entry<String, String> e : data.entrySet()) {
                out.string(e.getKey());
                out.string(e.getValue());
                if (out.frameSize() >= CHUNK) {
                    out.endFrame();
                    flush(ch, out);
                    out.beginFrame(RecordFormat.ENTRIES);
                }
            }
            out.endFrame();
            out.beginFrame(RecordFormat.END);
            out.varint(data.size());
            out.endFrame();
            flush(ch, out);
            ch.force(true);
            size = ch.size();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, dir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DataDir.syncDirectory(dir);
        return size;
    }

    private static void flush(FileChannel ch, RecordFormat.Encoder out) throws IOException {
        RecordFormat.writeFully(ch, out.view());
        out.clear();
    }

    /** Reads a snapshot strictly; {@code progress} gets the offset reached now and then. */
    static Loaded read(Path file, LongConsumer progress) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < FILE_HEADER) {
                throw new StorageFileException(file, 0, "not a Bite snapshot: only " + size + " bytes");
            }
            RecordFormat.readFileHeader(ch, file, FILE_HEADER, MAGIC, VERSION, "snapshot");
            HashMap<String, String> data = new HashMap<>();
            long startGen = -1;
            long created = 0;
            long offset = FILE_HEADER;
            while (true) {
                RecordFormat.Read.Frame f = switch (RecordFormat.read(ch, offset, size)) {
                    case RecordFormat.Read.Frame frame -> frame;
                    case RecordFormat.Read.Eof eof -> throw new StorageFileException(file, eof.offset(),
                            "snapshot is truncated (no END frame)");
                    case RecordFormat.Read.Bad bad -> throw new StorageFileException(file, bad.offset(),
                            "damaged snapshot: " + bad.problem());
                };
                try {
                    RecordFormat.Decoder in = new RecordFormat.Decoder(f.payload());
                    byte type = in.type();
                    if (startGen < 0 && type != RecordFormat.META) {
                        throw new RecordFormat.Malformed("expected a META frame first");
                    }
                    switch (type) {
                        case RecordFormat.META -> {
                            if (startGen >= 0) {
                                throw new RecordFormat.Malformed("a second META frame");
                            }
                            startGen = in.varint();
                            created = in.varint();
                            // an entry takes at least 2 bytes: a larger count is damage, not a reason to allocate
                            long count = Math.clamp(in.varint(), 0, Math.min(size / 2, 1 << 30));
                            data = HashMap.newHashMap((int) count);
                        }
                        case RecordFormat.ENTRIES -> {
                            while (!in.atEnd()) {
                                data.put(in.string(), in.string());
                            }
                        }
                        case RecordFormat.END -> {
                            long count = in.varint();
                            if (count != data.size()) {
                                throw new RecordFormat.Malformed("END says " + count + " keys, read " + data.size());
                            }
                            if (f.next() != size) {
                                throw new StorageFileException(file, f.next(),
                                        "damaged snapshot: " + (size - f.next()) + " bytes after the END frame");
                            }
                            return new Loaded(data, startGen, created, size);
                        }
                        default -> throw new RecordFormat.Malformed("unknown frame type " + type);
                    }
                    if (!in.atEnd()) {
                        throw new RecordFormat.Malformed("extra bytes in frame");
                    }
                } catch (RecordFormat.Malformed e) {
                    throw new StorageFileException(file, f.offset(), "damaged snapshot: " + e.getMessage());
                }
                offset = f.next();
                progress.accept(offset);
            }
        }
    }
}
