package bite.e2e;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's presence recipe, replayed against a fresh server: {@code NAME> LINE} is what connection NAME sends,
 * {@code NAME< LINE} what it must be sent next, and {@code -- NAME's connection drops} closes NAME's connection (its
 * next line opens a new one). The EPOCH and tokens shown stand for the ones this server run issues. The grace is
 * shortened so that its end comes soon.
 */
class ReadmePresenceRecipeTest {

    private static final Pattern HELLO = Pattern.compile("=OK 3 ([0-9a-f]{16}) ([0-9a-f]{32})");
    private static final Pattern STEP = Pattern.compile("(\\w+)([<>]) (.*)");
    private static final Pattern DROP = Pattern.compile("-- (\\w+)'s connection drops.*");

    @Test
    void theReadmesPresenceRecipeIsExactlyWhatTheServerSends() throws Exception {
        List<String> block = block(Files.readString(Path.of("README.md")));
        assertThat(block).isNotEmpty();
        Map<String, TestClient> clients = new HashMap<>();
        Map<String, String> real = new HashMap<>(); // shown EPOCH or token -> this run's
        int drops = 0;
        try (TestServer server = TestServer.start(b -> b.sessionGrace(Duration.ofSeconds(2)))) {
            for (String line : block) {
                Matcher drop = DROP.matcher(line);
                if (drop.matches()) {
                    clients.remove(drop.group(1)).close();
                    drops++;
                    continue;
                }
                Matcher step = STEP.matcher(line);
                assertThat(step.matches()).as("a step: %s", line).isTrue();
                TestClient c = clients.get(step.group(1));
                if (c == null) clients.put(step.group(1), c = server.client());
                String text = step.group(3);
                for (Map.Entry<String, String> e : real.entrySet()) text = text.replace(e.getKey(), e.getValue());
                if (step.group(2).equals(">")) {
                    c.sendLines(text);
                    continue;
                }
                String got = c.readLine();
                Matcher shown = HELLO.matcher(step.group(3));
                if (shown.matches()) {
                    Matcher m = HELLO.matcher(got);
                    assertThat(m.matches()).as("hello 3's reply: %s", got).isTrue();
                    for (int g = 1; g <= 2; g++) {
                        String before = real.putIfAbsent(shown.group(g), m.group(g));
                        assertThat(before == null ? m.group(g) : before).as("the same %s as before in %s",
                                g == 1 ? "epoch" : "session", line).isEqualTo(m.group(g));
                    }
                    continue;
                }
                assertThat(got).as(line).isEqualTo(text);
            }
            assertThat(drops).isEqualTo(2);
        } finally {
            for (TestClient c : clients.values()) c.close();
        }
    }

    private static List<String> block(String readme) {
        String[] lines = readme.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].equals("<!-- presence recipe -->")) continue;
            assertThat(lines[i + 1]).isEqualTo("```");
            List<String> block = new ArrayList<>();
            for (int j = i + 2; !lines[j].equals("```"); j++) block.add(lines[j]);
            return block;
        }
        return List.of();
    }
}
