package bite.it;

import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.model.HealthCheck;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.Transferable;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image's {@code HEALTHCHECK}: {@code bite cli ping} inside the container. Each container here runs the image's
 * own check command, only more often (every second instead of every 15 s), so a test takes seconds.
 */
class HealthcheckIT {

    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(90);
    private static final long SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MILLI_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void theImageChecksItsHealthWithTheCliEvery15Seconds() {
        HealthCheck check = imageHealthcheck();
        assertThat(check.getTest()).as("the check's command").startsWith("CMD", "/opt/java/openjdk/bin/java")
                .endsWith("-jar", "/opt/bite/bite.jar", "cli", "ping");
        assertThat(check.getInterval()).as("interval").isEqualTo(Duration.ofSeconds(15).toNanos());
        assertThat(check.getStartPeriod()).as("start period").isEqualTo(Duration.ofSeconds(60).toNanos());
    }

    @Test
    void aServerWithItsPasswordInTheEnvironmentIsHealthy() {
        try (var bite = frequentlyChecked(new BiteContainer().withEnv("BITE_PASSWORD", "open sesame"))) {
            bite.start();
            HealthState health = awaitHealth(bite, "healthy");
            assertThat(last(health).getOutput()).as("the check's output").isEqualTo("PONG\n");
        }
    }

    @Test
    void aServerWithItsPasswordInASecretFileIsHealthy() {
        try (var bite = frequentlyChecked(new BiteContainer()
                .withCopyToContainer(Transferable.of("open sesame\n", 0644), "/run/secrets/bite_password")
                .withEnv("BITE_PASSWORD_FILE", "/run/secrets/bite_password"))) {
            bite.start();
            awaitHealth(bite, "healthy");
            try (var client = bite.connect()) {
                assertThat(client.call("ping")).as("without auth").isEqualTo("ERR auth required");
                assertThat(client.call("auth open sesame")).isEqualTo("OK");
            }
        }
    }

    /** The check really asks the server: one whose password the check cannot know is unhealthy, and says why. */
    @Test
    void aServerThatRefusesTheCheckIsUnhealthy() {
        try (var bite = frequentlyChecked(new BiteContainer().withCommand("--password", "known only to the server"))) {
            bite.start();
            HealthState health = awaitHealth(bite, "unhealthy");
            assertThat(last(health).getExitCodeLong()).as("the check's exit code").isEqualTo(1L);
            assertThat(last(health).getOutput()).contains("ERR auth required");
        }
    }

    private static HealthCheck imageHealthcheck() {
        var config = DockerClientFactory.instance().client().inspectImageCmd(BiteContainer.IMAGE).exec().getConfig();
        assertThat(config.getHealthcheck()).as("the image's HEALTHCHECK").isNotNull();
        return config.getHealthcheck();
    }

    /**
     * The image's own check command, run every second, unhealthy after 2 failures, with a start period of 1 ms (0
     * would mean the image's 60 s, during which failures do not count).
     */
    private static BiteContainer frequentlyChecked(BiteContainer container) {
        List<String> test = imageHealthcheck().getTest();
        return container.withCreateContainerCmdModifier(cmd -> cmd.withHealthcheck(new HealthCheck().withTest(test)
                .withInterval(SECOND_NANOS).withTimeout(10 * SECOND_NANOS).withStartPeriod(MILLI_NANOS).withRetries(2)));
    }

    private static HealthState awaitHealth(BiteContainer bite, String status) {
        long deadline = System.nanoTime() + HEALTH_TIMEOUT.toNanos();
        HealthState health = bite.state().getHealth();
        while (health == null || !status.equals(health.getStatus())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + status + " within " + HEALTH_TIMEOUT.toSeconds() + " s: " + health);
            }
            LockSupport.parkNanos(SECOND_NANOS / 4); // a poll interval
            health = bite.state().getHealth();
        }
        return health;
    }

    private static HealthStateLog last(HealthState health) {
        assertThat(health.getLog()).as("the check's log").isNotEmpty();
        return health.getLog().getLast();
    }
}
