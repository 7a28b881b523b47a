package bite.storage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Bite server run as a real child process ({@code bite.Main}), for restart and kill -9 tests. */
final class BiteProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Bite listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern BOUND = Pattern.compile("Bite bound to 127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final CompletableFuture<Integer> bound = new CompletableFuture<>();
    private final Thread drainer;

    private BiteProcess(Process process) {
        this.process = process;
        this.drainer = Thread.ofPlatform().daemon().name("bite-child-stderr").start(this::drain);
    }

    static BiteProcess start(Path dataDir, String... args) throws IOException {
        return start(List.of(), dataDir, args);
    }

    /** With a maximum heap of {@code heap} ({@code -Xmx}; the last one given wins), for the memory cap's tests. */
    static BiteProcess startWithHeap(String heap, Path dataDir, String... args) throws IOException {
        return start(List.of("-Xmx" + heap), dataDir, args);
    }

    /** With {@code jvmArgs} (such as {@code -Dbite.crashAt=NAME}) before the main class. */
    static BiteProcess start(List<String> jvmArgs, Path dataDir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "-Xmx512m"));
        command.addAll(jvmArgs);
        command.addAll(List.of("bite.Main", "--port", "0", "--data", dataDir.toString()));
        command.addAll(List.of(args));
        return new BiteProcess(new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
    }

    private void drain() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                stderr.add(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
                Matcher b = BOUND.matcher(line);
                if (b.find()) {
                    bound.complete(Integer.parseInt(b.group(1)));
                }
            }
        } catch (IOException ignored) {
            // the process is gone
        } finally {
            port.completeExceptionally(new IOException("server exited before listening:\n" + stderr()));
            bound.completeExceptionally(new IOException("server exited before binding:\n" + stderr()));
        }
    }

    /** Waits for "Bite listening on ..." and returns the port. */
    int port() throws IOException, InterruptedException {
        return await(port);
    }

    /** Waits for "Bite bound to ...", logged before the data is loaded, and returns the port. */
    int boundPort() throws IOException, InterruptedException {
        return await(bound);
    }

    private int await(CompletableFuture<Integer> logged) throws IOException, InterruptedException {
        try {
            return logged.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("server did not start within 30 s:\n" + String.join("\n", stderr));
        }
    }

    /** kill -9, and wait until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * SIGTERM; returns the exit code once every line the server wrote is read. Sent through its handle: {@code
     * Process.destroy} would also close the pipes at once and lose the lines of the stop.
     */
    int terminate() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("server did not stop within 30 s after SIGTERM:\n" + String.join("\n", stderr));
        }
        drainer.join(10_000); // every line it wrote, read
        return process.exitValue();
    }

    /** Waits for the process to exit on its own; returns the exit code. */
    int exitCode() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("server still running");
        }
        drainer.join(10_000);
        return process.exitValue();
    }

    String stderr() {
        return String.join("\n", stderr);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
