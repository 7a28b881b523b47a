package bite.command;

import java.util.List;

/**
 * A parsed request, ready for the database thread. Immutable: built on a connection's thread, applied on bite-db.
 * One record per wire verb; {@code DatabaseThread} switches over them with no default, so a new command does not
 * compile until it is handled.
 */
public sealed interface Command {

    /** {@code s KEY VALUE} */
    record Set(String key, String value) implements Command {}

    /** {@code s? KEY VALUE}: set only if KEY has no value. */
    record SetIfAbsent(String key, String value) implements Command {}

    /** {@code sl SEP ITEMS}: every item applied as one step. */
    record SetMany(List<Set> items) implements Command {}

    /** {@code g KEY} */
    record Get(String key) implements Command {}

    /** {@code +1 KEY} */
    record Increment(String key) implements Command {}

    /** {@code + KEY VALUE} */
    record Append(String key, String value) implements Command {}

    /** {@code d KEY} */
    record Delete(String key) implements Command {}

    /** {@code k [KEY]}: {@code key} is null for the whole database. */
    record Keys(String key) implements Command {}

    /** {@code j [KEY]} and {@code js [KEY]} ({@code wrapped}): {@code key} is null for the whole database. */
    record Json(String key, boolean wrapped) implements Command {}

    /**
     * {@code #g|#k|#j KEY [VALUE]} in protocol 2, {@code #g|#k|#j KEY [OPTIONS]} in protocol 3: {@code value} is null
     * when none was given (always in protocol 3); {@code options} is {@link SubscribeOptions#NONE} in protocol 2.
     */
    record Subscribe(Kind kind, String key, String value, SubscribeOptions options) implements Command {
        public Subscribe(Kind kind, String key, String value) {
            this(kind, key, value, SubscribeOptions.NONE);
        }
    }

    /**
     * A protocol-3 subscription's options. {@code fromEpoch} is null without {@code from=}; {@code everyMillis} is 0
     * without {@code every=}.
     */
    record SubscribeOptions(String fromEpoch, long fromRevision, int everyMillis) {
        public static final SubscribeOptions NONE = new SubscribeOptions(null, 0, 0);
    }

    /** {@code dd KEY}: delete KEY's value and every descendant's, as one step. */
    record DeleteTree(String key) implements Command {}

    /**
     * {@code hello 2} / {@code hello 3 [SESSION]}: {@code session} is the token to take over (null when none was
     * given): see {@code bite.db.Sessions}.
     */
    record Hello(int version, String session) implements Command {}

    /** {@code #- KEY [VALUE]}: {@code value} is null when none was given. */
    record Unsubscribe(String key, String value) implements Command {}

    /** {@code ! KEY VALUE} */
    record Notify(String key, String value) implements Command {}

    /**
     * {@code ondisconnect LINE}: {@code action} (a {@link Set}, {@link Delete}, {@link DeleteTree} or {@link Notify},
     * already checked as that request) runs when this connection's session ends.
     */
    record OnDisconnect(Command action) implements Command {}

    /** {@code ondisconnect -}: forget every action this connection's session registered. */
    record OnDisconnectClear() implements Command {}

    /** A request that was rejected before it reached the data: answered {@code ERR reason}, changes nothing. */
    record Invalid(String reason) implements Command {}

    /** {@code ping}: answered {@code PONG}. */
    record Ping() implements Command {}

    /** {@code info}: one line of JSON about the server. */
    record Info() implements Command {}

    /** {@code quit}: answered {@code OK}, then the connection closes. */
    record Quit() implements Command {}

    /** {@code auth PASSWORD}: checked by the connection, which sends an {@link Answer} or {@link Invalid} instead. */
    record Auth(String password) implements Command {
        @Override
        public String toString() {
            return "Auth[***]"; // never log a secret
        }
    }

    /**
     * A successful {@code auth}, decided by the connection: bite-db notes who the connection is ({@code user} null
     * for the server password, which names nobody) and answers {@code OK}.
     */
    record Authenticated(String user, String role) implements Command {}

    /** A reply the connection decided (such as {@code OK} to {@code auth}), answered in order with the rest. */
    record Answer(String line) implements Command {}

    /** The three shapes a subscription's pushes take. */
    enum Kind {
        /** {@code #g}: the value */
        VALUE,
        /** {@code #k}: {@code RELPATH VALUE} */
        KEYED,
        /** {@code #j}: a one-line JSON object */
        JSON
    }
}
