package bite.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command through a real socket, as sessions: {@code > request} lines are sent, every other line is the exact
 * reply or push expected back ({@code >} alone sends an empty line). Each session runs twice: pipelined in one write,
 * and interactively, one request at a time.
 */
class CommandsE2ETest extends FreshServerPerTest {

    /** PROTOCOL.md "What a netcat session looks like", line for line. */
    static final String NETCAT_SESSION = """
            > s data.name BITE
            OK
            > s data.author.name Andrés
            OK
            > g data.name
            BITE
            > j data
            {"author":{"name":"Andrés"},"name":"BITE"}
            > +1 score
            1
            > #k data
            OK
            > s data.name Bite-J
            name Bite-J
            OK
            > bogus x
            ERR unknown command 'bogus'
            """;

    static final String EVERY_COMMAND = """
            > s a 1
            OK
            > S a 2
            OK
            > g a
            2
            > G missing

            > s? a 3
            NO
            > s? e
            OK
            > g e

            > s? e x
            NO
            > sl | b.c two words |d| a.x 7 |
            OK
            > g b.c
            two words
            > k
            a 2\0a.x 7\0b.c two words\0d \0e\s
            > k a
            x 7
            > k b.c

            > +1 n
            1
            > +1 n
            2
            > s n 007
            OK
            > +1 n
            8
            > s m -0
            OK
            > +1 m
            1
            > +1 d
            ERR value is not an integer
            > s f 1.0
            OK
            > +1 f
            ERR value is not an integer
            > s max 9223372036854775807
            OK
            > +1 max
            ERR increment would overflow
            > g max
            9223372036854775807
            > + t abc
            OK
            > + t  d e
            OK
            > g t
            abcd e
            > + t
            OK
            > g t
            abcd e
            > d t
            OK
            > g t

            > d t
            OK
            > j b
            {"c":"two words"}
            > j b.c
            "two words"
            > js b.c
            {"b":{"c":"two words"}}
            > js nothing
            {}
            > j nothing
            {}
            > j
            {"a":{"x":"7"},"b":{"c":"two words"},"d":"","e":"","f":"1.0","m":"1","max":"9223372036854775807","n":"8"}
            > js
            {"a":{"x":"7"},"b":{"c":"two words"},"d":"","e":"","f":"1.0","m":"1","max":"9223372036854775807","n":"8"}
            > #g b.c
            OK
            > s b.c x
            x
            OK
            > #- b.c
            OK
            > s b.c y
            OK
            > #k b
            OK
            > s b.c z
            c z
            OK
            > d b.c
            c
            OK
            > #- b
            OK
            > #j b
            OK
            > ! b.c hi
            {"c":"hi"}
            OK
            > #- b bye
            {"b":"bye"}
            OK
            > ! b.c nobody
            OK
            > #g z hello
            hello
            OK
            > ! z

            OK
            > #- z
            OK
            > ! z gone
            OK
            > g z

            >
            >\s\s\t
            > bogus
            ERR unknown command 'bogus'
            > g
            ERR missing key
            > g a..b
            ERR invalid key
            > g a b
            ERR too many arguments
            > s a \0
            ERR invalid value
            > sl |a 1|.b 2
            ERR invalid key
            > sl
            ERR missing key
            > sl |
            OK
            > g a
            2
            > j
            {"a":{"x":"7"},"d":"","e":"","f":"1.0","m":"1","max":"9223372036854775807","n":"8"}
            """;


    @ParameterizedTest
    @ValueSource(strings = {"pipelined", "interactive"})
    void netcatSession(String mode) throws IOException {
        run(NETCAT_SESSION, mode);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipelined", "interactive"})
    void everyCommand(String mode) throws IOException {
        run(EVERY_COMMAND, mode);
    }

    @Test
    void tenThousandPipelinedRequestsInOneWriteAreAnsweredInOrder() throws Exception {
        StringBuilder input = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            switch (i % 4) {
                case 0 -> {
                    input.append("s key.").append(i).append(" value ").append(i).append('\n');
                    expected.append("OK\n");
                }
                case 1 -> {
                    input.append("g key.").append(i - 1).append('\n');
                    expected.append("value ").append(i - 1).append('\n');
                }
                case 2 -> {
                    input.append("+1 counter\n");
                    expected.append(i / 4 + 1).append('\n');
                }
                default -> {
                    input.append("k key.").append(i - 3).append('\n');
                    expected.append('\n');
                }
            }
        }
        assertThat(sendAllAndReadToEnd(input.toString())).isEqualTo(expected.toString());
        assertThat(server.stats().commandsProcessed()).isEqualTo(10_000);
    }

