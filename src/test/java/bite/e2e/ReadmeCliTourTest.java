package bite.e2e;

import bite.cli.Cli;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's tour as the cli shows it: the netcat transcripts' request and reply blocks replayed through
 * {@code bite cli} (piped), what the tour says the cli shows for the subscription, and the {@code <!-- cli tour -->}
 * transcript (one-shot, piped and interactive runs) replayed command by command.
 */
class ReadmeCliTourTest {

    private static final String NUL_AS_SHOWN = "␀";
    private static final String CLI = "java -jar target/bite.jar cli";
    private static final String PROMPT = "127.0.0.1:1984> ";
    private static final Pattern PIPED = Pattern.compile("\\$ printf '(.*)' \\| " + Pattern.quote(CLI));

    private final String readme;

    ReadmeCliTourTest() throws Exception {
        readme = Files.readString(Path.of("README.md"));
    }

    @Test
    void theTourShowsWhatTheCliShowsToo() throws Exception {
        List<String> requests = new ArrayList<>();
        StringBuilder replies = new StringBuilder();
        for (List<String> block : blocks("<!-- tour: session -->")) {
            for (int i = 0; i < block.size(); i += 2) {
                requests.add(block.get(i));
                replies.append(block.get(i + 1)).append('\n');
            }
        }
        try (TestServer server = TestServer.start(); TestClient writer = server.client();
             PipedOutputStream typing = new PipedOutputStream()) {
            CliE2ETest.Result session = CliE2ETest.cli(server, String.join("\n", requests) + "\n", false, Map.of());
            assertThat(session.out().replace("\0", NUL_AS_SHOWN)).isEqualTo(replies.toString());
            assertThat(session.exit()).as("the tour's mistakes are ERR replies").isEqualTo(1);

            // the two terminals, with the cli as terminal 1: what the paragraph after the pushes says it shows
            List<String> subscriber = blocks("<!-- tour: subscriber -->").getFirst();
            PipedInputStream stdin = new PipedInputStream(typing);
            CliE2ETest.Captured out = new CliE2ETest.Captured();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Cli.run(
                    List.of("--port", String.valueOf(server.port())), stdin, out.stream, out.stream, Map.of(), false));
            typing.write((subscriber.getFirst() + "\n").getBytes(StandardCharsets.UTF_8));
            typing.flush();
            List<String> shown = cliLinesInProse();
            out.await(shown.getFirst() + "\n");
            List<String> writes = blocks("<!-- tour: writer -->").getFirst();
            for (int i = 0; i < writes.size(); i += 2) assertThat(writer.ask(writes.get(i))).isEqualTo(writes.get(i + 1));
            typing.close();
            assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(out.text()).isEqualTo(String.join("\n", shown) + "\n");
        }
    }

    @Test
    void theCliTranscriptIsExactlyWhatTheCliPrints() throws Exception {
        List<String> block = blocks("<!-- cli tour -->").getFirst();
        try (TestServer server = TestServer.start()) {
            for (int i = 0; i < block.size(); ) {
                String command = block.get(i++);
                assertThat(command).as("a command line").startsWith("$ ");
                List<String> shown = new ArrayList<>();
                while (i < block.size() && !block.get(i).startsWith("$ ")) shown.add(block.get(i++));
                assertThat(run(server, command, shown)).as(command).isEqualTo(expected(command, shown));
            }
        }
    }

    /** What the cli printed for one command of the transcript (stdout, then stderr; a NUL shown as the README does). */
    private static String run(TestServer server, String command, List<String> shown) {
        CliE2ETest.Result r;
        Matcher piped = PIPED.matcher(command);
        if (command.equals("$ " + CLI)) {
            StringBuilder typed = new StringBuilder();
            for (String line : shown) if (line.startsWith(PROMPT)) typed.append(line.substring(PROMPT.length())).append('\n');
            r = CliE2ETest.cli(server, typed.toString(), true, Map.of());
            return r.out().replace("127.0.0.1:" + server.port() + "> ", PROMPT) + r.err();
        } else if (piped.matches()) {
            r = CliE2ETest.cli(server, piped.group(1).replace("\\n", "\n"), false, Map.of());
        } else {
            assertThat(command).startsWith("$ " + CLI + " ");
            String[] words = command.substring(("$ " + CLI + " ").length()).split(" ");
            InputStream none = new ByteArrayInputStream(new byte[0]);
            r = CliE2ETest.cli(server.port(), none, false, Map.of(), words);
        }
        return (r.out() + r.err()).replace("\0", NUL_AS_SHOWN);
    }

    /** The transcript's lines as the program prints them: a prompt line's typed text is the terminal's echo. */
    private static String expected(String command, List<String> shown) {
        StringBuilder sb = new StringBuilder();
        for (String line : shown) {
            if (command.equals("$ " + CLI) && line.startsWith(PROMPT)) sb.append(PROMPT);
            else sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /** The cli's lines the tour names in its paragraph "With the cli instead of netcat": `OK N` and `push ...`. */
    private List<String> cliLinesInProse() {
        int start = readme.indexOf("With the cli instead of netcat");
        assertThat(start).isNotNegative();
        String paragraph = readme.substring(start, readme.indexOf("\n\n", start)).replace('\n', ' ');
        List<String> lines = new ArrayList<>();
        Matcher m = Pattern.compile("`(OK \\d+|push [^`]+)`").matcher(paragraph);
        while (m.find()) lines.add(m.group(1));
        assertThat(lines).hasSizeGreaterThan(1);
        return lines;
    }

    private List<List<String>> blocks(String marker) {
        List<List<String>> blocks = new ArrayList<>();
        String[] lines = readme.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].equals(marker)) continue;
            assertThat(lines[i + 1]).isEqualTo("```");
            List<String> block = new ArrayList<>();
            int j = i + 2;
            while (!lines[j].equals("```")) block.add(lines[j++]);
            blocks.add(block);
            i = j;
        }
        assertThat(blocks).as(marker).isNotEmpty();
        return blocks;
    }
}
