package bite.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Headless Chromium (Debian's {@code chromium}) driven over the DevTools protocol with the JDK's WebSocket client:
 * open a page, evaluate JavaScript in it, wait for a condition, take a screenshot. The test thread calls it; the
 * HttpClient's threads deliver the protocol's replies into futures.
 */
final class Chromium implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final URI devtools;
    private final HttpClient http = HttpClient.newHttpClient();

    private Chromium(Process process, Path profile, URI devtools) {
        this.process = process;
        this.profile = profile;
        this.devtools = devtools;
    }

    static Chromium start() throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("bite-chromium-");
        Process process = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--window-size=1280,900",
                "--user-data-dir=" + profile, "about:blank").redirectErrorStream(true).start();
        CompletableFuture<URI> endpoint = new CompletableFuture<>();
        StringBuilder log = new StringBuilder();
        Thread.ofPlatform().daemon().name("chromium-log").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (log) {
                        if (log.length() < 20_000) log.append(line).append('\n');
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) endpoint.complete(URI.create(m.group(1)));
                }
            } catch (IOException ignored) {
                // chromium is gone
            }
            synchronized (log) {
                endpoint.completeExceptionally(new IOException("chromium exited:\n" + log));
            }
        });
        try {
            return new Chromium(process, profile, endpoint.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            synchronized (log) {
                throw new IOException("chromium gave no DevTools endpoint:\n" + log, e);
            }
        }
    }

    /** A new tab showing {@code url}. */
    Page open(String url) throws IOException, InterruptedException {
        URI create = URI.create("http://" + devtools.getAuthority() + "/json/new?"
                + URLEncoder.encode(url, StandardCharsets.UTF_8));
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(create)
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"webSocketDebuggerUrl\"\\s*:\\s*\"(ws://[^\"]+)\"").matcher(created.body());
        if (created.statusCode() != 200 || !m.find()) {
            throw new IOException("DevTools /json/new answered " + created.statusCode() + ": " + created.body());
        }
        Page page = new Page();
        page.socket = http.newWebSocketBuilder().buildAsync(URI.create(m.group(1)), page).join();
        return page;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        // /usr/bin/chromium is a shell script: end the browser's own processes too, and wait until they are gone
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(20, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                p.destroyForcibly();
            }
        }
        try (Stream<Path> files = Files.walk(profile)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** One tab: commands go out with an id, the reply with that id completes its future. */
    static final class Page implements WebSocket.Listener {

        private static final Pattern ID = Pattern.compile("^\\{\"id\":(\\d+),");

        private WebSocket socket;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();
        private final StringBuilder message = new StringBuilder(); // parts of one message

        /** Sends a DevTools command ({@code params} a JSON object) and returns its reply message, as JSON text. */
        String call(String method, String params) throws IOException, InterruptedException {
            int id = ids.incrementAndGet();
            CompletableFuture<String> reply = new CompletableFuture<>();
            waiting.put(id, reply);
            socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}", true)
                    .join();
            try {
                String text = reply.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                if (text.contains("\"error\":{")) throw new IOException(method + " failed: " + text);
                return text;
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException(method + " got no reply", e);
            }
        }

        /** The value of {@code expression} (awaited when a promise), as a string; an exception fails. */
        String evaluate(String expression) throws IOException, InterruptedException {
            String reply = call("Runtime.evaluate", "{\"expression\":" + quote("String(" + expression + ")")
                    + ",\"awaitPromise\":true,\"returnByValue\":true}");
            if (reply.contains("\"exceptionDetails\"")) throw new IOException("page threw: " + reply);
            return stringField(reply, "value");
        }

        /** Evaluates {@code condition} until it is true; fails after 30 s naming {@code what}, with the page's text. */
        void waitFor(String what, String condition) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!"true".equals(evaluate(condition))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out waiting for " + what + "; the page shows:\n"
                            + evaluate("document.body.innerText"));
                }
                LockSupport.parkNanos(20_000_000); // a poll interval, not a guess at how long anything takes
            }
        }

        void screenshot(Path file) throws IOException, InterruptedException {
            String reply = call("Page.captureScreenshot", "{\"format\":\"png\"}");
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, Base64.getDecoder().decode(stringField(reply, "data")));
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                String text = message.toString();
                message.setLength(0);
                Matcher m = ID.matcher(text);
                if (m.find()) {
                    CompletableFuture<String> reply = waiting.remove(Integer.parseInt(m.group(1)));
                    if (reply != null) reply.complete(text);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            waiting.values().forEach(f -> f.completeExceptionally(error));
        }

        /** A JSON string literal. */
        static String quote(String s) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    default -> {
                        if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                        else out.append(c);
                    }
                }
            }
            return out.append('"').toString();
        }

        /** The first string field {@code name} of a JSON text, unescaped. */
        static String stringField(String json, String name) throws IOException {
            int at = json.indexOf("\"" + name + "\":\"");
            if (at < 0) throw new IOException("no string " + name + " in " + json);
            StringBuilder out = new StringBuilder();
            for (int i = at + name.length() + 4; i < json.length(); i++) {
                char c = json.charAt(i);
                if (c == '"') return out.toString();
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = json.charAt(++i);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> out.append(e);
                }
            }
            throw new IOException("unterminated string " + name + " in " + json);
        }
    }
}
