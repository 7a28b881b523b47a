package bite.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The live inspector's static files, read from the jar ({@code inspector/} on the class path) once at start and
 * served at {@code /} (the page), {@code /inspector.js}, {@code /inspector.css} and {@code /bite.js} (the JS client,
 * copied into the jar by the build). A fixed table of paths: nothing else of the class path is reachable. Immutable
 * after construction, so the HTTP connection threads ({@code bite-http-N}) call it at once without locks.
 */
public final class InspectorFiles implements HttpPages {

    private static final String FOLDER = "inspector/";
    private static final List<HttpHeader> HEADERS = List.of(
            new HttpHeader("Cache-Control", "no-cache"),
            new HttpHeader("X-Content-Type-Options", "nosniff"),
            new HttpHeader("Content-Security-Policy",
                    "default-src 'self'; connect-src 'self' ws: wss:; frame-ancestors 'none'"));

    private final Map<String, HttpResponse> files;
    private final HttpPages others;

    private InspectorFiles(Map<String, HttpResponse> files, HttpPages others) {
        this.files = files;
        this.others = others;
    }

    /** {@code others}' pages, and where they have none, the inspector's files. */
    public static InspectorFiles around(HttpPages others) {
        HttpResponse page = file("index.html", "text/html; charset=utf-8");
        return new InspectorFiles(Map.of(
                "/", page,
                "/index.html", page,
                "/inspector.js", file("inspector.js", "text/javascript; charset=utf-8"),
                "/inspector.css", file("inspector.css", "text/css; charset=utf-8"),
                // a game page on another origin may import the client from here (a module import needs CORS)
                "/bite.js", file("bite.js", "text/javascript; charset=utf-8")
                        .withHeader("Access-Control-Allow-Origin", "*")), others);
    }

    private static HttpResponse file(String name, String contentType) {
        try (InputStream in = InspectorFiles.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
            if (in == null) throw new IllegalStateException("missing from the jar: " + FOLDER + name);
            return HttpResponse.of(200, contentType, in.readAllBytes()).withHeaders(HEADERS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public HttpResponse respond(HttpRequestHead head) throws HttpException {
        HttpResponse response = others.respond(head);
        return response != null ? response : files.get(head.path());
    }

    @Override
    public boolean needsPassword(String path) {
        return others.needsPassword(path); // the files hold no data: the page asks for the password itself
    }
}
