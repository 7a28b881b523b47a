package bite.e2e;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's protocol-3 transcript, replayed line for line against a fresh server. The block after
 * {@code <!-- protocol-3 tour -->} mixes what the user types with what the server sends ({@code =} and {@code >}
 * lines); the README's EPOCH and SESSION stand for the ones this server run issues.
 */
class ReadmeProtocol3TourTest {

    private static final Pattern HELLO = Pattern.compile("=OK 3 ([0-9a-f]{16}) ([0-9a-f]{32})");

    @Test
    void theReadmesProtocol3TranscriptIsExactlyWhatTheServerSends() throws Exception {
        List<String> block = block(Files.readString(Path.of("README.md")));
        assertThat(block).isNotEmpty();
        try (TestServer server = TestServer.start(); TestClient c = server.client()) {
            String shownEpoch = null;
            String realEpoch = null;
            for (int i = 0; i < block.size(); ) {
                String request = block.get(i++);
                assertThat(request).as("a request line").doesNotStartWith("=").doesNotStartWith(">");
                if (shownEpoch != null) request = request.replace(shownEpoch, realEpoch);
                c.sendLines(request);
                for (; i < block.size() && (block.get(i).startsWith("=") || block.get(i).startsWith(">")); i++) {
                    String expected = block.get(i);
                    String got = c.readLine();
                    Matcher shown = HELLO.matcher(expected);
                    if (shown.matches()) {
                        Matcher real = HELLO.matcher(got);
                        assertThat(real.matches()).as("hello 3's reply: %s", got).isTrue();
                        shownEpoch = shown.group(1);
                        realEpoch = real.group(1);
                        continue;
                    }
                    if (shownEpoch != null) expected = expected.replace(shownEpoch, realEpoch);
                    assertThat(got).as("after '%s'", request).isEqualTo(expected);
                }
            }
            assertThat(shownEpoch).as("the transcript starts with hello 3").isNotNull();
        }
    }

    private static List<String> block(String readme) {
        String[] lines = readme.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].equals("<!-- protocol-3 tour -->")) continue;
            assertThat(lines[i + 1]).isEqualTo("```");
            List<String> block = new ArrayList<>();
            for (int j = i + 2; !lines[j].equals("```"); j++) block.add(lines[j]);
            return block;
        }
        return List.of();
    }
}
