package bite.it;

import com.github.dockerjava.api.DockerClient;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.output.OutputFrame.OutputType;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The image as a command: arguments after the image name go to the server. */
class CommandLineIT {

    @Test
    void badFlagExitsWithTwoAndSaysWhichFlag() {
        try (var bite = new BiteContainer()
                .withCommand("--bogus")
                .waitingFor(new NothingToWaitFor())
                .withStartupCheckStrategy(new UntilExited().withTimeout(Duration.ofSeconds(60)))) {
            bite.start();

            String stderr = bite.getLogs(OutputType.STDERR);
            assertThat(bite.state().getExitCodeLong()).as("exit code for --bogus; stderr: %s", stderr).isEqualTo(2);
            assertThat(stderr.lines())
                    .as("stderr")
                    .anySatisfy(line -> assertThat(line).startsWith("bite: ").contains("--bogus"));
            assertThat(bite.getLogs()).as("log").doesNotContain(BiteContainer.LISTENING);
        }
    }

    /** The server is not meant to come up: once it has exited there is nothing more to wait for. */
    private static final class NothingToWaitFor extends AbstractWaitStrategy {
        @Override
        protected void waitUntilReady() {
        }
    }

    /** Started means exited, whatever the exit code: the test looks at the code itself. */
    private static final class UntilExited extends StartupCheckStrategy {
        @Override
        public StartupStatus checkStartupState(DockerClient docker, String containerId) {
            return Boolean.TRUE.equals(getCurrentState(docker, containerId).getRunning())
                    ? StartupStatus.NOT_YET_KNOWN
                    : StartupStatus.SUCCESSFUL;
        }
    }
}
