package bite.cli;

import bite.Config;
import bite.Server;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cli stays connected to a server whose {@code --session-timeout} closes silent protocol-3 connections: it pings
 * when it has sent nothing for a while, and the replies to those pings never reach the user.
 */
class ServerLinkKeepAliveTest {

    @Test
    void aQuietLinkPingsPastTheSessionTimeoutAndHidesThePongs() throws Exception {
        Config config = Config.builder().port(0).persist(false).sessionTimeout(Duration.ofMillis(500)).build();
        try (Server server = new Server(config).start()) {
            CliOptions options = CliOptions.parse(List.of("--port", Integer.toString(server.port())), Map.of());
            try (ServerLink link = ServerLink.open(options, 100)) {
                // at least 15 pings: well over a second of the user's silence, past the 500 ms timeout
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (server.stats().commandsProcessed() < 16) {
                    assertThat(System.nanoTime()).as("pings reached the server").isLessThan(deadline);
                    LockSupport.parkNanos(10_000_000); // a poll interval
                }
                link.send("s k v");
                link.send("g k");
                link.flush();
                assertThat(link.readLine()).isEqualTo("=OK");
                assertThat(link.readLine()).isEqualTo("=v");
            }
        }
    }
}
