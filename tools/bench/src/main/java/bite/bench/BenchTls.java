package bite.bench;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

/**
 * The TLS client side of {@code --tls} and {@code --tls-insecure}: the JDK's default (which checks the server's
 * certificate against its trust store), or a context that trusts any certificate, for a test server's self-signed
 * one. Made once on the main thread; the factory is then shared by every client thread.
 */
final class BenchTls {

    private BenchTls() {
    }

    /** The factory for {@code tls}; null when it is off. */
    static SSLSocketFactory socketFactory(BenchOptions.Tls tls) {
        return switch (tls) {
            case OFF -> null;
            case VERIFY -> (SSLSocketFactory) SSLSocketFactory.getDefault();
            case INSECURE -> trustingAnyCertificate();
        };
    }

    private static SSLSocketFactory trustingAnyCertificate() {
        TrustManager any = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                // a client's certificate is never asked for
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // --tls-insecure: any server certificate is taken (a load test against a self-signed one)
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {any}, new SecureRandom());
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is part of every JDK", e);
        }
    }
}
