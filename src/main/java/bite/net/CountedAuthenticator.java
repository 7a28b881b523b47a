package bite.net;

import java.util.concurrent.atomic.LongAdder;

/**
 * An {@link Authenticator} that counts the failed checks of another, for {@code /metrics}: wrong credentials where
 * credentials are required (with no password set, {@code auth} is refused but guesses nothing). Shared by every
 * connection of a listener; safe on any thread.
 */
final class CountedAuthenticator implements Authenticator {

    private final Authenticator inner;
    private final LongAdder failures = new LongAdder();

    CountedAuthenticator(Authenticator inner) {
        this.inner = inner;
    }

    @Override
    public boolean required() {
        return inner.required();
    }

    @Override
    public Result check(String credentials) {
        Result result = inner.check(credentials);
        if (result instanceof Result.Refused && inner.required()) failures.increment();
        return result;
    }

    long failures() {
        return failures.sum();
    }

    @Override
    public String toString() {
        return inner.toString();
    }
}
