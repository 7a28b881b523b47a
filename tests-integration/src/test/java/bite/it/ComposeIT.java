package bite.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose example, {@code docker/compose.yaml}, brought up with Debian's {@code docker-compose} as a user would:
 * the image, the password from a secret file, the named volume, the image's health check. Only two things differ
 * from the file as shipped, so that the test cannot collide with anything else on the machine: the image under test
 * ({@code bite.image}) and the published host ports (picked by Docker instead of 1984 and 1985).
 */
class ComposeIT {

    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(120);
    private static final String PASSWORD = "compose secret";

    @Test
    void theComposeExampleComesUpHealthyAndServesWithThePasswordFromItsSecretFile(@TempDir Path dir) throws Exception {
        String shipped = Files.readString(Path.of("..", "docker", "compose.yaml"));
        String compose = shipped.replace("image: bite:local", "image: " + BiteContainer.IMAGE)
                .replace("\"127.0.0.1:1984:1984\"", "\"127.0.0.1::1984\"")
                .replace("\"127.0.0.1:1985:1985\"", "\"127.0.0.1::1985\"");
        assertThat(compose).as("the file still has the lines the test adapts").contains("127.0.0.1::1984")
                .contains("image: " + BiteContainer.IMAGE);
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, compose);
        Path secret = dir.resolve("bite_password.txt");
        Files.writeString(secret, PASSWORD + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--")); // the server's uid reads it
        String project = "bite-compose-it-" + ProcessHandle.current().pid();
        List<String> compose0 = List.of("docker-compose", "-p", project, "-f", file.toString());
        try {
            run(compose0, "up", "-d");
            String container = run(compose0, "ps", "-q", "bite").strip();
            assertThat(container).as("the service's container").isNotEmpty();
            awaitHealthy(container);
            String published = run(compose0, "port", "bite", "1984").strip(); // 127.0.0.1:PORT
            int port = Integer.parseInt(published.substring(published.lastIndexOf(':') + 1));
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("ping\nauth " + PASSWORD + "\nping\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                InputStream in = socket.getInputStream();
                assertThat(readLine(in)).as("before auth").isEqualTo("ERR auth required");
                assertThat(readLine(in)).as("the secret file's password").isEqualTo("OK");
                assertThat(readLine(in)).isEqualTo("PONG");
            }
        } finally {
            run(compose0, "down", "-v", "--timeout", "10");
        }
    }

    private static void awaitHealthy(String container) throws Exception {
        long deadline = System.nanoTime() + HEALTH_TIMEOUT.toNanos();
        String status = "";
        while (System.nanoTime() < deadline) {
            status = run(List.of("docker", "inspect", "-f", "{{.State.Health.Status}}", container)).strip();
            if (status.equals("healthy")) return;
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1)); // Docker runs the check every 15 s: poll its status
        }
        throw new AssertionError("the compose service was not healthy within " + HEALTH_TIMEOUT + ": " + status);
    }

    /** Runs a command to its end; its standard output, or an AssertionError with everything it printed. */
    private static String run(List<String> base, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(base);
        command.addAll(List.of(args));
        Path errors = Files.createTempFile("compose-it", ".err");
        Process p = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        p.getOutputStream().close();
        byte[] out;
        try (InputStream stdout = p.getInputStream()) {
            out = stdout.readAllBytes(); // stderr goes to a file: neither pipe can fill up and stall the command
        }
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not end");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(command + " exited " + p.exitValue() + ":\n" + new String(out, StandardCharsets.UTF_8)
                    + Files.readString(errors));
        }
        Files.deleteIfExists(errors);
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) throw new IOException("end of stream after '" + sb + "'");
            sb.append((char) b);
        }
        return sb.toString();
    }
}
