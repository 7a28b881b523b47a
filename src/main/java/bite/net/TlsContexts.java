package bite.net;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * TLS for the listeners ({@code --tls-cert FILE --tls-key FILE}): an {@link SSLContext} built from PEM files, a
 * certificate chain (the server's certificate first) and an unencrypted PKCS#8 private key ({@code BEGIN PRIVATE
 * KEY}; RSA or EC), plus the server sockets it makes, limited to TLS 1.3 and 1.2. Plain JDK. The context is built
 * on main at start (a bad file stops the server there, with a message naming it) and is then safe on any thread.
 */
public final class TlsContexts {

    /** The protocols offered, newest first. */
    public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final long MAX_PEM_BYTES = 1 << 20;
    private static final char[] NO_PASSWORD = new char[0]; // the key store lives only in memory

    private TlsContexts() {
    }

    /**
     * The server context for {@code certFile} and {@code keyFile}.
     *
     * @throws IOException with a message naming the file when either is missing, unreadable, not the PEM expected,
     *                     or when the key is not the certificate's
     */
    public static SSLContext serverContext(Path certFile, Path keyFile) throws IOException {
        List<Certificate> chain = readChain(certFile);
        PrivateKey key = readKey(keyFile);
        checkPair(chain.getFirst(), key, certFile, keyFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("bite", key, NO_PASSWORD, chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, NO_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use " + certFile + " and " + keyFile + " for TLS: " + e.getMessage(), e);
        }
    }

    /** A server socket of {@code context}, bound to nothing yet, offering only {@link #PROTOCOLS}. */
    public static SSLServerSocket serverSocket(SSLContext context) throws IOException {
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        socket.setEnabledProtocols(PROTOCOLS);
        return socket;
    }

    /**
     * The server side of TLS over an accepted plain socket (such as a blocking {@code SocketChannel}'s
     * {@code socket()}), offering only {@link #PROTOCOLS}; closing it closes {@code accepted}. The handshake runs on
     * the first read or write, on the connection's own thread.
     */
    public static SSLSocket overAccepted(SSLContext context, Socket accepted) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory()
                .createSocket(accepted, null, accepted.getPort(), true);
        socket.setUseClientMode(false);
        socket.setEnabledProtocols(PROTOCOLS);
        return socket;
    }

    static List<Certificate> readChain(Path certFile) throws IOException {
        String pem = readPem(certFile, "certificate");
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IOException(certFile + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
        }
        try {
            List<Certificate> chain = new ArrayList<>(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
            if (chain.isEmpty()) throw new IOException(certFile + ": no certificate in it");
            return chain;
        } catch (CertificateException e) {
            throw new IOException(certFile + ": not a valid PEM certificate: " + e.getMessage(), e);
        }
    }

    static PrivateKey readKey(Path keyFile) throws IOException {
        String pem = readPem(keyFile, "private key");
        if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new IOException(keyFile + ": the key is encrypted; give an unencrypted PKCS#8 key"
                    + " (openssl pkcs8 -topk8 -nocrypt)");
        }
        if (pem.contains("-----BEGIN RSA PRIVATE KEY-----") || pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
            throw new IOException(keyFile + ": the key is not PKCS#8 (BEGIN PRIVATE KEY); convert it with"
                    + " openssl pkcs8 -topk8 -nocrypt -in OLD -out NEW");
        }
        byte[] der = pemBlock(pem, "PRIVATE KEY", keyFile);
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC", "RSASSA-PSS", "Ed25519", "Ed448"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm's key: try the next
            }
        }
        throw new IOException(keyFile + ": not an RSA or EC private key in PKCS#8 form");
    }

    /** Signs with the key and verifies with the certificate, so a key of another certificate is caught at start. */
    private static void checkPair(Certificate cert, PrivateKey key, Path certFile, Path keyFile) throws IOException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // EdDSA keys name their own signature; RSASSA-PSS needs parameters
        };
        try {
            byte[] probe = "bite tls key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) throw new GeneralSecurityException("signature does not verify");
        } catch (GeneralSecurityException e) {
            throw new IOException(keyFile + " is not the private key of the certificate in " + certFile, e);
        }
    }

    private static String readPem(Path file, String what) throws IOException {
        try {
            if (!Files.exists(file)) throw new IOException(file + ": no such file (TLS " + what + ")");
            if (!Files.isRegularFile(file)) throw new IOException(file + ": not a regular file (TLS " + what + ")");
            if (Files.size(file) > MAX_PEM_BYTES) throw new IOException(file + ": too large for a TLS " + what);
            return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file (TLS " + what + ")", e);
        }
    }

    /** The DER bytes of the first {@code -----BEGIN label-----} block of {@code pem}. */
    private static byte[] pemBlock(String pem, String label, Path file) throws IOException {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = from < 0 ? -1 : pem.indexOf(end, from);
        if (from < 0 || to < 0) throw new IOException(file + ": no PEM block " + begin + " ... " + end + " in it");
        try {
            // strict: the MIME decoder would skip any stray character, not only line ends
            return Base64.getDecoder().decode(pem.substring(from + begin.length(), to).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the PEM block is not valid base64", e);
        }
    }
}
