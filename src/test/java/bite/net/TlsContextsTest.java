package bite.net;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TLS from PEM files, with self-signed certificates made by the JDK's keytool for each run. */
class TlsContextsTest {

    @TempDir
    static Path dir;
    static Pem rsa;
    static Pem ec;

    /** A self-signed certificate and its key, as PEM files. */
    record Pem(Path cert, Path key, Certificate certificate) {}

    @BeforeAll
    static void makeCertificates() throws Exception {
        rsa = selfSigned("rsa", "-keyalg", "RSA", "-keysize", "2048");
        ec = selfSigned("ec", "-keyalg", "EC", "-groupname", "secp256r1");
    }

    static Pem selfSigned(String name, String... keyOptions) throws Exception {
        TestCertificates.Pem pem = TestCertificates.selfSigned(dir, name, keyOptions);
        return new Pem(pem.cert(), pem.key(), pem.certificate());
    }

    static String pem(String label, byte[] der) {
        return TestCertificates.pem(label, der);
    }

    static SSLContext clientTrusting(Certificate cert) throws Exception {
        return TestCertificates.clientTrusting(cert);
    }

    /** Reads one line from {@code socket} and answers it upper-cased: a tiny server on its own thread. */
    static CompletableFuture<String> echoUpperCase(Socket socket) {
        CompletableFuture<String> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (socket) {
                String line = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8)).readLine();
                if (line == null) throw new java.io.EOFException("the client closed before its line");
                socket.getOutputStream().write((line.toUpperCase() + "\n").getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                done.complete(((SSLSocket) socket).getSession().getProtocol());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    static String exchange(SSLContext client, int port, String... protocols) throws Exception {
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            if (protocols.length > 0) socket.setEnabledProtocols(protocols);
            OutputStream out = socket.getOutputStream();
            out.write("g room.7\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            return socket.getSession().getProtocol() + " " + reply;
        }
    }

    @Test
    void anRsaCertificateServesTlsThroughTheServerSocket() throws Exception {
        SSLContext server = TlsContexts.serverContext(rsa.cert(), rsa.key());
        try (SSLServerSocket listener = TlsContexts.serverSocket(server)) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            assertThat(listener.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
            for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
                CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> accept(listener));
                CompletableFuture<String> served = new CompletableFuture<>();
                accepted.thenAccept(s -> echoUpperCase(s).whenComplete((p, e) -> {
                    if (e != null) served.completeExceptionally(e); else served.complete(p);
                }));
                assertThat(exchange(clientTrusting(rsa.certificate()), listener.getLocalPort(), protocol))
                        .isEqualTo(protocol + " G ROOM.7");
                assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo(protocol);
            }
        }
    }

    @Test
    void anEcCertificateServesTlsOverAnAcceptedChannelsSocket() throws Exception {
        SSLContext server = TlsContexts.serverContext(ec.cert(), ec.key());
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            CompletableFuture<String> served = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    SocketChannel channel = listener.accept(); // as the Acceptor does
                    SSLSocket tls = TlsContexts.overAccepted(server, channel.socket());
                    assertThat(tls.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
                    echoUpperCase(tls).whenComplete((p, e) -> {
                        if (e != null) served.completeExceptionally(e); else served.complete(p);
                    });
                } catch (Throwable e) {
                    served.completeExceptionally(e);
                }
            });
            assertThat(exchange(clientTrusting(ec.certificate()), port)).isEqualTo("TLSv1.3 G ROOM.7");
            assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused() throws Exception {
        SSLContext server = TlsContexts.serverContext(rsa.cert(), rsa.key());
        try (SSLServerSocket listener = TlsContexts.serverSocket(server)) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> accept(listener))
                    .thenCompose(TlsContextsTest::echoUpperCase);
            assertThatThrownBy(() -> exchange(clientTrusting(ec.certificate()), listener.getLocalPort()))
                    .isInstanceOf(SSLException.class);
            // the server sees the handshake fail, or (TLS 1.3) its reply's write fail as the client hangs up
            assertThatThrownBy(() -> served.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
        }
    }

    @Test
    void plaintextToTheTlsPortFailsCleanly() throws Exception {
        SSLContext server = TlsContexts.serverContext(rsa.cert(), rsa.key());
        try (SSLServerSocket listener = TlsContexts.serverSocket(server)) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> accept(listener))
                    .thenCompose(TlsContextsTest::echoUpperCase);
            try (Socket plain = new Socket("127.0.0.1", listener.getLocalPort())) {
                plain.setSoTimeout(10_000);
                plain.getOutputStream().write("g room.7\nping\n".getBytes(StandardCharsets.US_ASCII));
                byte[] answer = plain.getInputStream().readAllBytes(); // at most a TLS alert, then the close
                assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("G ROOM.7");
            }
            assertThatThrownBy(() -> served.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(SSLException.class);
        }
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> TlsContexts.serverContext(missing, rsa.key()))
                .isInstanceOf(IOException.class).hasMessage(missing + ": no such file (TLS certificate)");
        assertThatThrownBy(() -> TlsContexts.serverContext(rsa.cert(), missing))
                .isInstanceOf(IOException.class).hasMessage(missing + ": no such file (TLS private key)");
        assertThatThrownBy(() -> TlsContexts.serverContext(dir, rsa.key()))
                .hasMessage(dir + ": not a regular file (TLS certificate)");
    }

    @Test
    void aGarbledOrWrongFileIsNamedWithWhatIsWrong() throws Exception {
        Path text = write("text.pem", "hello\n");
        assertThatThrownBy(() -> TlsContexts.serverContext(text, rsa.key()))
                .hasMessage(text + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
        Path badCert = write("bad-cert.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> TlsContexts.serverContext(badCert, rsa.key()))
                .hasMessageStartingWith(badCert + ": not a valid PEM certificate");
        assertThatThrownBy(() -> TlsContexts.serverContext(rsa.cert(), rsa.cert()))
                .hasMessage(rsa.cert() + ": no PEM block -----BEGIN PRIVATE KEY----- ... -----END PRIVATE KEY----- in it");
        Path pkcs1 = write("pkcs1.pem", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> TlsContexts.serverContext(rsa.cert(), pkcs1))
                .hasMessageStartingWith(pkcs1 + ": the key is not PKCS#8 (BEGIN PRIVATE KEY)");
        Path encrypted = write("enc.pem", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        assertThatThrownBy(() -> TlsContexts.serverContext(rsa.cert(), encrypted))
                .hasMessageStartingWith(encrypted + ": the key is encrypted");
        Path garbledKey = write("garbled-key.pem", "-----BEGIN PRIVATE KEY-----\nAA!A\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> TlsContexts.serverContext(rsa.cert(), garbledKey))
                .hasMessage(garbledKey + ": the PEM block is not valid base64");
        Path junkKey = write("junk-key.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> TlsContexts.serverContext(rsa.cert(), junkKey))
                .hasMessage(junkKey + ": not an RSA or EC private key in PKCS#8 form");
        assertThatThrownBy(() -> TlsContexts.serverContext(rsa.cert(), ec.key()))
                .hasMessage(ec.key() + " is not the private key of the certificate in " + rsa.cert());
    }

    @Test
    void aChainFileMayHoldSeveralCertificatesAndCrlfLineEnds() throws Exception {
        Path chain = write("chain.pem", (Files.readString(rsa.cert()) + Files.readString(ec.cert()))
                .replace("\n", "\r\n"));
        assertThat(TlsContexts.readChain(chain)).hasSize(2);
        Path crlfKey = write("crlf-key.pem", Files.readString(rsa.key()).replace("\n", "\r\n"));
        assertThat(TlsContexts.serverContext(chain, crlfKey).getProtocol()).isEqualTo("TLS");
    }

    private static Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static Socket accept(SSLServerSocket listener) {
        try {
            return listener.accept();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
