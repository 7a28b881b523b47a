package bite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A users file, rules file, token secret or TLS file that cannot be used stops the start with a message naming the
 * option, the file and (for the users and rules files) the line.
 */
class AccessStartTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef"; // 32 bytes

    @TempDir
    Path tmp;

    private Config.Builder config() {
        return Config.builder().port(0).persist(false);
    }

    private static String failure(Config.Builder config) {
        Server server = new Server(config.build());
        StartupFailure e = catchThrowableOfType(StartupFailure.class, server::start);
        assertThat(e).as("the start fails").isNotNull();
        return e.getMessage();
    }

    private Path file(String name, String... lines) throws IOException {
        return Files.write(tmp.resolve(name), List.of(lines));
    }

    @Test
    void aRulesFileThatDoesNotParseNamesTheOptionFileAndLine() throws IOException {
        Path rules = file("rules.txt", "# game", "player r room.*", "player rx room.*.chat");
        assertThat(failure(config().rulesFile(rules).tokenSecret(SECRET))).isEqualTo("--rules " + rules + ": " + rules
                + " line 3: unknown permission 'x' (PERMS is one or more of r, w, n)");
    }

    @Test
    void aUsersFileThatDoesNotParseNamesTheOptionFileAndLine() throws IOException {
        Path users = file("users.txt", "alice player plain-text-password");
        assertThat(failure(config().usersFile(users))).startsWith("--users " + users + ": " + users + " line 1: ");
        Path missing = tmp.resolve("nope.txt");
        assertThat(failure(config().usersFile(missing))).isEqualTo("--users " + missing + ": " + missing
                + ": no such file");
    }

    @Test
    void rulesWithNobodyToApplyThemToStopTheStart() throws IOException {
        Path rules = file("rules.txt", "player r room.*");
        assertThat(failure(config().rulesFile(rules).password("pw"))).startsWith("--rules " + rules
                + ": rules apply to users and token holders");
    }

    @Test
    void aShortOrDoubleTokenSecretStopsTheStartWithoutShowingIt() throws IOException {
        assertThat(failure(config().tokenSecret("short secret"))).isEqualTo("--token-secret ***: token secret shorter"
                + " than 32 bytes (make one with: openssl rand -hex 32)");
        Path file = file("secret", "  " + SECRET.substring(1) + "  ");
        assertThat(failure(config().tokenSecretFile(file))).as("whitespace around it is no part of it")
                .startsWith("--token-secret-file " + file + ": token secret shorter than 32 bytes");
        assertThat(failure(config().tokenSecretFile(file).tokenSecret(SECRET))).contains("not both");
        assertThat(failure(config().tokenSecretFile(tmp.resolve("none")))).endsWith(": no such file");
    }

    @Test
    void aBadOrHalfTlsConfigurationStopsTheStart() throws IOException {
        Path cert = file("cert.pem", "not a certificate");
        Path key = file("key.pem", "-----BEGIN RSA PRIVATE KEY-----", "AAAA", "-----END RSA PRIVATE KEY-----");
        assertThat(failure(config().tlsCert(cert))).isEqualTo("--tls-cert " + cert + ": needs --tls-key too");
        assertThat(failure(config().tlsKey(key))).isEqualTo("--tls-key " + key + ": needs --tls-cert too");
        assertThat(failure(config().tlsCert(cert).tlsKey(key))).startsWith("--tls-cert " + cert + ": " + cert
                + ": no PEM certificate");
    }

    @Test
    void aSecretOfExactly32BytesAndAFileEndingInANewlineAreAccepted() throws IOException {
        Path file = file("secret", SECRET);
        try (Server server = new Server(config().tokenSecretFile(file).build()).start()) {
            assertThat(server.port()).isPositive();
        }
    }
}
