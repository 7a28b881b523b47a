package bite.e2e;

import bite.net.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --tls-cert} / {@code --tls-key} on the TCP port: the JDK's client and {@code openssl s_client} talk to it
 * with a self-signed certificate made for the run; a plaintext client gets nothing but a close.
 */
class TlsE2ETest {

    @TempDir
    static Path dir;
    static TestCertificates.Pem cert;
    private TestServer server;

    @BeforeAll
    static void makeCertificate() throws Exception {
        cert = TestCertificates.selfSigned(dir, "ec", "-keyalg", "EC", "-groupname", "secp256r1");
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private void start() throws IOException {
        server = TestServer.start(b -> b.tlsCert(cert.cert()).tlsKey(cert.key()).password("pw"));
    }

    private TestClient tlsClient(String... protocols) throws Exception {
        SSLContext context = TestCertificates.clientTrusting(cert.certificate());
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.port());
        if (protocols.length > 0) socket.setEnabledProtocols(protocols);
        return TestClient.over(socket);
    }

    @Test
    void theJdksClientSpeaksTheProtocolOverTls12And13() throws Exception {
        start();
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            try (TestClient c = tlsClient(protocol); TestClient subscriber = tlsClient()) {
                c.sendLines("g k", "auth pw", "s k " + protocol);
                assertThat(c.readLines(3)).containsExactly("ERR auth required", "OK", "OK");
                subscriber.send("auth pw\n#g k\n");
                assertThat(subscriber.readLines(2)).containsExactly("OK", "OK");
                assertThat(c.ask("s k pushed")).isEqualTo("OK");
                assertThat(subscriber.readLine()).as("a push over TLS, from the writer").isEqualTo("pushed");
                assertThat(c.transcript("g k\nquit\n")).isEqualTo("pushed\nOK\n");
            }
        }
    }

    @Test
    void requestsSentAsOneTlsRecordEachAreAllAnsweredInOrder() throws Exception {
        start();
        try (TestClient c = tlsClient()) {
            c.send("auth pw\n");
            StringBuilder expected = new StringBuilder("OK\n");
            for (int i = 1; i <= 300; i++) {
                c.send("+1 n\n"); // a write each: a TLS record each, which arrive together
                expected.append(i).append('\n');
            }
            assertThat(c.transcript("quit\n")).isEqualTo(expected + "OK\n");
        }
    }

    @Test
    void bitesOwnCliVerifiesTheCertificateAndTalksToTheTlsPort() throws Exception {
        start();
        CliE2ETest.Result r = CliE2ETest.cli(server.port(), InputStream.nullInputStream(), false, Map.of(),
                "--tls-ca", cert.cert().toString(), "--password", "pw", "ping");
        assertThat(r).isEqualTo(new CliE2ETest.Result(0, "PONG\n", ""));
    }

    @Test
    void opensslSClientSpeaksTheProtocol() throws Exception {
        start();
        Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + server.port(), "-CAfile",
                cert.cert().toString(), "-verify_return_error", "-quiet").redirectErrorStream(false).start();
        p.getOutputStream().write("auth pw\ns k v\ng k\nquit\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.getOutputStream().close();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).isEqualTo("OK\nOK\nv\nOK\n");
    }

    @Test
    void aStopClosesAnIdleTlsConnection() throws Exception {
        start();
        try (TestClient c = tlsClient()) {
            assertThat(c.ask("auth pw")).isEqualTo("OK");
            server.close();
            server = null;
            assertThat(c.readToEnd()).as("the stop closes the idle TLS connection").isEmpty();
        }
    }

    @Test
    void aPlaintextClientOnTheTlsPortIsClosedAndTheServerGoesOn() throws Exception {
        start();
        try (TestClient plain = server.client()) {
            String got = plain.transcript("auth pw\ns k v\n");
            assertThat(got).as("no reply in plaintext: at most a TLS alert before the close")
                    .doesNotContain("OK").doesNotContain("ERR");
        }
        try (TestClient c = tlsClient()) {
            assertThat(c.ask("auth pw")).isEqualTo("OK");
            assertThat(c.ask("g k")).as("the plaintext request changed nothing").isEmpty();
        }
    }
}
