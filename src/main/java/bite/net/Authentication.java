package bite.net;

import bite.access.CommandPermissions;
import bite.access.Rules;
import bite.command.Command;
import bite.protocol.CommandParser;

/**
 * One connection's authentication state and its gate: with an {@link Authenticator} that requires it, only
 * {@code auth}, {@code hello} and {@code quit} pass until the client authenticated; {@code auth} itself is answered
 * here and never reaches the database as such. Once authenticated, each request is checked against the rules
 * ({@link #permits}). A connection keeps the identity of its first successful {@code auth}: another one for the
 * same user and role is answered {@code OK} again (a fresh token), one for anybody else is refused. Owned by the
 * connection's reader thread ({@link ConnectionReader}); not thread-safe.
 */
final class Authentication {

    /** What the gate decided about one command. */
    sealed interface Verdict {
        /** The command goes to the database as it is. */
        record Pass() implements Verdict {}

        /** {@code auth} with good credentials: the connection is {@code user}'s (null: the server password). */
        record Accepted(String user, String role) implements Verdict {}

        /** {@code auth} that failed, and why (counts as a failure when it checked credentials). */
        record Refused(String reason) implements Verdict {}

        /** Anything else before authentication. */
        record Required() implements Verdict {}
    }

    static final String OTHER_IDENTITY = "already authenticated as someone else";
    private static final Verdict PASS = new Verdict.Pass();
    private static final Verdict REQUIRED = new Verdict.Required();
    private static final System.Logger LOG = System.getLogger("bite.net");

    private final Authenticator authenticator;
    private final boolean required;
    private final int maxFailures;
    private final Rules rules;
    private final Access.Sleeper sleeper;
    private boolean authenticated;
    private Authenticator.Result.Accepted identity; // the first successful auth's
    private int failures;
    private boolean penaltyDue;

    Authentication(Authenticator authenticator, int maxFailures) {
        this(authenticator, maxFailures, null, Thread::sleep);
    }

    /** {@code rules} null: every authenticated connection may do everything. */
    Authentication(Authenticator authenticator, int maxFailures, Rules rules, Access.Sleeper sleeper) {
        this.authenticator = authenticator;
        this.required = authenticator.required();
        this.maxFailures = maxFailures;
        this.rules = rules;
        this.sleeper = sleeper;
    }

    Verdict admit(Command command) {
        if (command instanceof Command.Auth(String credentials)) {
            return switch (authenticator.check(credentials)) {
                case Authenticator.Result.Accepted accepted -> {
                    if (identity != null && !identity.equals(accepted)) yield new Verdict.Refused(OTHER_IDENTITY);
                    authenticated = true;
                    identity = accepted;
                    yield new Verdict.Accepted(accepted.user(), accepted.role());
                }
                case Authenticator.Result.Refused(String reason, String detail) -> {
                    if (required) { // with nothing to guess (no password set), no failure
                        failures++;
                        penaltyDue = true;
                        LOG.log(System.Logger.Level.DEBUG, () -> "auth refused: " + detail);
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

    /**
     * Whether the rules let this connection's user make {@code command} (a request the gate passed): always without
     * rules, for the server password, and before any {@code auth} when none is required.
     */
    boolean permits(Command command) {
        if (rules == null || identity == null || identity.serverPassword()) return true;
        return CommandPermissions.allowed(rules, identity.role(), identity.user(), command);
    }

    /** The authenticated user's name, or null (nobody yet, or the server password). */
    String user() {
        return identity == null ? null : identity.user();
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

    /** Whether a failed attempt waits for its delay: the reader ends the batch at it. */
    boolean penaltyDue() {
        return penaltyDue;
    }

    /**
     * How long the reader waits before it submits the batch ending with a failed attempt (which slows password
     * guessing on one connection), then nothing until the next failure.
     */
    long takePenaltyMillis() {
        if (!penaltyDue) return 0;
        penaltyDue = false;
        return Math.min(100L * failures, 1_000);
    }

    /** Waits the failed attempt's delay, if one is due (on the reader, before the batch holding it goes out). */
    void awaitPenalty() throws InterruptedException {
        long millis = takePenaltyMillis();
        if (millis > 0) sleeper.sleep(millis);
    }
}
