package bite.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --password}: {@code auth} first, every other request refused until then, wrong passwords slowed and capped. */
class AuthE2ETest {

    private static final String PASSWORD = "open sesame"; // a space inside: the password is the rest of the line
    private static final int MAX_FAILURES = 3;

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private void startWithPassword() throws IOException {
        server = TestServer.start(b -> b.password(PASSWORD).maxAuthFailures(MAX_FAILURES));
    }

    @Test
    void everyRequestButAuthAndQuitNeedsAuthFirst() throws IOException {
        startWithPassword();
        try (TestClient c = server.client()) {
            c.sendLines("g k", "s k v", "ping", "info", "bogus x", "#g k", "! k hi", "k", "g a..b");
            assertThat(c.readLines(9)).containsOnly("ERR auth required");
            assertThat(c.ask("auth " + PASSWORD)).isEqualTo("OK");
            assertThat(c.ask("g k")).as("the refused set changed nothing").isEmpty();
            assertThat(c.ask("ping")).isEqualTo("PONG");
            assertThat(c.ask("s k v")).isEqualTo("OK");
            try (TestClient other = server.client()) {
                assertThat(other.ask("g k")).as("each connection authenticates itself").isEqualTo("ERR auth required");
            }
        }
    }

    @Test
    void authAndCommandsPipelinedInOneWrite() throws IOException {
        startWithPassword();
        try (TestClient c = server.client(); TestClient d = server.client()) {
            c.send("auth " + PASSWORD + "\ns k v\ng k\n");
            assertThat(c.readLines(3)).containsExactly("OK", "OK", "v");
            d.send("g k\n\tAUTH  " + PASSWORD + " \t\ng k\n");
            assertThat(d.readLines(3)).containsExactly("ERR auth required", "OK", "v");
        }
    }

    @Test
    void theWholeRestOfTheLineIsThePasswordExactly() throws IOException {
        startWithPassword();
        try (TestClient c = server.client()) {
            // a missing password is no failure; the third wrong one closes the connection
            c.sendLines("auth", "auth \t ", "auth open", "auth OPEN SESAME", "auth open  sesame", "ping");
            assertThat(c.readToEnd()).isEqualTo("ERR missing password\n".repeat(2) + "ERR invalid password\n".repeat(3));
        }
    }

    @Test
    void eachWrongPasswordWaitsLongerAndTheLastOneCloses() throws IOException {
        startWithPassword();
        try (TestClient c = server.client()) {
            for (int failure = 1; failure < MAX_FAILURES; failure++) {
                long start = System.nanoTime();
                assertThat(c.ask("auth wrong")).isEqualTo("ERR invalid password");
                assertThat((System.nanoTime() - start) / 1_000_000).as("failure %d waits 100 ms × %d", failure, failure)
                        .isGreaterThanOrEqualTo(100L * failure);
            }
            c.sendLines("auth still wrong", "g k");
            assertThat(c.readToEnd()).as("the last failure is answered, then the connection closes")
                    .isEqualTo("ERR invalid password\n");
        }
        try (TestClient c = server.client()) {
            c.send("auth a\nauth b\nauth " + PASSWORD + "\nping\n");
            assertThat(c.readLines(4)).as("failures below the limit do not lock a connection out")
                    .containsExactly("ERR invalid password", "ERR invalid password", "OK", "PONG");
        }
    }

    @Test
    void pipelinedWrongPasswordsCloseAtTheLimitAndNothingAfterIsApplied() throws IOException {
        startWithPassword();
        try (TestClient c = server.client()) {
            c.send("auth a\nauth b\nauth c\nauth " + PASSWORD + "\ns k v\n");
            assertThat(c.readToEnd()).isEqualTo("ERR invalid password\n".repeat(MAX_FAILURES));
        }
        try (TestClient c = server.client()) {
            assertThat(c.ask("auth " + PASSWORD)).isEqualTo("OK");
            assertThat(c.ask("g k")).isEmpty();
        }
    }

    @Test
    void quitNeedsNoAuth() throws IOException {
        startWithPassword();
        try (TestClient c = server.client()) {
            c.send("g k\nquit\ns k v\n");
            assertThat(c.readToEnd()).isEqualTo("ERR auth required\nOK\n");
        }
    }

    @Test
    void withoutAPasswordAuthIsRefusedAndNothingNeedsIt() throws IOException {
        server = TestServer.start();
        try (TestClient c = server.client()) {
            c.sendLines("auth x", "auth", "s k v", "g k");
            assertThat(c.readLines(4)).containsExactly("ERR no password is set", "ERR missing password", "OK", "v");
        }
    }
}
