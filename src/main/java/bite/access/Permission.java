package bite.access;

/** The three permissions of a rule (PROTOCOL.md "Users and access rules"). Constants: safe on any thread. */
public enum Permission {
    /** {@code r}: {@code g}, {@code k}, {@code j}, {@code js}, subscribing */
    READ('r'),
    /** {@code w}: {@code s}, {@code s?}, {@code sl}, {@code +1}, {@code +}, {@code d}, {@code dd} */
    WRITE('w'),
    /** {@code n}: {@code !}, a subscribe or {@code #-} with a VALUE */
    NOTIFY('n');

    private final char letter;

    Permission(char letter) {
        this.letter = letter;
    }

    public char letter() {
        return letter;
    }

    /** The bit of this permission in a mask of permissions. */
    int bit() {
        return 1 << ordinal();
    }

    /** The permission written {@code letter}, or null. */
    public static Permission of(char letter) {
        for (Permission p : values()) {
            if (p.letter == letter) return p;
        }
        return null;
    }
}
