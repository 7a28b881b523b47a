package bite.it;

import com.github.dockerjava.api.DockerClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Data lives in the /data volume: it survives `docker stop` then `docker start` of the same container,
 * and a new container on the same named volume. Each test makes its own volume and removes it.
 */
class PersistenceIT {

    /** docker stop's default grace period: past it docker kills the server and it exits with 137. */
    private static final Duration DOCKER_STOP_GRACE = Duration.ofSeconds(10);

    private final DockerClient docker = DockerClientFactory.instance().client();
    private String volume;

    @BeforeEach
    void createVolume() {
        BiteContainer.requireImage();
        volume = "bite-it-" + UUID.randomUUID();
        docker.createVolumeCmd().withName(volume).exec();
    }

    @AfterEach
    void removeVolume() {
        docker.removeVolumeCmd(volume).exec();
    }

    @Test
    void dataSurvivesDockerStopAndStart() throws Exception {
        try (var bite = new BiteContainer().withDataVolume(volume)) {
            bite.start();
            writeSomeState(bite);

            stopGracefully(bite);
            docker.startContainerCmd(bite.getContainerId()).exec();
            bite.awaitListening(2);

            assertStateIsBack(bite);
        }
    }

    @Test
    void dataSurvivesInANewContainerOnTheSameVolume() throws Exception {
        try (var first = new BiteContainer().withDataVolume(volume)) {
            first.start();
            writeSomeState(first);
            stopGracefully(first);
        }
        try (var second = new BiteContainer().withDataVolume(volume)) {
            second.start();
            assertStateIsBack(second);
        }
    }

    /** Writes, then returns at once: the stop right after must flush these writes, not lose them. */
    private static void writeSomeState(BiteContainer bite) {
        try (var client = bite.connect()) {
            assertThat(client.call("s player.1984.name Andrés")).isEqualTo("OK");
            assertThat(client.call("sl | room.7.p1.x 10| room.7.p1.y 20")).isEqualTo("OK");
            assertThat(client.call("+1 room.7.round")).isEqualTo("1");
            assertThat(client.call("s last.write before stop")).isEqualTo("OK");
        }
    }

    private static void assertStateIsBack(BiteContainer bite) {
        try (var client = bite.connect()) {
            assertThat(client.call("g player.1984.name")).as("g player.1984.name after restart").isEqualTo("Andrés");
            assertThat(client.call("j room.7")).as("j room.7 after restart")
                    .isEqualTo("{\"p1\":{\"x\":\"10\",\"y\":\"20\"},\"round\":\"1\"}");
            assertThat(client.call("g last.write")).as("the write just before the stop").isEqualTo("before stop");
            assertThat(client.call("+1 room.7.round")).as("a counter goes on from its stored value").isEqualTo("2");
        }
    }

    /** `docker stop` (SIGTERM, then SIGKILL after 10 s): the server must exit 0 on its own, before the kill. */
    private void stopGracefully(BiteContainer bite) {
        long started = System.nanoTime();
        docker.stopContainerCmd(bite.getContainerId()).withTimeout((int) DOCKER_STOP_GRACE.toSeconds()).exec();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        var state = bite.state();
        assertThat(state.getRunning()).as("running after docker stop").isFalse();
        assertThat(state.getExitCodeLong()).as("exit code after SIGTERM (137 means docker had to kill it)").isZero();
        assertThat(took).as("time docker stop took").isLessThan(DOCKER_STOP_GRACE);
    }
}
