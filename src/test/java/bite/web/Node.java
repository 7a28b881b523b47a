package bite.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The {@code node} on the PATH, asked for its version. Used by the test threads that call it. */
final class Node {

    private Node() {
    }

    /** {@code 20} for v20.20.2; fails the test when node is missing (the build needs it: .ci/run installs it). */
    static int majorVersion() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
        String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || !version.matches("v\\d+\\..*")) {
            throw new AssertionError("node --version gave: " + version);
        }
        return Integer.parseInt(version.substring(1, version.indexOf('.')));
    }
}
