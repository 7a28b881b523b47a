package bite.db;

import bite.command.Command;
import bite.protocol.CommandParser;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives a {@link Database} the way bite-db does, without threads or sockets: each request line is parsed (as a
 * connection would) and applied, then the batch's output is drained and delivered to the {@link RecordingClient}s.
 */
final class DatabaseHarness {

    final Database db;
    private final CommandParser parser = new CommandParser(1024);
    private final Map<RecordingClient, Integer> protocols = new HashMap<>();
    /** The time the database sees, in ms; moved by {@link #advanceTo}. */
    private long now;
    /** Timer wake-ups asked for and not yet come: {time, the tick's time}. */
    private final List<long[]> ticks = new ArrayList<>();

    DatabaseHarness() {
        this(Map.of(), 1024 * 1024);
    }

    DatabaseHarness(Map<String, String> initial, int maxValueBytes) {
        this(initial, maxValueBytes, DatabaseWiring.DEFAULT_HISTORY);
    }

    DatabaseHarness(Map<String, String> initial, int maxValueBytes, int history) {
        db = new Database(initial, maxValueBytes, DatabaseWiring.defaults().history(history).ticks(
                (delay, tick) -> ticks.add(new long[] {now + Math.max(0, delay), tick.at()}), () -> now));
    }

    /** Moves the clock to {@code millis}, delivering every timer wake-up due by then (in time order) as bite-db would. */
    void advanceTo(long millis) {
        while (true) {
            long[] next = null;
            for (long[] t : ticks) if (t[0] <= millis && (next == null || t[0] < next[0])) next = t;
            if (next == null) break;
            ticks.remove(next);
            now = next[0];
            db.events().woke(next[1]);
            deliver();
        }
        now = millis;
    }

    /** The timer wake-ups asked for and not yet come, as {@code time} values. */
    List<Long> tickTimes() {
        return ticks.stream().map(t -> t[0]).toList();
    }

    /**
     * Runs bite-db's later steps until no replay goes on: each step moves the next part of the held output to the
     * outbox and delivers it. Returns how many steps it took; requests released go to {@code released}.
     */
    int runHeldSteps(List<CompletableFuture<Void>> released) {
        int steps = 0;
        while (db.events().hasHeldOutput()) {
            db.events().advanceHeldOutput(released);
            deliver();
            steps++;
        }
        return steps;
    }

    /** Applies {@code lines} from {@code client} as one batch; returns what {@code client} got, in order. */
    List<String> send(RecordingClient client, String... lines) {
        for (String line : lines) apply(client, line);
        deliver();
        return client.take();
    }

    /** Applies one line from {@code client}, leaving its output in the output (several clients, one batch). */
    void apply(RecordingClient client, String line) {
        Command command = parser.parse(line, protocols.getOrDefault(client, 2));
        assertThat(command).as("a blank line: %s", line).isNotNull();
        if (command instanceof Command.Hello hello) protocols.put(client, hello.version());
        db.apply(client, command);
    }

    /** Ends the batch: hands everything in the output to the clients. */
    void deliver() {
        db.output().drain().deliver();
    }

    /** The single reply {@code client} gets for {@code line}; it must get nothing else. */
    String ask(RecordingClient client, String line) {
        List<String> got = send(client, line);
        assertThat(got).as(line).hasSize(1);
        assertThat(got.getFirst()).as(line).startsWith("reply ");
        return got.getFirst().substring("reply ".length());
    }
}
