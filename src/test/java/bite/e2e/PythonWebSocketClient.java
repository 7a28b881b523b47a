package bite.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/python/ws_client.py}, an independent WebSocket client (Python's {@code websockets} package,
 * installed by {@code .ci/run}), as a child process, and hands its output lines to the test. A thread of its own,
 * {@code python-stdout}, reads the child's output into a queue; the test thread takes from it with deadlines.
 */
final class PythonWebSocketClient implements AutoCloseable {

    private static final Path SCRIPT = Path.of("src/test/python/ws_client.py").toAbsolutePath();
    private static final String END = "\u0000end";

    private final Process process;
    private final Path stderr;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private PythonWebSocketClient(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        Thread.ofPlatform().daemon().name("python-stdout").start(this::pump);
    }

    static PythonWebSocketClient start(String mode, int port, Object... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", SCRIPT.toString(), mode, Integer.toString(port)));
        for (Object a : args) command.add(a.toString());
        Path stderr = Files.createTempFile("ws_client", ".err");
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        return new PythonWebSocketClient(p, stderr);
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) lines.add(line);
        } catch (IOException e) {
            // the child is gone
        } finally {
            lines.add(END);
        }
    }

    /** The child's next output line; fails after {@code seconds} or when it ended, with its stderr. */
    String next(int seconds) throws IOException, InterruptedException {
        String line = lines.poll(seconds, TimeUnit.SECONDS);
        if (line == null || line.equals(END)) {
            if (line == END) lines.add(END);
            throw new AssertionError("the python client " + (line == null ? "said nothing for " + seconds + " s"
                    : "ended") + "; its stderr:\n" + Files.readString(stderr));
        }
        return line;
    }

    /** Every output line until the child exits (within {@code seconds}), which must be with status 0. */
    List<String> rest(int seconds) throws IOException, InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("the python client still runs after " + seconds + " s; its stderr:\n"
                    + Files.readString(stderr));
        }
        List<String> out = new ArrayList<>();
        for (String line = lines.poll(seconds, TimeUnit.SECONDS); line != null && !line.equals(END);
             line = lines.poll(seconds, TimeUnit.SECONDS)) {
            out.add(line);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("the python client failed (" + process.exitValue() + "), output " + out
                    + ", stderr:\n" + Files.readString(stderr));
        }
        return out;
    }

    void tell(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(stderr);
    }
}
