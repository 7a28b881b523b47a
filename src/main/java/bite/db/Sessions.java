package bite.db;

import bite.command.Command;
import bite.storage.Change;
import bite.storage.SessionRecords;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The session registry: every session bite-db knows of (a connection that said {@code hello 3} or registered an
 * {@code ondisconnect} action; any other connection's session holds nothing and is not kept), its token, its
 * connection (none while in grace), and its actions. Owned by bite-db, like the keyspace; nothing here blocks.
 *
 * <p>A session ends (PROTOCOL.md, "Sessions and presence") at a protocol-2 connection's close, at {@code quit}, at
 * the end of a protocol-3 connection's grace, when its connection takes another session over, or at a graceful stop.
 * An ended session leaves the registry and its actions wait in {@link #takeEnded} for {@link Database} to run them
 * as a step of their own. Grace ends reach bite-db as {@link Request.GraceEnded} on its queue, asked for from the
 * {@link GraceScheduler}. Every registration and removal of an action is also a change for storage
 * ({@link SessionRecords}), in the change-set of the request that made it.
 *
 * <p>Tokens are secrets (128 bits from a {@link SecureRandom}), never logged. A guessed token is looked up in a hash
 * map, which compares characters only with a token of the same 32-bit hash, so a lookup's time tells nothing about
 * the tokens that exist.
 */
final class Sessions {

    private static final System.Logger LOG = System.getLogger("bite.db");

    /** At most this many actions per session. */
    static final int MAX_ACTIONS = 1024;

    /** Where bite-db asks for a {@link Request.GraceEnded} to come back on its queue. Called on bite-db only. */
    interface GraceScheduler {
        void schedule(long delayMillis, Request.GraceEnded end);
    }

    /** An action and the number of its record on disk. */
    record Action(long seq, Command command) {}

    /** One session; {@code client} is null while the session is in grace. */
    static final class Session {
        final String token;
        Client client;
        String userInGrace; // the user of the connection it had, while in grace
        long grace;         // the grace it waits in (0: none)
        long nextSeq;
        final List<Action> actions = new ArrayList<>(0);

        Session(String token, Client client) {
            this.token = token;
            this.client = client;
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> byToken = new HashMap<>();
    private final Map<Client, Session> byClient = new HashMap<>();
    private final Set<Client> takenOver = new HashSet<>(); // connections closing because their session moved on
    private final List<Session> ended = new ArrayList<>();
    private final List<Change> changes;
    private final long graceMillis;
    private final GraceScheduler graces;
    private final Function<Client, String> userOf;
    private long lastGrace;
    private int inGrace;
    private long actionsPending;

    /**
     * @param changes     where the records for storage go (the database's change list)
     * @param graceMillis {@code --session-grace}; 0 ends a protocol-3 session at its connection's close
     * @param userOf      the user a connection authenticated as (null when none)
     */
    Sessions(List<Change> changes, long graceMillis, GraceScheduler graces, Function<Client, String> userOf) {
        this.changes = changes;
        this.graceMillis = graceMillis;
        this.graces = graces;
        this.userOf = userOf;
    }

    /** {@code ondisconnect LINE}: null when registered, else the reason for {@code ERR}. */
    String register(Client client, Command action) {
        if (takenOver.contains(client)) return "session taken over";
        Session s = sessionOf(client);
        if (s.actions.size() >= MAX_ACTIONS) return "too many actions";
        Action a = new Action(s.nextSeq++, action);
        s.actions.add(a);
        actionsPending++;
        changes.add(SessionRecords.action(s.token, a.seq(), encode(action)));
        return null;
    }

    /** {@code ondisconnect -}: null when done, else the reason for {@code ERR}. */
    String clear(Client client) {
        if (takenOver.contains(client)) return "session taken over";
        Session s = byClient.get(client);
        if (s != null) forget(s);
        return null;
    }

    /**
     * {@code hello 3 [SESSION]}: the token the reply shows. {@code wanted} (null: none) is taken over when it names
     * a session that has not ended and whose user is {@code client}'s: its old connection, if still open, is asked
     * to close (a close that then ends nothing) and the session {@code client} held until now ends.
     */
    String hello3(Client client, String wanted) {
        Session own = byClient.get(client);
        if (own == null && takenOver.contains(client)) takenOver.remove(client); // a fresh session from now on
        if (own == null) own = sessionOf(client);
        if (wanted == null || wanted.equals(own.token)) return own.token;
        Session target = byToken.get(wanted);
        if (target == null) return own.token;
        String targetUser = target.client != null ? userOf.apply(target.client) : target.userInGrace;
        if (!Objects.equals(targetUser, userOf.apply(client))) return own.token;
        if (target.client != null) {
            byClient.remove(target.client);
            takenOver.add(target.client);
            target.client.close();
        } else {
            inGrace--;
            target.grace = 0; // its grace end, when it comes, finds nothing to do
            target.userInGrace = null;
        }
        byClient.remove(client);
        end(own);
        target.client = client;
        byClient.put(client, target);
        return target.token;
    }

    /** {@code quit}: the connection's session ends now. */
    void quit(Client client) {
        Session s = byClient.get(client);
        if (s != null) end(s);
    }

    /**
     * The connection closed: its session ends now (protocol 2, or no grace), or its grace starts. A connection
     * whose session was taken over ends nothing.
     */
    void closed(Client client, boolean protocol3) {
        if (takenOver.remove(client)) return;
        Session s = byClient.get(client);
        if (s == null) return;
        if (!protocol3 || graceMillis <= 0) {
            end(s);
            return;
        }
        byClient.remove(client);
        s.userInGrace = userOf.apply(client);
        s.client = null;
        s.grace = ++lastGrace;
        inGrace++;
        graces.schedule(graceMillis, new Request.GraceEnded(s.token, s.grace));
    }

    /** A grace's time is up: its session ends, unless it was taken over since. */
    void graceEnded(String token, long grace) {
        Session s = byToken.get(token);
        if (s != null && s.client == null && s.grace == grace) end(s);
    }

    /** A graceful stop: every session ends. */
    void endAll() {
        for (Session s : List.copyOf(byToken.values())) end(s);
    }

    /** Whether some ended session's actions wait to run. */
    boolean hasEnded() {
        return !ended.isEmpty();
    }

    /**
     * The actions of the sessions that ended since the last call, in the order the sessions ended and each one's in
     * registration order; their records' deletes are added to the changes now, in the same change-set as whatever
     * the actions change.
     */
    List<Command> takeEnded() {
        List<Command> run = new ArrayList<>();
        for (Session s : ended) {
            for (Action a : s.actions) {
                run.add(a.command());
                changes.add(SessionRecords.removed(s.token, a.seq()));
            }
            actionsPending -= s.actions.size();
        }
        ended.clear();
        return run;
    }

    /**
     * The actions of the sessions a crashed run left (in order, unreadable records skipped with a warning); their
     * records' deletes are added to the changes, in the change-set of the step that runs them.
     */
    List<Command> recovered(List<SessionRecords.Recovered> sessions) {
        List<Command> run = new ArrayList<>();
        for (SessionRecords.Recovered r : sessions) {
            for (String record : r.actions()) {
                Command action = decode(record);
                if (action != null) run.add(action);
                else LOG.log(System.Logger.Level.WARNING, "skipped an unreadable ondisconnect record");
            }
            changes.addAll(r.ended());
        }
        return run;
    }

    /** The {@code info} fields of sessions, as JSON members. */
    /** Sessions of open connections (for {@code /metrics}). */
    int openCount() {
        return byClient.size();
    }

    /** Sessions whose connection closed, waiting out their grace. */
    int inGraceCount() {
        return inGrace;
    }

    String info() {
        return "\"sessions_open\":" + byClient.size() + ",\"sessions_in_grace\":" + inGrace
                + ",\"ondisconnect_actions_pending\":" + actionsPending;
    }

    private Session sessionOf(Client client) {
        Session s = byClient.get(client);
        if (s != null) return s;
        String token;
        do {
            token = hex(16);
        } while (byToken.containsKey(token));
        s = new Session(token, client);
        byToken.put(token, s);
        byClient.put(client, s);
        return s;
    }

    private void end(Session s) {
        if (byToken.remove(s.token) == null) return; // already ended
        if (s.client != null) {
            byClient.remove(s.client);
        } else if (s.grace != 0) {
            inGrace--;
        }
        s.grace = 0;
        if (!s.actions.isEmpty()) ended.add(s);
    }

    private void forget(Session s) {
        for (Action a : s.actions) changes.add(SessionRecords.removed(s.token, a.seq()));
        actionsPending -= s.actions.size();
        s.actions.clear();
    }

    /**
     * An action as its record holds it: the verb, then the key, then the value when it has one, joined by
     * {@code \n} (which neither a key nor a value holds).
     */
    static String encode(Command action) {
        return switch (action) {
            case Command.Set(String key, String value) -> "s\n" + key + "\n" + value;
            case Command.Delete(String key) -> "d\n" + key;
            case Command.DeleteTree(String key) -> "dd\n" + key;
            case Command.Notify(String key, String value) -> "!\n" + key + "\n" + value;
            default -> throw new IllegalArgumentException("not an action: " + action.getClass().getSimpleName());
        };
    }

    /** The action a record holds ({@link #encode}'s inverse); null for a record this server cannot read. */
    static Command decode(String record) {
        int a = record.indexOf('\n');
        if (a < 0) return null;
        int b = record.indexOf('\n', a + 1);
        String verb = record.substring(0, a);
        String key = record.substring(a + 1, b < 0 ? record.length() : b);
        String value = b < 0 ? null : record.substring(b + 1);
        if (key.isEmpty()) return null;
        return switch (verb) {
            case "s" -> value == null ? null : new Command.Set(key, value);
            case "!" -> value == null ? null : new Command.Notify(key, value);
            case "d" -> value != null ? null : new Command.Delete(key);
            case "dd" -> value != null ? null : new Command.DeleteTree(key);
            default -> null;
        };
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** For tests: the session {@code client} holds, or null. */
    String tokenOf(Client client) {
        Session s = byClient.get(client);
        return s == null ? null : s.token;
    }
}
