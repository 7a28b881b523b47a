package bite;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGINT and SIGTERM stop the server and let {@link Main} return exit code 0 (a plain shutdown hook would leave the
 * JVM's 130/143). Uses {@code sun.misc.Signal} from jdk.unsupported when it is there, a shutdown hook otherwise.
 */
final class Signals {

    private static final System.Logger LOG = System.getLogger("bite");

    private Signals() {
        throw new AssertionError();
    }

    static void onTerminate(Runnable stop) {
        AtomicBoolean once = new AtomicBoolean();
        Runnable stopOnce = () -> {
            if (once.compareAndSet(false, true)) stop.run();
        };
        try {
            for (String name : new String[]{"TERM", "INT"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    LOG.log(Level.INFO, "SIG" + name + " received: stopping");
                    Thread.ofPlatform().name("bite-stop").start(stopOnce);
                });
            }
        } catch (LinkageError | IllegalArgumentException e) {
            LOG.log(Level.DEBUG, "no signal handling (" + e + "); using a shutdown hook");
        }
        // also covers System.exit and signals that could not be handled above
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("bite-shutdown").unstarted(stopOnce));
    }
}
