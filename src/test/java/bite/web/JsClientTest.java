package bite.web;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the JS client's tests ({@code clients/js/test/*.test.js}, Node's test runner) as a child process, so the
 * build's test run includes them: the fake-transport tests and the ones against real servers, which these tests
 * start with this JVM and the compiled classes ({@code BITE_SERVER_COMMAND}). Fails on any failing JS test; the
 * child's whole output is in the failure message. Runs on the JUnit thread.
 */
class JsClientTest {

    @Test
    void nodeTestRunnerPasses() throws IOException, InterruptedException {
        Path dir = Path.of("clients/js");
        List<String> command = new ArrayList<>(List.of("node"));
        if (Node.majorVersion() < 22) command.add("--experimental-websocket"); // Node 20: WebSocket behind a flag
        command.addAll(List.of("--test", "--test-reporter=tap", "--test-timeout=120000"));
        try (Stream<Path> files = Files.list(dir.resolve("test"))) {
            files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".test.js")).sorted()
                    .map(name -> "test/" + name).forEach(command::add);
        }
        Path log = Path.of("target/js-tests.log").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("BITE_SERVER_COMMAND", ServerChild.commandJson());
        Process node = builder.start();
        boolean exited = node.waitFor(10, TimeUnit.MINUTES); // each JS test has its own deadline, far below this
        if (!exited) {
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly().waitFor();
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(exited).as("node --test ended; its output:\n%s", text).isTrue();
        assertThat(node.exitValue()).as("node --test exit status; its output:\n%s", text).isZero();
        assertThat(text).as("the real-server tests ran").containsPattern("ok \\d+ - a server restart");
    }
}
