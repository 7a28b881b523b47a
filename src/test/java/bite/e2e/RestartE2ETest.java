package bite.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stopping a server closes its connections and frees its port for the next one. */
class RestartE2ETest {

    @Test
    void stopFreesThePort() throws Exception {
        int port;
        TestServer first = TestServer.start();
        try (TestClient c = first.client()) {
            port = first.port();
            assertThat(c.ask("s a 1")).isEqualTo("OK");
            assertThat(c.ask("#g a")).isEqualTo("OK");
            first.close();
            assertThat(c.readToEnd()).as("the connection is closed at stop").isEmpty();
        } finally {
            first.close();
        }
        assertThatThrownBy(() -> TestClient.connect(port)).isInstanceOf(ConnectException.class);

        try (TestServer second = TestServer.start(b -> b.port(port)); TestClient c = second.client()) {
            assertThat(second.port()).isEqualTo(port);
            assertThat(c.ask("g a")).as("in memory only: a new server starts empty").isEmpty();
            assertThat(c.ask("s a 2")).isEqualTo("OK");
            assertThat(c.ask("g a")).isEqualTo("2");
        }
    }

    @Test
    void stopIsIdempotent() throws IOException {
        TestServer server = TestServer.start();
        server.close();
        server.close();
    }
}
