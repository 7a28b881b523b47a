package bite.db;

import bite.command.Command;
import bite.protocol.CommandParser;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives a {@link Database} the way bite-db does, without threads or sockets: each request line is parsed (as a
 * connection would) and applied, then the batch's output is drained and delivered to the {@link RecordingClient}s.
 */
final class DatabaseHarness {

    final Database db;
    private final CommandParser parser = new CommandParser(1024);

    DatabaseHarness() {
        this(Map.of(), 1024 * 1024);
    }

    DatabaseHarness(Map<String, String> initial, int maxValueBytes) {
        db = new Database(initial, maxValueBytes);
    }

    /** Applies {@code lines} from {@code client} as one batch; returns what {@code client} got, in order. */
    List<String> send(RecordingClient client, String... lines) {
        for (String line : lines) apply(client, line);
        deliver();
        return client.take();
    }

    /** Applies one line from {@code client}, leaving its output in the output (several clients, one batch). */
    void apply(RecordingClient client, String line) {
        Command command = parser.parse(line);
        assertThat(command).as("a blank line: %s", line).isNotNull();
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
