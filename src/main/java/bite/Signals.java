package bite;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGINT and SIGTERM stop the server and let {@link Main} return exit code 0 (a plain shutdown hook would leave the
 * JVM's 130/143).
 *
 * <p>Threads: the stop runs on the thread the JDK starts for each signal it delivers ({@code sun.misc.Signal}, from
 * jdk.unsupported), and Bite starts one thread of its own, the shutdown hook {@code bite-shutdown}, for exits that
 * bypass the signal handlers ({@code System.exit}, or a JVM without jdk.unsupported). There is no separate stop
 * thread: the signal's own thread may block, and stopping there, before the JVM begins to shut down, keeps the
 * final log lines, which java.util.logging's own shutdown hook would otherwise race to discard.
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
                    stopOnce.run();
                });
            }
        } catch (LinkageError | IllegalArgumentException e) {
            LOG.log(Level.DEBUG, "no signal handling (" + e + "); using a shutdown hook");
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("bite-shutdown").unstarted(stopOnce));
    }
}
