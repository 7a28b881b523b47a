package bite.http;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The inspector's static files as the HTTP pages serve them, called directly on the JUnit thread. */
class InspectorFilesTest {

    private static final InspectorFiles FILES = InspectorFiles.around(head ->
            head.path().equals("/healthz") ? HttpResponse.text(200, "ok\n") : null);

    private static HttpResponse get(String target) throws HttpException {
        return FILES.respond(new HttpRequestHead("GET", target, "HTTP/1.1", List.of(new HttpHeader("Host", "h"))));
    }

    private static String header(HttpResponse response, String name) {
        return response.headers().stream().filter(h -> h.name().equalsIgnoreCase(name)).map(HttpHeader::value)
                .findFirst().orElse(null);
    }

    @Test
    void servesThePageItsFilesAndTheClientAsBuilt() throws Exception {
        HttpResponse page = get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(header(page, "Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(new String(page.body())).contains("<script type=\"module\" src=\"inspector.js\"></script>");
        assertThat(get("/index.html").body()).isEqualTo(page.body());
        assertThat(header(page, "Content-Security-Policy")).startsWith("default-src 'self'");
        assertThat(header(page, "Access-Control-Allow-Origin")).isNull();
        assertThat(header(get("/inspector.js"), "Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(header(get("/inspector.css"), "Content-Type")).isEqualTo("text/css; charset=utf-8");

        HttpResponse client = get("/bite.js?v=1");
        assertThat(client.body()).as("the client, copied unchanged (no filtering)")
                .isEqualTo(Files.readAllBytes(Path.of("clients/js/bite.js")));
        assertThat(header(client, "Access-Control-Allow-Origin")).isEqualTo("*");
    }

    @Test
    void otherPagesComeFirstAndNothingElseOfTheClassPathIsReachable() throws Exception {
        assertThat(new String(get("/healthz").body())).isEqualTo("ok\n");
        for (String path : List.of("/inspector/index.html", "/bite-version.properties", "/../pom.xml", "/bite",
                "/inspector.js/", "//bite.js", "/bite/Main.class")) {
            assertThat(get(path)).as(path).isNull();
        }
        assertThat(FILES.needsPassword("/")).isFalse();
    }
}
