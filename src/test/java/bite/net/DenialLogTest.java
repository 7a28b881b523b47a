package bite.net;

import bite.command.Command;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** A refused request's log line names the user, the address and what was asked, at most once a second. */
class DenialLogTest {

    private static final long SECOND = 1_000_000_000L;
    private final Logger net = Logger.getLogger("bite.net");
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getMessage().contains("forbidden")) logged.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        net.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        net.removeHandler(capture);
    }

    @Test
    void oneLineASecondPerConnectionWithTheCountOfTheRest() {
        long[] now = {7_000_000 * SECOND}; // a clock of the test's, far from the real one's seconds
        DenialLog log = new DenialLog("conn-9", new InetSocketAddress("127.0.0.1", 4242), () -> now[0]);
        for (int i = 0; i < 1000; i++) log.denied("mallory", new Command.Set("room.1.players.bob.pos", "secret-value"));
        assertThat(logged).hasSize(1);
        assertThat(logged.getFirst()).contains("conn-9", "127.0.0.1:4242", "user mallory",
                "needs w on room.1.players.bob.pos").doesNotContain("secret-value");
        now[0] += SECOND / 2;
        log.denied("mallory", new Command.Info());
        assertThat(logged).as("within the second").hasSize(1);
        now[0] += SECOND;
        log.denied("mallory", new Command.Info());
        assertThat(logged).hasSize(2);
        assertThat(logged.get(1)).contains("needs r on **", "and 1000 more refused since the last line");
    }

    @Test
    void manyConnectionsTogetherLogAtMostTheServersBudgetASecond() {
        long[] now = {8_000_000 * SECOND};
        for (int c = 0; c < 100; c++) {
            new DenialLog("conn-" + c, null, () -> now[0]).denied("u" + c, new Command.Get("k"));
        }
        assertThat(logged).hasSize(DenialLog.SERVER_LINES_PER_SECOND);
    }
}
