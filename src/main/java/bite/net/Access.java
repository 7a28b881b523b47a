package bite.net;

import bite.access.Rules;
import bite.access.TokenVerifier;
import bite.access.Users;

import javax.net.ssl.SSLContext;
import java.util.concurrent.atomic.LongAdder;

/**
 * Who may connect and what they may do, as the server's start-up loaded it: how {@code auth} is checked, the
 * compiled rules (null: none, every user may do everything), the TLS context of the TCP listener (null:
 * plaintext), and how a failed {@code auth}'s delay is waited. Built on main at start; its parts are immutable and
 * shared by every connection's reader, except {@link #deniedRequests}'s counter, which any reader adds to and
 * bite-db reads for {@code info}.
 */
public final class Access {

    /** How a failed attempt's delay is waited: {@link Thread#sleep} but in tests. Called on the reader's thread. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    final Authenticator authenticator;
    final Rules rules;
    final SSLContext tls;
    final Sleeper sleeper;
    private final LongAdder denied = new LongAdder();

    Access(Authenticator authenticator, Rules rules, SSLContext tls, Sleeper sleeper) {
        this.authenticator = authenticator;
        this.rules = rules;
        this.tls = tls;
        this.sleeper = sleeper;
    }

    /**
     * The access of a server with these parts, each null when not configured. {@code rules} null: every user and
     * token holder may do everything.
     */
    public static Access of(String password, Users users, TokenVerifier tokens, Rules rules, SSLContext tls) {
        Authenticator authenticator = users == null && tokens == null ? Authenticator.forPassword(password)
                : new AccessAuthenticator(password, users, tokens);
        return new Access(new CountedAuthenticator(authenticator), rules, tls, Thread::sleep);
    }

    /** Only the server password (or nothing), no rules, plaintext: protocol 2's access. */
    public static Access passwordOnly(String password) {
        return of(password, null, null, null, null);
    }

    /** Requests refused with {@code ERR forbidden} since start. */
    public long deniedRequests() {
        return denied.sum();
    }

    /** Wrong credentials given (with {@code auth}, or as a page's {@code Authorization: Bearer}) since start. */
    public long authFailures() {
        return authenticator instanceof CountedAuthenticator counted ? counted.failures() : 0;
    }

    void denied() {
        denied.increment();
    }
}
