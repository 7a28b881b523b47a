package bite.access;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A stored password: PBKDF2-HMAC-SHA256 with its own salt and iteration count, written
 * {@code pbkdf2-sha256$ITERATIONS$SALT$HASH} (SALT and HASH in standard base64 without padding). Immutable; safe on
 * any thread.
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {

    public static final String SCHEME = "pbkdf2-sha256";
    /** What {@code passwd} uses: OWASP's recommendation for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    public static final int MIN_ITERATIONS = 1_000;
    public static final int MAX_ITERATIONS = 10_000_000;
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;

    public PasswordHash {
        salt = salt.clone();
        hash = hash.clone();
    }

    /** A new hash of {@code password} with a fresh random salt. */
    public static PasswordHash create(char[] password, int iterations, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new PasswordHash(iterations, salt, pbkdf2(password, salt, iterations, HASH_BYTES));
    }

    /**
     * The hash written {@code text}.
     *
     * @throws IllegalArgumentException saying what is wrong with it (never echoing the hash itself)
     */
    public static PasswordHash parse(String text) {
        String[] parts = text.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            throw new IllegalArgumentException("password hash is not " + SCHEME + "$ITERATIONS$SALT$HASH");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("iteration count is not a number");
        }
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iteration count outside " + MIN_ITERATIONS + ".." + MAX_ITERATIONS);
        }
        byte[] salt = decode(parts[2], "salt");
        byte[] hash = decode(parts[3], "hash");
        if (salt.length < 8 || salt.length > 64) throw new IllegalArgumentException("salt is not 8 to 64 bytes");
        if (hash.length < 16 || hash.length > 64) throw new IllegalArgumentException("hash is not 16 to 64 bytes");
        return new PasswordHash(iterations, salt, hash);
    }

    /** True when {@code password} hashes to this hash; the comparison takes the same time wherever they differ. */
    public boolean matches(char[] password) {
        return MessageDigest.isEqual(pbkdf2(password, salt, iterations, hash.length), hash);
    }

    /** The text form, as stored in the users file. */
    public String encode() {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash p && p.iterations == iterations && Arrays.equals(p.salt, salt)
                && MessageDigest.isEqual(p.hash, hash);
    }

    @Override
    public int hashCode() {
        return 31 * iterations + Arrays.hashCode(salt);
    }

    @Override
    public String toString() {
        return "PasswordHash[" + SCHEME + ", " + iterations + " iterations]"; // never log the hash
    }

    static byte[] pbkdf2(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] decode(String b64, String what) {
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not base64");
        }
    }
}
