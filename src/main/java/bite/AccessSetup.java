package bite;

import bite.access.AccessFileException;
import bite.access.Rules;
import bite.access.TokenVerifier;
import bite.access.Users;
import bite.net.Access;
import bite.net.TlsContexts;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;

/**
 * Loads what {@code --users}, {@code --rules}, {@code --token-secret} / {@code --token-secret-file} and
 * {@code --tls-cert} / {@code --tls-key} name, into the server's {@link Access}. Anything that cannot be used stops
 * the start with a {@link StartupFailure} naming the option, the file and (for the users and rules files) the line.
 * Runs once, on the thread that starts the server.
 */
final class AccessSetup {

    private static final System.Logger LOG = System.getLogger("bite");
    private static final long MAX_SECRET_FILE_BYTES = 64 * 1024;

    private AccessSetup() {
    }

    static Access load(Config config) throws StartupFailure {
        Users users = null;
        if (config.usersFile() != null) {
            try {
                users = Users.load(config.usersFile());
            } catch (AccessFileException e) {
                throw new StartupFailure("--users", config.usersFile(), e.getMessage(), e);
            }
        }
        TokenVerifier tokens = tokenVerifier(config);
        Rules rules = null;
        if (config.rulesFile() != null) {
            try {
                rules = Rules.load(config.rulesFile());
            } catch (AccessFileException e) {
                throw new StartupFailure("--rules", config.rulesFile(), e.getMessage(), e);
            }
            if (users == null && tokens == null) {
                throw new StartupFailure("--rules", config.rulesFile(), "rules apply to users and token holders:"
                        + " give --users or --token-secret too (the server password is allowed everything)");
            }
        }
        SSLContext tls = tlsContext(config);
        if ((users != null || tokens != null) && rules == null) {
            LOG.log(Level.WARNING, "*** No --rules: every user and token holder may read, change and delete every"
                    + " key. Give a rules file to a server that game clients connect to (docs/ACCESS.md). ***");
        }
        if (users != null || tokens != null || tls != null) {
            LOG.log(Level.INFO, "access: " + (users == null ? "no users file" : users.size() + " users")
                    + (tokens == null ? "" : ", signed tokens") + (rules == null ? "" : ", rules for roles "
                    + rules.roles()) + (tls == null ? "" : ", TLS on the TCP port"));
        }
        return Access.of(config.password(), users, tokens, rules, tls);
    }

    private static TokenVerifier tokenVerifier(Config config) throws StartupFailure {
        byte[] secret;
        String option;
        Object shown;
        if (config.tokenSecret() != null && config.tokenSecretFile() != null) {
            throw new StartupFailure("--token-secret-file", config.tokenSecretFile(),
                    "give either --token-secret or --token-secret-file, not both");
        }
        if (config.tokenSecret() != null) {
            option = "--token-secret";
            shown = "***"; // never the secret
            secret = config.tokenSecret().strip().getBytes(StandardCharsets.UTF_8);
        } else if (config.tokenSecretFile() != null) {
            option = "--token-secret-file";
            shown = config.tokenSecretFile();
            secret = readSecret(config.tokenSecretFile());
        } else {
            return null;
        }
        try {
            return new TokenVerifier(secret, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw new StartupFailure(option, shown, e.getMessage() + " (make one with: openssl rand -hex 32)");
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** The file's bytes without the whitespace around them (a trailing newline is no part of the secret). */
    private static byte[] readSecret(Path file) throws StartupFailure {
        try {
            if (!Files.isRegularFile(file)) throw new StartupFailure("--token-secret-file", file, "no such file");
            if (Files.size(file) > MAX_SECRET_FILE_BYTES) {
                throw new StartupFailure("--token-secret-file", file, "larger than " + MAX_SECRET_FILE_BYTES
                        + " bytes: not a secret");
            }
            byte[] bytes = Files.readAllBytes(file);
            int from = 0;
            int to = bytes.length;
            while (from < to && isWhitespace(bytes[from])) from++;
            while (to > from && isWhitespace(bytes[to - 1])) to--;
            byte[] secret = Arrays.copyOfRange(bytes, from, to);
            Arrays.fill(bytes, (byte) 0);
            return secret;
        } catch (IOException e) {
            if (e instanceof StartupFailure f) throw f;
            throw new StartupFailure("--token-secret-file", file, StartupFailure.describe(e), e);
        }
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static SSLContext tlsContext(Config config) throws StartupFailure {
        if (config.tlsCert() == null && config.tlsKey() == null) return null;
        if (config.tlsKey() == null) throw new StartupFailure("--tls-cert", config.tlsCert(), "needs --tls-key too");
        if (config.tlsCert() == null) throw new StartupFailure("--tls-key", config.tlsKey(), "needs --tls-cert too");
        try {
            return TlsContexts.serverContext(config.tlsCert(), config.tlsKey());
        } catch (IOException e) {
            throw new StartupFailure("--tls-cert", config.tlsCert(), StartupFailure.describe(e), e);
        }
    }
}
