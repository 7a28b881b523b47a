package bite.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a Python 3 script (standard library only) as an independent implementation to check ours against. */
public final class Python {

    private Python() {
    }

    /** The standard output of {@code python3 -c script args...}, trimmed; fails when it exits non-zero. */
    public static String run(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", "-c", script));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("python3 did not finish");
        }
        if (p.exitValue() != 0) throw new IOException("python3 exited with " + p.exitValue());
        return out.strip();
    }
}
