package bite.db;

import bite.command.Command;
import bite.protocol.CommandParser;
import bite.storage.Change;
import bite.storage.SessionRecords;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions on bite-db's own state, on a test's clock: graces end at their time and not before (no sleeps: the
 * grace ends asked for are run when the clock passes them, as bite-timer would post them), takeovers, and the
 * records each step hands to storage.
 */
class SessionsTest {

    private static final long GRACE = 10_000;
    private static final Pattern HELLO = Pattern.compile("=OK 3 [0-9a-f]{16} ([0-9a-f]{32})");

    private long now;
    private final List<Object[]> graces = new ArrayList<>(); // {due, GraceEnded}
    private final Database db = new Database(Map.of(), 1 << 20, DatabaseWiring.defaults().history(100)
            .ticks((delay, tick) -> { }, () -> now)
            .sessions(GRACE, (delay, end) -> graces.add(new Object[] {now + delay, end})));
    private final CommandParser parser = new CommandParser(1024);
    private final Map<RecordingClient, Integer> protocols = new HashMap<>();
    private final RecordingClient watcher = new RecordingClient("watcher");

    SessionsTest() {
        send(watcher, "#k room");
    }

    /** Applies {@code line} as bite-db does (its ended sessions run right after it); returns what the sender got. */
    private List<String> send(RecordingClient client, String line) {
        Command command = parser.parse(line, protocols.getOrDefault(client, 2));
        if (command instanceof Command.Hello hello) protocols.put(client, hello.version());
        db.apply(client, command);
        db.runEndedSessions();
        db.output().drain().deliver();
        return client.take();
    }

    private String hello3(RecordingClient client, String session) {
        List<String> got = send(client, session == null ? "hello 3" : "hello 3 " + session);
        Matcher m = HELLO.matcher(got.getFirst().substring("reply ".length()));
        assertThat(m.matches()).as(got.toString()).isTrue();
        return m.group(1);
    }

    private void disconnect(RecordingClient client) {
        db.disconnected(client, false);
        db.runEndedSessions();
        db.output().drain().deliver();
    }

    /** Moves the clock, running every grace end due by then as bite-db would on its queue. */
    private void advanceTo(long millis) {
        now = millis;
        for (Object[] g : List.copyOf(graces)) {
            if ((long) g[0] > millis) continue;
            graces.remove(g);
            Request.GraceEnded end = (Request.GraceEnded) g[1];
            db.sessions().graceEnded(end.token(), end.grace());
            db.runEndedSessions();
            db.output().drain().deliver();
        }
    }

    @Test
    void aProtocol3SessionEndsWhenItsGraceIsOverAndNotBefore() {
        RecordingClient c = new RecordingClient("c");
        hello3(c, null);
        assertThat(send(c, "ondisconnect s room.p1 away")).containsExactly("reply =OK");
        now = 1_000;
        disconnect(c);
        advanceTo(10_999);
        assertThat(watcher.take()).isEmpty();
        advanceTo(11_000);
        assertThat(watcher.take()).containsExactly("push p1 away");
    }

    @Test
    void aProtocol2SessionEndsAtTheClose() {
        RecordingClient c = new RecordingClient("c");
        send(c, "ondisconnect ! room.chat bye");
        send(c, "ondisconnect s room.p1 gone");
        disconnect(c);
        assertThat(watcher.take()).containsExactly("push chat bye", "push p1 gone");
        assertThat(graces).isEmpty();
    }

    @Test
    void aTakeoverWithinTheGraceRunsNothingAndTheNewConnectionsCloseStartsAnotherGrace() {
        RecordingClient c = new RecordingClient("c");
        String token = hello3(c, null);
        send(c, "ondisconnect s room.p1 away");
        disconnect(c);
        now = 5_000;
        RecordingClient again = new RecordingClient("again");
        send(again, "ondisconnect s room.again ended");
        assertThat(hello3(again, token)).isEqualTo(token);
        assertThat(watcher.take()).as("the session it held ends at once").containsExactly("push again ended");
        advanceTo(60_000);
        assertThat(watcher.take()).as("the old grace ends nothing").isEmpty();
        disconnect(again);
        advanceTo(69_999);
        assertThat(watcher.take()).isEmpty();
        advanceTo(70_000);
        assertThat(watcher.take()).containsExactly("push p1 away");
    }

