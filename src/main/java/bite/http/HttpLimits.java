package bite.http;

import java.time.Duration;

/**
 * The bounds of one request head. A plain value, shared freely.
 *
 * @param maxRequestLineBytes the request line's bytes including its CRLF, at most; more gets {@code 414}
 * @param maxHeaderBytes      all header lines' bytes including their CRLFs and the empty line ending the head, at
 *                            most; more gets {@code 431}
 * @param maxHeaderCount      header lines, at most; more gets {@code 431}
 * @param headTimeout         the whole head must arrive within this long of the parse's start (a slowloris client
 *                            that sends a byte now and then gets {@code 408}); the socket's read timeout bounds each
 *                            single wait
 */
public record HttpLimits(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderCount, Duration headTimeout) {

    public static final HttpLimits DEFAULTS = new HttpLimits(8 * 1024, 16 * 1024, 100, Duration.ofSeconds(10));

    public HttpLimits {
        if (maxRequestLineBytes < 16) throw new IllegalArgumentException("maxRequestLineBytes must be at least 16");
        if (maxHeaderBytes < 2) throw new IllegalArgumentException("maxHeaderBytes must be at least 2");
        if (maxHeaderCount < 1) throw new IllegalArgumentException("maxHeaderCount must be at least 1");
        if (headTimeout.isNegative() || headTimeout.isZero()) {
            throw new IllegalArgumentException("headTimeout must be positive");
        }
    }
}
