package bite.it;

import com.github.dockerjava.api.model.ExposedPort;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** What the image promises its users: a non-root server on 0.0.0.0:1984 keeping its data in the /data volume. */
@Testcontainers
class ImageIT {

    @Container
    static final BiteContainer bite = new BiteContainer();

    @Test
    void imageDeclaresPortVolumeUserAndEnvironment() {
        var config = DockerClientFactory.instance().client().inspectImageCmd(BiteContainer.IMAGE).exec().getConfig();

        assertThat(config.getExposedPorts()).as("exposed ports").contains(ExposedPort.tcp(BiteContainer.PORT),
                ExposedPort.tcp(BiteContainer.HTTP_PORT));
        assertThat(config.getVolumes()).as("volumes").containsKey("/data");
        assertThat(config.getEnv()).as("environment").contains("BITE_HOST=0.0.0.0", "BITE_PORT=1984", "BITE_DATA=/data",
                "BITE_HTTP_PORT=1985");
        assertThat(config.getUser()).as("user").isNotBlank().doesNotStartWith("0").doesNotStartWith("root");
        assertThat(config.getEntrypoint()).as("entrypoint").startsWith("/opt/java/openjdk/bin/java")
                .contains("-XX:AOTCache=/opt/bite/bite.aot");
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
    void servesHealthOnTheHttpPort() throws Exception {
        URI health = URI.create("http://" + bite.getHost() + ":" + bite.getMappedPort(BiteContainer.HTTP_PORT)
                + "/healthz");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<String> response = null;
        while (System.nanoTime() < deadline) { // the HTTP listener starts right after the line the container waits for
            try {
                response = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                break;
            } catch (IOException notYet) {
                LockSupport.parkNanos(100_000_000L); // a poll interval
            }
        }
        assertThat(response).as("an answer from " + health).isNotNull();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok\n");
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
