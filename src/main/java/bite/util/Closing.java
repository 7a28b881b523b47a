package bite.util;

import java.lang.System.Logger.Level;

/** Closing what may already be broken, outside bite.net (which has its own for sockets). Any thread; no state. */
public final class Closing {

    private Closing() {
        throw new AssertionError();
    }

    /**
     * Closes {@code c} (nothing when null); a failure is logged at {@code WARNING} on {@code log} (not at all when
     * {@code log} is null: best effort at the end of a run), never thrown.
     */
    public static void closeQuietly(AutoCloseable c, System.Logger log) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception e) {
            if (log != null) log.log(Level.WARNING, "cannot close " + c, e);
        }
    }
}
