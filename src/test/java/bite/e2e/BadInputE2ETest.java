package bite.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** Malformed input over a raw socket: a clear error, nothing applied, and the server stays up. */
class BadInputE2ETest {

    private static final int LINE_LIMIT = 64;

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void invalidUtf8GetsAnErrorAndTheConnectionStaysOpen() throws IOException {
        server = TestServer.start();
        try (TestClient c = server.client()) {
            c.send(bytes("s k \\xff\\xfe\ng k\ns k é\ng k\n\\xc0\\x80\ng \\xed\\xa0\\x80\n\\xf4\\x90\\x80\\x80 k\n"
                    + "s k \\xe2\\x82\r\n"));
            assertThat(c.readLines(8)).containsExactly("ERR invalid utf-8", "", "OK", "é", "ERR invalid utf-8",
                    "ERR invalid utf-8", "ERR invalid utf-8", "ERR invalid utf-8");
            assertThat(c.ask("g k")).isEqualTo("é");
            assertThat(c.ask("s k 😀")).isEqualTo("OK");
            assertThat(c.ask("g k")).isEqualTo("😀");
        }
    }

    @Test
    void unknownCommandsAreNamedWithControlCharactersShownAsQuestionMarks() throws IOException {
        server = TestServer.start();
        try (TestClient c = server.client()) {
            assertThat(c.transcript("bogus x\nb\u0001\u001bgus y\nx\r\r\nSET k v\né k\n\u007f\n"))
                    .isEqualTo("ERR unknown command 'bogus'\nERR unknown command 'b??gus'\n"
                            + "ERR unknown command 'x?'\nERR unknown command 'SET'\nERR unknown command 'é'\n"
                            + "ERR unknown command '?'\n");
        }
    }

    @Test
    void aLineOverTheLimitIsAnsweredAfterEverythingBeforeItThenTheServerCloses() throws Exception {
        server = TestServer.start(b -> b.maxLineBytes(LINE_LIMIT));
        String fits = "s fits " + "y".repeat(LINE_LIMIT - 8) + "\n"; // exactly the limit with its \n
        assertThat(fits).hasSize(LINE_LIMIT);
        String over = "s x " + "y".repeat(LINE_LIMIT - 4); // the limit's worth without a \n
        try (TestClient c = server.client()) {
            c.send("s a 1\n+1 n\ng a\n" + fits + "g fits\n" + over);
            // no \n, no end of stream: the server must answer as soon as it holds the limit's worth
            assertThat(c.readToEnd()).isEqualTo("OK\n1\n1\nOK\n" + "y".repeat(LINE_LIMIT - 8) + "\nERR line too long\n");
        }
        try (TestClient other = server.client()) {
            assertThat(other.ask("g x")).as("nothing of the long line is applied").isEmpty();
            assertThat(other.ask("g a")).isEqualTo("1");
        }
    }

    @Test
    void aCompleteLineOneByteOverTheLimitIsTooLong() throws IOException {
        server = TestServer.start(b -> b.maxLineBytes(LINE_LIMIT));
        try (TestClient c = server.client()) {
            c.send("s a 1\ns x " + "y".repeat(LINE_LIMIT - 4) + "\ng a\n");
            assertThat(c.readToEnd()).isEqualTo("OK\nERR line too long\n");
        }
        try (TestClient other = server.client()) {
            assertThat(other.ask("g x")).isEmpty();
        }
    }

    @Test
    void aClientStillSendingItsLongLineReadsTheErrorAndACleanEndOfStream() throws Exception {
        server = TestServer.start(b -> b.maxLineBytes(LINE_LIMIT));
        try (TestClient c = server.client()) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    c.send("g a\n");
                    byte[] chunk = "z".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < 16; i++) c.send(chunk); // 1 MiB of one endless line
                    c.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // readToEnd throws on a connection reset: the ERR line must not be lost to one
            assertThat(c.readToEnd()).isEqualTo("\nERR line too long\n");
            writer.join();
        }
    }

    @Test
    void theDefaultLimitIsOneMebibyte() throws IOException {
        server = TestServer.start();
        int mib = 1024 * 1024;
        String value = "v".repeat(mib - "s k \n".length());
        try (TestClient c = server.client()) {
            assertThat(c.ask("s k " + value)).isEqualTo("OK");
            assertThat(c.ask("g k")).isEqualTo(value);
            c.send("s k " + value + "w\n");
            assertThat(c.readToEnd()).isEqualTo("ERR line too long\n");
        }
    }

    @Test
    void aBadClientDoesNotDisturbAnother() throws IOException {
        server = TestServer.start(b -> b.maxLineBytes(LINE_LIMIT));
        try (TestClient good = server.client(); TestClient bad = server.client()) {
            assertThat(good.ask("#g a")).isEqualTo("OK");
            bad.send(bytes("\\xff\n"));
            assertThat(bad.readLine()).isEqualTo("ERR invalid utf-8");
            bad.send("s a 1\n" + "x".repeat(LINE_LIMIT));
            assertThat(bad.readToEnd()).isEqualTo("OK\nERR line too long\n");
            assertThat(good.readLine()).isEqualTo("1");
            assertThat(good.ask("s a 2")).isEqualTo("2");
            assertThat(good.readLine()).isEqualTo("OK");
        }
    }

    /** {@code s} in UTF-8, with {@code \xNN} escapes for raw bytes. */
    private static byte[] bytes(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            if (s.startsWith("\\x", i)) {
                out.write(HexFormat.fromHexDigits(s, i + 2, i + 4));
                i += 3;
            } else {
                out.writeBytes(String.valueOf(s.charAt(i)).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }
}
