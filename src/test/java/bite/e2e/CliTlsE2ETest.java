package bite.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bite cli --tls}: a test-only TLS terminator (a self-signed certificate for 127.0.0.1, made by the JDK's
 * keytool) in front of a real server. The terminator's acceptor is one platform thread; each connection is pumped
 * both ways by two virtual threads.
 */
class CliTlsE2ETest {

    private static final char[] STORE_PASSWORD = "test-only".toCharArray();

    @TempDir
    static Path dir;
    static TestServer server;
    static ServerSocket terminator;
    static Path certificate;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(b -> b.password("open sesame"));
        Path store = dir.resolve("server.p12");
        keytool("-genkeypair", "-alias", "bite", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(STORE_PASSWORD));
        certificate = dir.resolve("ca.pem");
        keytool("-exportcert", "-rfc", "-alias", "bite", "-keystore", store.toString(), "-storepass",
                new String(STORE_PASSWORD), "-file", certificate.toString());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, STORE_PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, STORE_PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        terminator = (SSLServerSocket) tls.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().name("test-tls-acceptor").daemon().start(CliTlsE2ETest::accept);
    }

    @AfterAll
    static void stop() throws IOException {
        terminator.close();
        server.close();
    }

    @Test
    void aCertificateTrustedThroughTlsCaIsVerified() {
        CliE2ETest.Result r = CliE2ETest.cli(terminator.getLocalPort(), InputStream.nullInputStream(), false, Map.of(),
                "--tls-ca", certificate.toString(), "--password", "open sesame", "ping");
        assertThat(r).isEqualTo(new CliE2ETest.Result(0, "PONG\n", ""));
    }

    @Test
    void tlsInsecureAcceptsTheSelfSignedCertificate() {
        CliE2ETest.Result r = CliE2ETest.cli(terminator.getLocalPort(), InputStream.nullInputStream(), false,
                Map.of("BITE_PASSWORD", "open sesame"), "--tls-insecure", "--raw", "ping");
        assertThat(r).isEqualTo(new CliE2ETest.Result(0, "=PONG\n", ""));
    }

    @Test
    void anUntrustedCertificateIsAConnectionFailure() {
        CliE2ETest.Result r = CliE2ETest.cli(terminator.getLocalPort(), InputStream.nullInputStream(), false, Map.of(),
                "--tls", "ping");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("bite cli: TLS with 127.0.0.1:" + terminator.getLocalPort() + " failed: ")
                .contains("certification path").endsWith("\n").hasLineCount(1);
    }

    @Test
    void plainTextToATlsPortIsAConnectionFailureNotAHang() {
        CliE2ETest.Result r = CliE2ETest.cli(terminator.getLocalPort(), InputStream.nullInputStream(), false, Map.of(),
                "ping");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).startsWith("bite cli: ").hasLineCount(1);
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool: %s", output).isZero();
    }

    private static void accept() {
        while (!terminator.isClosed()) {
            try {
                Socket client = terminator.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), server.port());
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            } catch (IOException e) {
                return; // closed by stop()
            }
        }
    }

    /** Copies until either side ends, then closes both. */
    private static void pump(Socket from, Socket to) {
        try (from; to; InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // one side closed: the try closes both
        }
    }
}
