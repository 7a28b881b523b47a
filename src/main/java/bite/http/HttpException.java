package bite.http;

import java.util.List;

/**
 * A request the server answers with an HTTP error and then closes: the status, a short fixed reason (never the
 * client's bytes, so it is safe to send back) and any header the status calls for ({@code Allow} with 405,
 * {@code Sec-WebSocket-Version} with 426). Thrown and caught on the HTTP connection's own thread.
 */
public final class HttpException extends Exception {

    private final int status;
    private final List<HttpHeader> headers;

    public HttpException(int status, String reason, HttpHeader... headers) {
        super(reason, null, false, false); // a control-flow signal: no stack trace to fill
        if (status < 400 || status > 599) throw new IllegalArgumentException("not an error status: " + status);
        this.status = status;
        this.headers = List.of(headers);
    }

    public int status() {
        return status;
    }

    public List<HttpHeader> headers() {
        return headers;
    }

    /** The response to send: the status, its headers, and the reason as a one-line text body. */
    public HttpResponse response() {
        return HttpResponse.text(status, getMessage() + "\n").withHeaders(headers);
    }
}
