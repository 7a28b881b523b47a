package bite.web;

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

/**
 * A Bite server run as a child process from this build's classes, with its TCP and HTTP ports picked by the system
 * and read from its log. A platform thread of its own drains the child's log; the test thread calls the rest.
 */
final class ServerChild implements AutoCloseable {

    private static final Pattern TCP = Pattern.compile("Bite listening on \\S+:(\\d+)$");
    private static final Pattern HTTP = Pattern.compile("HTTP listening on \\S+:(\\d+):");

    private final Process process;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> tcpPort = new CompletableFuture<>();
    private final CompletableFuture<Integer> httpPort = new CompletableFuture<>();

    private ServerChild(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("bite-child-log").start(this::drain);
    }

    /** The server's command line without options: this JVM, the compiled classes, {@code bite.Main}. */
    static List<String> command() {
        return List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-cp", Path.of("target/classes").toAbsolutePath().toString(), "bite.Main");
    }

    /** {@link #command} as a JSON array of strings, for the JS tests. */
    static String commandJson() {
        StringBuilder json = new StringBuilder("[");
        for (String word : command()) {
            if (json.length() > 1) json.append(',');
            json.append('"').append(word.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return json.append(']').toString();
    }

    /** Starts {@code --port 0 --http-port 0 --no-persist} plus {@code args}. */
    static ServerChild start(String... args) throws IOException {
        List<String> command = new ArrayList<>(command());
        command.addAll(List.of("--port", "0", "--http-port", "0", "--no-persist"));
        command.addAll(List.of(args));
        return new ServerChild(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private void drain() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                log.add(line);
                Matcher tcp = TCP.matcher(line);
                if (tcp.find()) tcpPort.complete(Integer.parseInt(tcp.group(1)));
                Matcher http = HTTP.matcher(line);
                if (http.find()) httpPort.complete(Integer.parseInt(http.group(1)));
            }
        } catch (IOException ignored) {
            // the process is gone
        } finally {
            IOException exited = new IOException("server exited:\n" + String.join("\n", log));
            tcpPort.completeExceptionally(exited);
            httpPort.completeExceptionally(exited);
        }
    }

    int tcpPort() throws IOException, InterruptedException {
        return await(tcpPort);
    }

    int httpPort() throws IOException, InterruptedException {
        return await(httpPort);
    }

    private int await(CompletableFuture<Integer> port) throws IOException, InterruptedException {
        try {
            return port.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("server did not log its ports in 60 s:\n" + String.join("\n", log), e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
