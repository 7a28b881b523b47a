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

    /** {@code #g|#k|#j KEY [VALUE]}: {@code value} is null when none was given. */
    record Subscribe(Kind kind, String key, String value) implements Command {}

    /** {@code #- KEY [VALUE]}: {@code value} is null when none was given. */
    record Unsubscribe(String key, String value) implements Command {}

    /** {@code ! KEY VALUE} */
    record Notify(String key, String value) implements Command {}

    /** A request that was rejected before it reached the data: answered {@code ERR reason}, changes nothing. */
    record Invalid(String reason) implements Command {}

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
