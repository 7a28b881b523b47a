package bite.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file Bite reads is damaged or malformed: a snapshot, a log, or a {@code DB.json} being imported. The message
 * names the file and the byte offset where reading stopped, so an operator can look at it (or restore a backup)
 * instead of getting a silently empty database.
 */
public final class StorageFileException extends IOException {

    private final transient Path file;
    private final long offset;

    public StorageFileException(Path file, long offset, String problem) {
        super(file + ": " + problem + " at offset " + offset);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
