package bite.util;

/**
 * Named points where a process test can make the server die as {@code kill -9} would, to prove that what was
 * written before is enough: started with {@code -Dbite.crashAt=NAME}, the server halts (exit code 137, no shutdown
 * hook, nothing flushed) when it reaches point NAME. Without the property nothing happens. Stateless; any thread.
 */
public final class CrashPoint {

    private static final String CHOSEN = System.getProperty("bite.crashAt");

    private CrashPoint() {
        throw new AssertionError();
    }

    /** Halts the process at once if this is the chosen point. */
    public static void at(String name) {
        if (name.equals(CHOSEN)) {
            System.err.println("crash point " + name + " reached: halting");
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
