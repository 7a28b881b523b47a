package bite.net;

import bite.access.PasswordHash;
import bite.access.Rules;
import bite.access.Users;
import bite.command.Command;
import bite.protocol.CommandParser;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The reader's authentication gate and the password authenticator, without sockets. */
class AuthenticationTest {

    private static final Command GET = new Command.Get("k");

    @Test
    void withoutAPasswordEverythingPassesAndAuthIsRefusedWithoutCountingAsAFailure() {
        Authentication auth = new Authentication(Authenticator.forPassword(null), 1);
        assertThat(auth.admit(GET)).isEqualTo(new Authentication.Verdict.Pass());
        assertThat(auth.admit(new Command.Auth("x")))
                .isEqualTo(new Authentication.Verdict.Refused("no password is set"));
        assertThat(auth.exhausted()).isFalse();
        assertThat(auth.takePenaltyMillis()).isZero();
    }

    @Test
    void withAPasswordOnlyAuthAndQuitPassUntilTheRightPasswordIsGiven() {
        Authentication auth = new Authentication(Authenticator.forPassword("secret"), 5);
        assertThat(auth.admit(GET)).isEqualTo(new Authentication.Verdict.Required());
        assertThat(auth.admit(new Command.Quit())).isEqualTo(new Authentication.Verdict.Pass());
        assertThat(auth.admit(CommandParser.MISSING_PASSWORD))
                .as("a bare auth is answered, and is no failed attempt")
                .isEqualTo(new Authentication.Verdict.Pass());
        assertThat(auth.failures()).isZero();
        assertThat(auth.admit(new Command.Auth("secret"))).isEqualTo(new Authentication.Verdict.Accepted(null, null));
        assertThat(auth.admit(GET)).isEqualTo(new Authentication.Verdict.Pass());
    }

    @Test
    void wrongPasswordsAreCountedPenalisedAndExhaustTheConnection() {
        Authentication auth = new Authentication(Authenticator.forPassword("secret"), 2);
        assertThat(auth.admit(new Command.Auth("secreT")))
                .isEqualTo(new Authentication.Verdict.Refused("invalid password"));
        assertThat(auth.takePenaltyMillis()).isEqualTo(100);
        assertThat(auth.takePenaltyMillis()).as("once per failure").isZero();
        assertThat(auth.exhausted()).isFalse();
        assertThat(auth.admit(new Command.Auth("secret-and-more"))).isInstanceOf(Authentication.Verdict.Refused.class);
        assertThat(auth.takePenaltyMillis()).isEqualTo(200);
        assertThat(auth.exhausted()).isTrue();
        assertThat(auth.admit(GET)).as("still not authenticated").isEqualTo(new Authentication.Verdict.Required());
    }

    @Test
    void eachFailureWaitsItsOwnGrowingDelayOnTheInjectedSleeper() throws InterruptedException {
        List<Long> slept = new ArrayList<>();
        Authentication auth = new Authentication(Authenticator.forPassword("secret"), 5, null, slept::add);
        for (int failure = 1; failure <= 5; failure++) {
            auth.admit(new Command.Auth("guess " + failure));
            assertThat(auth.penaltyDue()).as("the reader ends the batch at failure %d", failure).isTrue();
            auth.awaitPenalty();
            assertThat(auth.penaltyDue()).isFalse();
            auth.awaitPenalty(); // nothing more is due
        }
        assertThat(slept).containsExactly(100L, 200L, 300L, 400L, 500L);
        assertThat(auth.exhausted()).isTrue();
    }

    @Test
    void rulesApplyToUsersButNotToTheServerPasswordAndIdentityIsKept() throws Exception {
        Rules rules = Rules.parse(List.of("player r room.*", "player w room.*.players.$user"), "test");
        Users users = Users.parse(List.of("alice player " + PasswordHash.create("a".toCharArray(),
                PasswordHash.MIN_ITERATIONS, new SecureRandom()).encode()), "test");
        Authenticator authenticator = new AccessAuthenticator("pw with spaces", users, null);
        Authentication alice = new Authentication(authenticator, 5, rules, millis -> { });
        assertThat(alice.permits(new Command.Set("room.1", "x"))).as("nobody yet: the gate decides").isTrue();
        assertThat(alice.admit(new Command.Auth("alice \t a"))).isEqualTo(new Authentication.Verdict.Accepted("alice",
                "player"));
        assertThat(alice.permits(new Command.Set("room.1.players.alice.x", "1"))).isTrue();
        assertThat(alice.permits(new Command.Set("room.1.players.bob.x", "1"))).isFalse();
        assertThat(alice.admit(new Command.Auth("pw with spaces")))
                .isEqualTo(new Authentication.Verdict.Refused(Authentication.OTHER_IDENTITY));
        assertThat(alice.failures()).as("good credentials of someone else are no failed guess").isZero();
        assertThat(alice.user()).isEqualTo("alice");

        Authentication operator = new Authentication(authenticator, 5, rules, millis -> { });
        assertThat(operator.admit(new Command.Auth("pw with spaces")))
                .isEqualTo(new Authentication.Verdict.Accepted(null, null));
        assertThat(operator.permits(new Command.DeleteTree("room"))).isTrue();
        assertThat(operator.admit(new Command.Auth("alice b")))
                .as("a wrong user password is a failure, whatever the connection is").isInstanceOf(
                        Authentication.Verdict.Refused.class);
        assertThat(operator.failures()).isOne();
    }

    @Test
    void thePasswordAuthenticatorNeverShowsThePassword() {
        Authenticator password = Authenticator.forPassword("hunter2");
        assertThat(password.required()).isTrue();
        assertThat(password.check("hunter2")).isEqualTo(new Authenticator.Result.Accepted(null, null));
        assertThat(password.check("")).isEqualTo(new Authenticator.Result.Refused("invalid password"));
        assertThat(password.toString()).doesNotContain("hunter2");
    }
}
