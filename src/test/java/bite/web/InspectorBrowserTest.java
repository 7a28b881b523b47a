package bite.web;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live inspector in a real browser (headless Chromium from Debian's packages, over the DevTools protocol): it
 * logs in with the password, watches a subtree, sees a key written by another client appear and flash, sets a key
 * itself, shows {@code info}; the page is saved to {@code target/inspector.png}. Runs on the JUnit thread.
 */
class InspectorBrowserTest {

    private static final String PASSWORD = "open sesame";
    static final Path SCREENSHOT = Path.of("target/inspector.png");

    @Test
    void logsInWatchesARoomAndSeesAnotherClientsWrite() throws Exception {
        try (ServerChild server = ServerChild.start("--password", PASSWORD);
             Chromium chromium = Chromium.start();
             Socket tcp = new Socket("127.0.0.1", server.tcpPort())) {
            BufferedReader replies = new BufferedReader(
                    new InputStreamReader(tcp.getInputStream(), StandardCharsets.UTF_8));
            OutputStream requests = tcp.getOutputStream();
            assertThat(request(requests, replies, "auth " + PASSWORD)).isEqualTo("OK");
            assertThat(request(requests, replies, "s room.7.name the lobby")).isEqualTo("OK");

            Chromium.Page page = chromium.open("http://127.0.0.1:" + server.httpPort() + "/#room.7");
            page.waitFor("the login form", "document.readyState === 'complete' && !!document.getElementById('login')");
            page.evaluate("(() => { document.getElementById('password').value = 'wrong';"
                    + " document.getElementById('login').requestSubmit(); return 1; })()");
            page.waitFor("a refused password", "document.getElementById('login-error').textContent.includes('ERR')");
            assertThat(page.evaluate("document.getElementById('app').hidden")).isEqualTo("true");

            page.evaluate("(() => { document.getElementById('password').value = " + Chromium.Page.quote(PASSWORD)
                    + "; document.getElementById('login').requestSubmit(); return 1; })()");
            page.waitFor("the watch on room.7",
                    "document.getElementById('watching').textContent.startsWith('watching room.7 live')");
            assertThat(page.evaluate("document.getElementById('status').textContent")).startsWith("connected");
            assertThat(page.evaluate("getComputedStyle(document.getElementById('login')).display")).isEqualTo("none");
            assertThat(page.evaluate(valueOf("room.7.name"))).isEqualTo("the lobby");

            // another client writes: the page's live subscription shows it and flashes the row
            assertThat(request(requests, replies, "s room.7.p1.x 42")).isEqualTo("OK");
            assertThat(request(requests, replies, "s room.7.p1.y 17")).isEqualTo("OK");
            page.waitFor("room.7.p1.x to appear", valueOf("room.7.p1.x") + " === '42'");
            assertThat(page.evaluate("document.querySelector('tr[data-key=\"room.7.p1.x\"]').className"))
                    .as("a changed row flashes").isEqualTo("leaf flash");
            assertThat(page.evaluate("document.querySelector('tr[data-key=\"room.7.p1\"]').className"))
                    .as("a parent without a value of its own").isEqualTo("node");

            // the page writes: the other client reads it
            page.evaluate("(() => { document.getElementById('set-key').value = 'room.7.p2.x';"
                    + " document.getElementById('set-value').value = 'from the page';"
                    + " document.getElementById('set').requestSubmit(); return 1; })()");
            page.waitFor("the page's set to be answered",
                    "document.getElementById('set-result').textContent === 's room.7.p2.x from the page → OK'");
            assertThat(request(requests, replies, "g room.7.p2.x")).isEqualTo("from the page");
            page.waitFor("room.7.p2.x in the table", valueOf("room.7.p2.x") + " === 'from the page'");

            // a delete from the page: the row goes
            page.evaluate("document.querySelector('tr[data-key=\"room.7.p1.y\"] button').click()");
            page.waitFor("room.7.p1.y to go", "!document.querySelector('tr[data-key=\"room.7.p1.y\"]')");
            assertThat(request(requests, replies, "g room.7.p1.y")).isEmpty();

            // the dashboard refreshes itself: it comes to show the three keys and the page's subscription
            page.waitFor("the info dashboard to show 3 keys and 1 subscription",
                    card("keys") + " === '3' && " + card("subscriptions") + " === '1'");
            assertThat(page.evaluate("document.getElementById('info').textContent")).contains("uptime seconds");

            assertThat(request(requests, replies, "s room.7.p1.x 43")).isEqualTo("OK");
            page.waitFor("room.7.p1.x to change", valueOf("room.7.p1.x") + " === '43'");
            page.screenshot(SCREENSHOT);
            assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
        }
    }

    /** The value cell of KEY's row in the page's table, or null when it has no row. */
    private static String valueOf(String key) {
        return "document.querySelector('tr[data-key=\"" + key + "\"] td.value')?.textContent";
    }

    /** The value shown on the dashboard's card named NAME. */
    private static String card(String name) {
        return "[...document.querySelectorAll('#info .card')].find(c => c.querySelector('span').textContent === '"
                + name + "')?.querySelector('b').textContent";
    }

    private static String request(OutputStream out, BufferedReader in, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return in.readLine();
    }
}
