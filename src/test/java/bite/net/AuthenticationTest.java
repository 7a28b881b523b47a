package bite.net;

import bite.command.Command;
import bite.protocol.CommandParser;
import org.junit.jupiter.api.Test;

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
    void thePasswordAuthenticatorNeverShowsThePassword() {
        Authenticator password = Authenticator.forPassword("hunter2");
        assertThat(password.required()).isTrue();
        assertThat(password.check("hunter2")).isEqualTo(new Authenticator.Result.Accepted(null, null));
        assertThat(password.check("")).isEqualTo(new Authenticator.Result.Refused("invalid password"));
        assertThat(password.toString()).doesNotContain("hunter2");
    }
}
