package bite.it;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.output.WaitingConsumer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.LogUtils;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Bite image under test (system property {@code bite.image}, set by the pom; built beforehand by
 * {@code make image}), started with port 1984 published and ready once the server logs that it listens.
 * Never pulls: a missing image fails with a message saying how to build it.
 */
final class BiteContainer extends GenericContainer<BiteContainer> {

    static final String IMAGE = System.getProperty("bite.image", "bite:local");
    static final int PORT = 1984;
    static final int HTTP_PORT = 1985;
    static final String LISTENING = "Bite listening on ";
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    BiteContainer() {
        super(DockerImageName.parse(IMAGE));
        withExposedPorts(PORT, HTTP_PORT);
        withImagePullPolicy(name -> false);
        waitingFor(Wait.forLogMessage("(?s).*" + LISTENING + ".*", 1).withStartupTimeout(STARTUP_TIMEOUT));
        // The server's own log, for the test report when something fails.
        withLogConsumer(frame -> {
            if (frame.getType() != OutputFrame.OutputType.END) {
                System.err.print("[bite] " + frame.getUtf8String());
            }
        });
    }

    /** Keeps /data in the named volume {@code name} instead of an anonymous one. */
    BiteContainer withDataVolume(String name) {
        return withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withBinds(new Bind(name, new Volume("/data"))));
    }

    @Override
    protected void configure() {
        requireImage();
        super.configure();
    }

    static void requireImage() {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(IMAGE).exec();
        } catch (NotFoundException e) {
            throw new IllegalStateException("image " + IMAGE + " not found: build it first with `make image` "
                    + "(`make test-integration` does), or pass -Dbite.image=<an image built from the Dockerfile>", e);
        }
    }

    /** A new connection to the server; the caller closes it. */
    BiteClient connect() {
        return new BiteClient(getHost(), hostPort());
    }

    /** The host port now published for 1984: docker picks a new one when a stopped container is started again. */
    int hostPort() {
        InspectContainerResponse info = getDockerClient().inspectContainerCmd(getContainerId()).exec();
        Ports.Binding[] bindings = info.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(PORT));
        if (bindings == null || bindings.length == 0) {
            throw new IllegalStateException("port " + PORT + " is not published (is the container running?)");
        }
        return Integer.parseInt(bindings[0].getHostPortSpec());
    }

    /** Waits until the server's log holds {@code times} "listening" lines in all (one per start of this container). */
    void awaitListening(int times) throws TimeoutException {
        var consumer = new WaitingConsumer();
        LogUtils.followOutput(getDockerClient(), getContainerId(), consumer,
                OutputFrame.OutputType.STDOUT, OutputFrame.OutputType.STDERR);
        consumer.waitUntil(frame -> frame.getUtf8String().contains(LISTENING),
                STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS, times);
    }

    InspectContainerResponse.ContainerState state() {
        return getDockerClient().inspectContainerCmd(getContainerId()).exec().getState();
    }
}
