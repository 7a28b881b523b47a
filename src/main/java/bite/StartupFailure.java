package bite;

import java.io.IOException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Why the server could not start, naming the option whose value could not be used and the cause:
 * {@code --port 1984: cannot listen on 127.0.0.1:1984: Address already in use}. Thrown by {@link Server#start} on the
 * thread that starts it; {@link Main} prints it after {@code bite: } and exits with 1.
 */
final class StartupFailure extends IOException {

    StartupFailure(String option, Object value, String cause, Throwable e) {
        super(option + " " + value + ": " + cause, e);
    }

    StartupFailure(String option, Object value, String cause) {
        this(option, value, cause, null);
    }

    /** An exception's message for a person: never {@code null}, never a bare class name where a word says more. */
    static String describe(Throwable e) {
        if (e instanceof UnresolvedAddressException) return "unknown host";
        String message = e.getMessage();
        if (message == null || message.isBlank()) return e.getClass().getSimpleName();
        return message;
    }
}