    @Test
    void bigAndSmallRepliesAndPushesMixedInOneBatchKeepTheirOrder() throws Exception {
        // values around the sizes where output is gathered in a buffer or written from its own array
        int[] sizes = {1, 100, 511, 512, 513, 4094, 4095, 4096, 5000, 16_383, 16_384, 40_000, 200_000};
        StringBuilder input = new StringBuilder("#g room\n");
        StringBuilder expected = new StringBuilder("OK\n");
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < sizes.length; i++) {
                String value = String.valueOf((char) ('a' + (i + round) % 26)).repeat(sizes[i]);
                input.append("s room.").append(i).append(' ').append(value).append('\n');
                expected.append(value).append("\nOK\n"); // its own push first, then the reply
                input.append("g room.").append(i).append("\nping\n");
                expected.append(value).append("\nPONG\n");
            }
        }
        assertThat(sendAllAndReadToEnd(input.toString())).isEqualTo(expected.toString());
    }

    @Test
    void crlfClientsGetTheSameAnswersAndReplyLinesEndInNewlineOnly() throws IOException {
        try (TestClient c = server.client()) {
            assertThat(c.transcript("s k v\r\ng k\r\nk\r\ns k2 v\r\r\ng k2\r\n\r\nj k\r\n"))
                    .isEqualTo("OK\nv\nk v\nOK\nv\r\n\"v\"\n");
        }
    }

    @Test
    void blankLinesGetNoReplyButAStrayCarriageReturnIsAnUnknownCommand() throws IOException {
        try (TestClient c = server.client()) {
            assertThat(c.transcript("s a x\n\n \n\t\n\r\n \t \r\ng a\n \r \n"))
                    .isEqualTo("OK\nx\nERR unknown command '?'\n");
        }
    }

    @Test
    void bytesAfterTheLastNewlineAreNotARequest() throws IOException {
        try (TestClient c = server.client()) {
            assertThat(c.transcript("s a 1\ns b 2")).isEqualTo("OK\n");
        }
        try (TestClient c = server.client()) {
            assertThat(c.ask("k")).isEqualTo("a 1");
        }
    }

    @Test
    void theKeyLimitIsExactOverTheWire() throws IOException {
        String longest = "é".repeat(511) + "ab";
        try (TestClient c = server.client()) {
            assertThat(c.ask("s " + longest + " v")).isEqualTo("OK");
            assertThat(c.ask("g " + longest)).isEqualTo("v");
            assertThat(c.ask("s " + longest + "c v")).isEqualTo("ERR key too long");
            assertThat(c.ask("s " + longest + ".. v")).isEqualTo("ERR key too long");
            assertThat(c.ask("k")).isEqualTo(longest + " v");
        }
    }

    @Test
    void aRequestersOwnPushesComeBeforeItsReply() throws IOException {
        try (TestClient c = server.client()) {
            assertThat(c.transcript("#g a\ng a\ns a 1\ng a\n#k a\ns a.b 2\n"))
                    .satisfiesAnyOf(
                            t -> assertThat(t).isEqualTo("OK\n\n1\nOK\n1\nOK\n2\nb 2\nOK\n"),
                            t -> assertThat(t).isEqualTo("OK\n\n1\nOK\n1\nOK\nb 2\n2\nOK\n"));
        }
    }

    /** Sends {@code input} from another thread (the server may answer while the rest is on its way), then EOF. */
    private String sendAllAndReadToEnd(String input) throws Exception {
        try (TestClient c = server.client()) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    c.send(input);
                    c.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            String output = c.readToEnd();
            writer.join();
            return output;
        }
    }

    private void run(String session, String mode) throws IOException {
        List<String> requests = new ArrayList<>();
        List<List<String>> answers = new ArrayList<>();
        for (String line : session.lines().toList()) {
            if (line.startsWith(">")) {
                requests.add(line.length() > 1 ? line.substring(2) : "");
                answers.add(new ArrayList<>());
            } else {
                answers.getLast().add(line);
            }
        }
        try (TestClient c = server.client()) {
            if (mode.equals("pipelined")) {
                StringBuilder input = new StringBuilder();
                StringBuilder output = new StringBuilder();
                for (int i = 0; i < requests.size(); i++) {
                    input.append(requests.get(i)).append('\n');
                    for (String answer : answers.get(i)) output.append(answer).append('\n');
                }
                assertThat(c.transcript(input.toString())).isEqualTo(output.toString());
            } else {
                for (int i = 0; i < requests.size(); i++) {
                    c.sendLines(requests.get(i));
                    assertThat(c.readLines(answers.get(i).size())).as(requests.get(i)).isEqualTo(answers.get(i));
                }
                assertThat(c.shutdownOutput().readToEnd()).as("nothing more").isEmpty();
            }
        }
    }
}
