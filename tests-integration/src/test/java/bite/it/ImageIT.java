package bite.it;

import com.github.dockerjava.api.model.ExposedPort;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the image promises its users: a non-root server on 0.0.0.0:1984 keeping its data in the /data volume. */
@Testcontainers
class ImageIT {

    @Container
    static final BiteContainer bite = new BiteContainer();

    @Test
    void imageDeclaresPortVolumeUserAndEnvironment() {
        var config = DockerClientFactory.instance().client().inspectImageCmd(BiteContainer.IMAGE).exec().getConfig();

        assertThat(config.getExposedPorts()).as("exposed ports").contains(ExposedPort.tcp(BiteContainer.PORT));
        assertThat(config.getVolumes()).as("volumes").containsKey("/data");
        assertThat(config.getEnv()).as("environment").contains("BITE_HOST=0.0.0.0", "BITE_PORT=1984", "BITE_DATA=/data");
        assertThat(config.getUser()).as("user").isNotBlank().doesNotStartWith("0").doesNotStartWith("root");
        assertThat(config.getEntrypoint()).as("entrypoint").startsWith("/opt/java/openjdk/bin/java");
    }

    @Test
    void serverRunsAsNonRootUser() {
        var top = bite.getDockerClient().topContainerCmd(bite.getContainerId()).withPsArgs("-o pid,uid,args").exec();
        List<String> titles = List.of(top.getTitles());
        int uid = titles.indexOf("UID");
        assertThat(uid).as("column UID in %s", titles).isNotNegative();
        assertThat(List.of(top.getProcesses()))
                .as("processes of the container")
                .isNotEmpty()
                .allSatisfy(process -> assertThat(process[uid]).as("uid of %s", String.join(" ", process)).isEqualTo("10001"));
    }

    @Test
    void listensOnAllInterfacesInsideTheContainer() {
        // The published port reaches the container's own address, not its loopback: only a server
        // bound to 0.0.0.0 answers there.
        try (var client = bite.connect()) {
            assertThat(client.call("g nothing.yet")).isEmpty();
        }
        assertThat(bite.getLogs()).contains(BiteContainer.LISTENING + "0.0.0.0:1984");
    }
}
