package bite.net;

import bite.Config;
import bite.db.DatabaseThread;
import bite.storage.ChangeSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guesses sent in one write are slowed one by one: the reader waits each failed attempt's own delay before that
 * attempt's reply goes out and before it looks at the next line. The delays go through an injected sleeper that
 * holds the reader until the test lets it go, so the test sees, at each wait, which replies have already arrived.
 */
class PipelinedAuthFailuresTest {

    private final BlockingQueue<Long> sleeps = new LinkedBlockingQueue<>();
    private final Semaphore wake = new Semaphore(0);
    private DatabaseThread database;
    private Acceptor acceptor;

    @AfterEach
    void stop() throws InterruptedException {
        wake.release(100);
        if (acceptor != null) acceptor.stop(1_000);
        if (database != null) database.stop();
    }

    @Test
    void eachPipelinedWrongPasswordWaitsItsOwnGrowingDelayBeforeItsReply() throws Exception {
        Config config = Config.builder().port(0).persist(false).maxAuthFailures(5).build();
        database = new DatabaseThread(Map.of(), 1024, ChangeSink.NONE);
        database.start();
        ServerSocketChannel bound = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        Access.Sleeper sleeper = millis -> {
            sleeps.add(millis);
            wake.acquire(); // the reader waits here until the test lets it go
        };
        acceptor = new Acceptor(bound, config, database,
                new Access(Authenticator.forPassword("secret"), null, null, sleeper));
        acceptor.start();
        try (Socket socket = new Socket("127.0.0.1", acceptor.address().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("auth a\nauth b\nauth c\nauth d\nauth e\nauth secret\nping\n"
                    .getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            for (int failure = 1; failure <= 5; failure++) {
                Long delay = sleeps.poll(10, TimeUnit.SECONDS);
                assertThat(delay).as("failure %d waits its own delay", failure).isEqualTo(100L * failure);
                assertThat(sleeps).as("one wait at a time").isEmpty();
                if (failure > 1) {
                    assertThat(in.readLine()).as("failure %d's reply came before failure %d's wait", failure - 1,
                            failure).isEqualTo("ERR invalid password");
                }
                wake.release();
            }
            assertThat(in.readLine()).isEqualTo("ERR invalid password");
            assertThat(in.readLine()).as("the fifth failure closed the connection: the right password is not read")
                    .isNull();
            assertThat(sleeps).isEmpty();
        }
    }
}
