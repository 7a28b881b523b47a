package bite.net;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Decides whether the credentials a client gives with {@code auth} are good, and whose they are: the one server
 * password ({@link Password}), or that plus a users file and signed tokens ({@link AccessAuthenticator}).
 * Implementations are immutable and shared by every connection's reader, so they are safe on any thread.
 */
interface Authenticator {

    /** What {@link #check} found. */
    sealed interface Result {
        /**
         * Good credentials of {@code user} with {@code role}; both null for the server password, which names nobody
         * and is allowed everything.
         */
        record Accepted(String user, String role) implements Result {
            boolean serverPassword() {
                return user == null;
            }
        }

        /** Bad credentials: {@code reason} is the client's ({@code ERR reason}), {@code detail} only the log's. */
        record Refused(String reason, String detail) implements Result {
            Refused(String reason) {
                this(reason, reason);
            }
        }
    }

    /** The server password's acceptance. */
    Result ACCEPTED = new Result.Accepted(null, null);

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
            return matches(credentials) ? ACCEPTED : WRONG;
        }

        /** Whether {@code credentials} is the password; constant time. */
        boolean matches(String credentials) {
            return MessageDigest.isEqual(digest, digest(credentials));
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
