package bite.e2e;

import bite.Config;
import bite.access.PasswordHash;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Users, rules and token files for the access tests, written to a test's directory, and HS256 tokens made here
 * (with the JDK's HMAC, independently of the server's verifier). Used on the test's thread.
 */
final class AccessFixture {

    static final String SECRET = "a token secret for the tests, longer than 32 bytes";
    static final int ITERATIONS = PasswordHash.MIN_ITERATIONS; // tests need no slow hashes

    private AccessFixture() {
    }

    /** A users-file line for {@code name} with {@code role} and {@code password}. */
    static String user(String name, String role, String password) {
        return name + " " + role + " "
                + PasswordHash.create(password.toCharArray(), ITERATIONS, new SecureRandom()).encode();
    }

    /** Writes {@code users} and {@code rules} to {@code dir} and sets them, with the token secret, on the config. */
    static UnaryOperator<Config.Builder> files(Path dir, List<String> users, List<String> rules) throws IOException {
        Path usersFile = Files.write(dir.resolve("users.txt"), users);
        Path rulesFile = rules == null ? null : Files.write(dir.resolve("rules.txt"), rules);
        return b -> b.usersFile(usersFile).rulesFile(rulesFile).tokenSecret(SECRET);
    }

    /** An HS256 token signed with {@link #SECRET} whose payload is {@code claims} (JSON). */
    static String token(String claims) {
        return token(SECRET, claims);
    }

    static String token(String secret, String claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return signingInput + "." + b64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid token for {@code user} (role {@code player} unless {@code role} is given), valid for an hour. */
    static String tokenFor(String user, String role) {
        long exp = System.currentTimeMillis() / 1000 + 3600;
        return token("{\"sub\":\"" + user + "\"" + (role == null ? "" : ",\"role\":\"" + role + "\"") + ",\"exp\":"
                + exp + "}");
    }
}
