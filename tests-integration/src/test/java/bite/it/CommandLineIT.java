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
        assertExits(new BiteContainer().withCommand("--bogus"), 2, "bite: unknown option: --bogus");
    }

    /** Issue 14, items 1, 10 and 3: what a new user mistyped gets one line naming the option, and no server. */
    @Test
    void aDurationWithoutAUnitExitsWithTwo() {
        assertExits(new BiteContainer().withCommand("--idle-timeout", "300"), 2,
                "bite: invalid value for --idle-timeout: 300 (a unit is required");
    }

    @Test
    void aSwitchVariableWithAnUndocumentedValueExitsWithTwo() {
        assertExits(new BiteContainer().withEnv("BITE_NO_PERSIST", "maybe"), 2,
                "bite: invalid value for BITE_NO_PERSIST: maybe");
    }

    @Test
    void aMissingImportFileExitsWithOneAndNamesIt() {
        assertExits(new BiteContainer().withEnv("BITE_IMPORT", "/nonexistent.json"), 1,
                "bite: --import /nonexistent.json: no such file");
    }

    /**
     * Issue 17: the image starts the server from the AOT cache its build recorded. {@code -XX:AOTMode=on} makes a
     * missing or unusable cache an error (the image before the cache existed exits with 1 here, "Unable to use AOT
     * cache"), so a clean exit proves the ENTRYPOINT's {@code -XX:AOTCache} loads.
     */
    @Test
    void theServerStartsFromTheAotCacheRecordedAtBuildTime() {
        try (var bite = new BiteContainer().withEnv("JDK_JAVA_OPTIONS", "-XX:AOTMode=on").withCommand("--version")
                .waitingFor(new NothingToWaitFor())
                .withStartupCheckStrategy(new UntilExited().withTimeout(Duration.ofSeconds(60)))) {
            bite.start();

            String stderr = bite.getLogs(OutputType.STDERR);
            assertThat(bite.state().getExitCodeLong()).as("exit code; stderr: %s", stderr).isZero();
            assertThat(bite.getLogs(OutputType.STDOUT)).startsWith("bite ");
        }
    }

    private static void assertExits(BiteContainer container, long code, String lineStart) {
        try (var bite = container
                .waitingFor(new NothingToWaitFor())
                .withStartupCheckStrategy(new UntilExited().withTimeout(Duration.ofSeconds(60)))) {
            bite.start();

            String stderr = bite.getLogs(OutputType.STDERR);
            assertThat(bite.state().getExitCodeLong()).as("exit code; stderr: %s", stderr).isEqualTo(code);
            assertThat(stderr.lines()).as("stderr").anySatisfy(line -> assertThat(line).startsWith(lineStart));
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
