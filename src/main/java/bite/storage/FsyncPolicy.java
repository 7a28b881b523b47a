package bite.storage;

import java.util.Locale;

/** When the write-ahead log is forced to disk, as Redis's {@code appendfsync}. */
public enum FsyncPolicy {
    /** A write's reply is sent only after its change is fsynced; concurrent writers share one fsync. */
    ALWAYS,
    /** The log is fsynced about once a second: a power cut loses at most about a second of writes. */
    EVERYSEC,
    /** Never fsync the log explicitly; the OS writes it back when it likes. */
    NO;

    public static FsyncPolicy parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "always" -> ALWAYS;
            case "everysec" -> EVERYSEC;
            case "no" -> NO;
            default -> throw new IllegalArgumentException("expected always, everysec or no");
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
