package bite.it;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client session written the way it looks in a terminal: lines starting with {@code "> "} are sent,
 * every other line (an empty one too) is a line the server must send back, in that order, before
 * the next request is sent.
 */
final class Transcript {

    private Transcript() {
    }

    /** Plays {@code transcript} on {@code client} and asserts that the server's lines are exactly the expected ones. */
    static void play(BiteClient client, String transcript) {
        List<String> lines = transcript.lines().toList();
        var actual = new ArrayList<String>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("> ")) {
                throw new IllegalArgumentException("transcript line " + (i + 1) + " is a reply with no request before it: " + line);
            }
            actual.add(line);
            client.send(line.substring(2));
            for (; i + 1 < lines.size() && !lines.get(i + 1).startsWith("> "); i++) {
                try {
                    actual.add(client.readLine());
                } catch (UncheckedIOException e) {
                    actual.add("<nothing: " + e.getCause() + ">");
                    assertThat(String.join("\n", actual)).as("session").isEqualTo(transcript.stripTrailing());
                }
            }
        }
        assertThat(String.join("\n", actual)).as("session").isEqualTo(transcript.stripTrailing());
    }
}