    @Test
    void aTakeoverAsksTheOpenOldConnectionToCloseAndItsCloseEndsNothing() {
        RecordingClient old = new RecordingClient("old");
        String token = hello3(old, null);
        send(old, "ondisconnect s room.p1 away");
        RecordingClient now = new RecordingClient("now");
        assertThat(hello3(now, token)).isEqualTo(token);
        assertThat(old.closeAsked()).isTrue();
        assertThat(send(old, "ondisconnect s room.x 1")).containsExactly("reply =ERR session taken over");
        disconnect(old);
        advanceTo(1_000_000);
        assertThat(watcher.take()).isEmpty();
        send(now, "quit");
        assertThat(watcher.take()).containsExactly("push p1 away");
    }

    @Test
    void storageGetsARecordPerActionAndTheirDeletesWithTheActionsChanges() {
        RecordingClient c = new RecordingClient("c");
        String token = hello3(c, null);
        db.drainChanges();
        send(c, "ondisconnect s room.p1 away");
        send(c, "ondisconnect d room.p2");
        assertThat(db.drainChanges()).containsExactly(SessionRecords.action(token, 0, "s\nroom.p1\naway"),
                SessionRecords.action(token, 1, "d\nroom.p2"));
        send(c, "ondisconnect -");
        assertThat(db.drainChanges()).containsExactly(SessionRecords.removed(token, 0),
                SessionRecords.removed(token, 1));
        send(c, "ondisconnect dd room.p3");
        db.drainChanges();
        send(c, "quit");
        assertThat(db.drainChanges()).as("nothing to delete under room.p3 yet: only the session's end")
                .containsExactly(SessionRecords.removed(token, 2));
        send(c, "s room.p3.x 1");
        send(watcher, "hello 3");
        RecordingClient d = new RecordingClient("d");
        String other = hello3(d, null);
        send(d, "ondisconnect dd room.p3");
        db.drainChanges();
        send(d, "quit");
        assertThat(db.drainChanges()).as("one change-set: the action's changes and the session's end")
                .containsExactlyInAnyOrder(new Change("room.p3.x", null), SessionRecords.removed(other, 0));
    }

    @Test
    void recoveryRunsTheActionsOfUnendedSessionsAndEndsThemInTheSameChangeSet() {
        Map<String, String> disk = new HashMap<>();
        for (Change ch : List.of(SessionRecords.action("t1", 0, "s\nroom.a\n1"),
                SessionRecords.action("t1", 1, "! room.chat"), // unreadable: skipped
                SessionRecords.action("t2", 7, "!\nroom.chat\nbye"), new Change("room.a", "0"))) {
            disk.put(ch.key(), ch.value());
        }
        List<SessionRecords.Recovered> sessions = SessionRecords.split(disk);
        assertThat(disk).containsOnlyKeys("room.a");
        assertThat(db.runRecovered(sessions)).isEqualTo(2);
        db.output().drain().deliver();
        assertThat(watcher.take()).containsExactly("push a 1", "push chat bye");
        assertThat(db.drainChanges()).containsExactlyInAnyOrder(new Change("room.a", "1"),
                SessionRecords.removed("t1", 0), SessionRecords.removed("t1", 1), SessionRecords.removed("t2", 7));
    }

    @Test
    void aGracefulStopEndsEverySession() {
        RecordingClient a = new RecordingClient("a");
        RecordingClient b = new RecordingClient("b");
        hello3(a, null);
        send(a, "ondisconnect s room.a gone");
        disconnect(a);
        send(b, "ondisconnect s room.b gone");
        db.sessions().endAll();
        db.runEndedSessions();
        db.output().drain().deliver();
        assertThat(watcher.take()).containsExactlyInAnyOrder("push a gone", "push b gone");
        advanceTo(GRACE * 2);
        assertThat(watcher.take()).isEmpty();
    }

    @Test
    void actionsRoundTripThroughTheirRecords() {
        for (Command action : List.of(new Command.Set("a.b", "x y "), new Command.Set("a", ""),
                new Command.Delete("a"), new Command.DeleteTree("a.b"), new Command.Notify("a", "hi there"))) {
            assertThat(Sessions.decode(Sessions.encode(action))).isEqualTo(action);
        }
        assertThat(Sessions.decode("x\na")).isNull();
        assertThat(Sessions.decode("s")).isNull();
        assertThat(Sessions.decode("d\na\nb")).isNull();
    }
}
