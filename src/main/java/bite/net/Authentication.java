package bite.net;

import bite.command.Command;
import bite.protocol.CommandParser;

/**
 * One connection's authentication state and its gate: with an {@link Authenticator} that requires it, only
 * {@code auth} and {@code quit} pass until the client authenticated; {@code auth} itself is answered here and never
 * reaches the database. Owned by the connection's reader thread ({@link ConnectionReader}); not thread-safe.
 */
final class Authentication {

    /** What the gate decided about one command. */
    sealed interface Verdict {
        /** The command goes to the database as it is. */
        record Pass() implements Verdict {}

        /** {@code auth} with good credentials: the connection is authenticated. */
        record Accepted() implements Verdict {}

        /** {@code auth} that failed, and why (counts as a failure when it checked credentials). */
        record Refused(String reason) implements Verdict {}

        /** Anything else before authentication. */
        record Required() implements Verdict {}
    }

    private static final Verdict PASS = new Verdict.Pass();
    private static final Verdict ACCEPTED = new Verdict.Accepted();
    private static final Verdict REQUIRED = new Verdict.Required();

    private final Authenticator authenticator;
    private final boolean required;
    private final int maxFailures;
    private boolean authenticated;
    private int failures;
    private boolean penaltyDue;

    Authentication(Authenticator authenticator, int maxFailures) {
        this.authenticator = authenticator;
        this.required = authenticator.required();
        this.maxFailures = maxFailures;
    }

    Verdict admit(Command command) {
        if (command instanceof Command.Auth(String credentials)) {
            return switch (authenticator.check(credentials)) {
                case Authenticator.Result.Accepted() -> {
                    authenticated = true;
                    yield ACCEPTED;
                }
                case Authenticator.Result.Refused(String reason) -> {
                    if (required) { // with nothing to guess (no password set), no failure
                        failures++;
                        penaltyDue = true;
                    }
                    yield new Verdict.Refused(reason);
                }
            };
        }
        if (!required || authenticated || command instanceof Command.Quit || command instanceof Command.Hello
                || command == CommandParser.MISSING_PASSWORD) { // 'auth' alone: say so, even before authentication
            return PASS;
        }
        return REQUIRED;
    }

    /** Whether the connection may take a session over: nothing is required, or it authenticated. */
    boolean mayTakeOver() {
        return !required || authenticated;
    }

    /** As many failed attempts as the connection may make: it closes. */
    boolean exhausted() {
        return failures >= maxFailures;
    }

    int failures() {
        return failures;
    }

    /**
     * How long the reader waits before it submits the batch holding a failed attempt (which slows password guessing
     * on one connection), then nothing until the next failure.
     */
    long takePenaltyMillis() {
        if (!penaltyDue) return 0;
        penaltyDue = false;
        return Math.min(100L * failures, 1_000);
    }
}
