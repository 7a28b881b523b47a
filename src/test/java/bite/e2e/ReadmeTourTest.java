package bite.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's netcat tour, replayed line for line against a fresh server: what a newcomer types and what the
 * README says Bite answers. The transcripts are the fenced blocks after {@code <!-- tour: ROLE -->} markers:
 * {@code session} blocks alternate a request line and its reply line; then a {@code subscriber} subscribes, a
 * {@code writer} writes (request, reply pairs), and the subscriber gets the {@code pushes}.
 */
class ReadmeTourTest {

    private static final String NUL_AS_SHOWN = "␀";

    @Test
    void theReadmeTourIsExactlyWhatTheServerAnswers() throws Exception {
        Map<String, List<List<String>>> tour = tourBlocks(Files.readString(Path.of("README.md")));
        assertThat(tour.keySet()).containsExactly("session", "subscriber", "writer", "pushes");

        try (TestServer server = TestServer.start(); TestClient session = server.client();
             TestClient subscriber = server.client(); TestClient writer = server.client()) {
            for (List<String> block : tour.get("session")) replay(session, block);
            replay(subscriber, tour.get("subscriber").getFirst());
            replay(writer, tour.get("writer").getFirst());
            List<String> pushes = tour.get("pushes").getFirst();
            assertThat(subscriber.readLines(pushes.size())).as("the subscriber's pushes").isEqualTo(pushes);
        }
    }

    /** Sends each request line of a request/reply block and checks the reply the README shows under it. */
    private static void replay(TestClient client, List<String> block) throws IOException {
        assertThat(block.size() % 2).as("a block of request and reply pairs: %s", block).isZero();
        for (int i = 0; i < block.size(); i += 2) {
            String reply = client.ask(block.get(i)).replace("\0", NUL_AS_SHOWN);
            assertThat(reply).as("reply to '%s'", block.get(i)).isEqualTo(block.get(i + 1));
        }
    }

    private static Map<String, List<List<String>>> tourBlocks(String readme) {
        Map<String, List<List<String>>> blocks = new LinkedHashMap<>();
        String[] lines = readme.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith("<!-- tour: ")) continue;
            String role = lines[i].substring("<!-- tour: ".length(), lines[i].indexOf(" -->"));
            assertThat(lines[i + 1]).as("a fence after the %s marker", role).isEqualTo("```");
            List<String> block = new ArrayList<>();
            int j = i + 2;
            while (!lines[j].equals("```")) block.add(lines[j++]);
            blocks.computeIfAbsent(role, r -> new ArrayList<>()).add(block);
            i = j;
        }
        return blocks;
    }
}
