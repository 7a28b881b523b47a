package bite.cli;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

/**
 * TLS for {@code bite cli}: wraps a connected socket and completes the handshake. By default the JDK's trusted
 * authorities and host-name verification (as HTTPS does); {@code --tls-ca FILE} trusts the PEM certificates of FILE
 * instead; {@code --tls-insecure} verifies nothing. Stateless; used on the main thread.
 */
final class TlsSockets {

    private TlsSockets() {
        throw new AssertionError();
    }

    /** The TLS socket over {@code plain}, its handshake done; throws with the JDK's reason when it fails. */
    static SSLSocket wrap(Socket plain, CliOptions options) throws IOException, GeneralSecurityException {
        SSLContext context = context(options);
        SSLSocket socket = (SSLSocket) context.getSocketFactory()
                .createSocket(plain, options.host(), options.port(), true);
        if (!options.tlsInsecure()) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
            socket.setSSLParameters(parameters);
        }
        socket.startHandshake();
        return socket;
    }

    private static SSLContext context(CliOptions options) throws IOException, GeneralSecurityException {
        if (options.tlsInsecure()) {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustingEverything()}, null);
            return context;
        }
        if (options.tlsCa() == null) return SSLContext.getDefault();
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(options.tlsCa())) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certificates.isEmpty()) throw new GeneralSecurityException("no certificate in " + options.tlsCa());
        int i = 0;
        for (Certificate c : certificates) trusted.setCertificateEntry("ca-" + i++, c);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /** {@code --tls-insecure}: accepts any server certificate (the connection is encrypted, not authenticated). */
    private static final class TrustingEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("a client only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // trusted: that is what --tls-insecure asks for
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
