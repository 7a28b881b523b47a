package bite.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;

/** For test classes that want a fresh server with the default limits for each test: no state leaks between tests. */
abstract class FreshServerPerTest {

    protected TestServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = TestServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }
}
