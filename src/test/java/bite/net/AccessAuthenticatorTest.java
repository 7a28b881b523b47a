package bite.net;

import bite.access.PasswordHash;
import bite.access.TokenVerifier;
import bite.access.Users;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which form an {@code auth} is, and whose credentials they are (docs/PROTOCOL-NOTES.md, "Which auth is meant"). */
class AccessAuthenticatorTest {

    private static final Authenticator.Result WRONG = new Authenticator.Result.Refused("invalid password", "");
    private static final String TOKEN_SHAPED = "aaaa.bbbb.cccc";

    private static Users users(String... lines) throws Exception {
        return Users.parse(List.of(lines), "test");
    }

    private static String line(String name, String role, String password) {
        return name + " " + role + " " + PasswordHash.create(password.toCharArray(), PasswordHash.MIN_ITERATIONS,
                new SecureRandom()).encode();
    }

    private static Authenticator.Result check(Authenticator a, String credentials) {
        Authenticator.Result r = a.check(credentials);
        // the log's detail aside, every refusal is the same to the client
        return r instanceof Authenticator.Result.Refused(String reason, String detail)
                ? new Authenticator.Result.Refused(reason, "") : r;
    }

    @Test
    void aUsersPasswordMayHoldSpacesAndTheServerPasswordIsTriedWhenTheUserFails() throws Exception {
        Authenticator a = new AccessAuthenticator("open sesame", users(line("open", "player", "x"),
                line("bob", "server", "two words")), null);
        assertThat(check(a, "bob two words")).isEqualTo(new Authenticator.Result.Accepted("bob", "server"));
        assertThat(check(a, "bob \t two words")).as("the blanks after the name are no part of the password")
                .isEqualTo(new Authenticator.Result.Accepted("bob", "server"));
        assertThat(check(a, "open sesame")).as("user 'open' with password 'sesame' fails: the server password")
                .isEqualTo(Authenticator.ACCEPTED);
        assertThat(check(a, "open x")).isEqualTo(new Authenticator.Result.Accepted("open", "player"));
        assertThat(check(a, "bob")).as("one word: only the server password").isEqualTo(WRONG);
        assertThat(check(a, "nobody two words")).isEqualTo(WRONG);
    }

    @Test
    void aTokenShapedWordIsATokenOnlyWhenASecretIsSet() throws Exception {
        Authenticator noSecret = new AccessAuthenticator(TOKEN_SHAPED, users(), null);
        assertThat(check(noSecret, TOKEN_SHAPED)).as("no token secret: a password").isEqualTo(Authenticator.ACCEPTED);
        TokenVerifier tokens = new TokenVerifier("a secret of thirty-two bytes or more!".getBytes(
                StandardCharsets.UTF_8), Clock.systemUTC());
        Authenticator withSecret = new AccessAuthenticator(TOKEN_SHAPED, null, tokens);
        assertThat(check(withSecret, TOKEN_SHAPED)).as("with a secret it is a token, and a bad one")
                .isEqualTo(WRONG);
        assertThat(withSecret.check(TOKEN_SHAPED)).isInstanceOfSatisfying(Authenticator.Result.Refused.class,
                r -> assertThat(r.detail()).startsWith("token refused: "));
    }

    @Test
    void withNothingConfiguredNothingIsRequired() {
        Authenticator none = new AccessAuthenticator(null, null, null);
        assertThat(none.required()).isFalse();
        assertThat(none.check("x")).isEqualTo(new Authenticator.Result.Refused("no password is set"));
        assertThat(new AccessAuthenticator(null, null, null).toString()).doesNotContain("null");
    }
}
