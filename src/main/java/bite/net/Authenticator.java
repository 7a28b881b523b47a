package bite.net;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Decides whether the credentials a client gives with {@code auth} are good. The seam where other ways to
 * authenticate plug in (a users file, signed tokens: issue 15); today there is the one server password or none.
 * Implementations are immutable and shared by every connection's reader, so they are safe on any thread.
 */
interface Authenticator {

    /** What {@link #check} found. */
    sealed interface Result {
        record Accepted() implements Result {}

        record Refused(String reason) implements Result {}
    }

    Result ACCEPTED = new Result.Accepted();

    /** Whether a connection must authenticate before anything but {@code auth} and {@code quit}. */
    boolean required();

    /** Checks the credentials given with {@code auth}. Never logs them. */
    Result check(String credentials);

    /** The authenticator for the server's {@code --password}: none needed when it is null. */
    static Authenticator forPassword(String password) {
        return password == null ? NONE : new Password(password);
    }

    Authenticator NONE = new Authenticator() {
        @Override
        public boolean required() {
            return false;
        }

        @Override
        public Result check(String credentials) {
            return new Result.Refused("no password is set");
        }
    };

    /**
     * One password for everyone. Its digest is computed once; a given password's digest is compared with it in
     * constant time, and comparing fixed-length digests keeps the time independent of the password's length.
     */
    final class Password implements Authenticator {

        private static final Result WRONG = new Result.Refused("invalid password");

        private final byte[] digest;

        Password(String password) {
            this.digest = digest(password);
        }

        @Override
        public boolean required() {
            return true;
        }

        @Override
        public Result check(String credentials) {
            return MessageDigest.isEqual(digest, digest(credentials)) ? ACCEPTED : WRONG;
        }

        @Override
        public String toString() {
            return "Password[***]"; // never log a secret
        }

        private static byte[] digest(String password) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
        }
    }
}
