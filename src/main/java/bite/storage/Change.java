package bite.storage;

/**
 * One key's new state after a command: {@code value} is the stored value, or {@code null} when the key was deleted.
 * Changes carry results, never operations ({@code +1} on {@code 7} is logged as {@code 8}), so replaying them is
 * idempotent.
 */
public record Change(String key, String value) {

    public boolean isDelete() {
        return value == null;
    }
}
