package bite.net;

import bite.access.CommandPermissions;
import bite.command.Command;

import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Logs one connection's requests refused with {@code ERR forbidden}, naming the user and the address, sparingly: at
 * most one line a second per connection (the next line says how many were not logged), and at most
 * {@value #SERVER_LINES_PER_SECOND} lines a second for the whole server, so that clients sending forbidden
 * requests on purpose, even over many connections, cannot flood the log. Owned by the connection's reader thread;
 * the server-wide budget is an atomic shared by every reader.
 */
final class DenialLog {

    private static final System.Logger LOG = System.getLogger("bite.net");
    static final int SERVER_LINES_PER_SECOND = 20;
    private static final long SECOND_NANOS = 1_000_000_000L;
    private static final int MAX_KEY_CHARS = 100;
    /** The server's budget: the second it counts (nanoTime / 1e9) times 1024, plus the lines logged in it. */
    private static final AtomicLong SERVER_BUDGET = new AtomicLong();

    private final String connection;
    private final SocketAddress peer;
    private final LongSupplier nanoTime;
    private long lastLogged;
    private boolean loggedOnce;
    private long notLogged;

    DenialLog(String connection, SocketAddress peer) {
        this(connection, peer, System::nanoTime);
    }

    /** With {@code nanoTime} for the clock (a test's). */
    DenialLog(String connection, SocketAddress peer, LongSupplier nanoTime) {
        this.connection = connection;
        this.peer = peer;
        this.nanoTime = nanoTime;
    }

    /** {@code user} (null: nobody's, as before auth) was refused {@code command}. */
    void denied(String user, Command command) {
        long now = nanoTime.getAsLong();
        if ((loggedOnce && now - lastLogged < SECOND_NANOS) || !serverMayLog(now)) {
            notLogged++;
            return;
        }
        loggedOnce = true;
        lastLogged = now;
        long skipped = notLogged;
        notLogged = 0;
        LOG.log(Level.WARNING, () -> connection + " (" + peer + ") user " + user + " forbidden: " + describe(command)
                + (skipped > 0 ? " (and " + skipped + " more refused since the last line)" : ""));
    }

    private static boolean serverMayLog(long now) {
        long second = now / SECOND_NANOS;
        while (true) {
            long budget = SERVER_BUDGET.get();
            long next = budget >>> 10 == second ? budget + 1 : second << 10 | 1;
            if ((next & 1023) > SERVER_LINES_PER_SECOND) return false;
            if (SERVER_BUDGET.compareAndSet(budget, next)) return true;
        }
    }

    /** What was asked, without values: {@code w on room.7.players.bob}. */
    private static String describe(Command command) {
        List<CommandPermissions.Need> needs = CommandPermissions.needs(command);
        if (needs.isEmpty()) return command.getClass().getSimpleName();
        CommandPermissions.Need need = needs.getFirst();
        String key = need.key() == null ? "**" : need.key();
        if (key.length() > MAX_KEY_CHARS) key = key.substring(0, MAX_KEY_CHARS) + "...";
        return command.getClass().getSimpleName() + " needs " + need.permission().letter() + " on " + key
                + (needs.size() > 1 ? " (+" + (needs.size() - 1) + " more)" : "");
    }
}
