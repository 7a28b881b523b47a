package bite.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A response to write: status, headers and body. An immutable value; {@link #encode} frames it. Every response but
 * {@code 101} gets {@code Content-Length} and {@code Connection: close} (the listener serves one request per
 * connection); a {@code 101} is written with exactly the headers given and no body.
 */
public record HttpResponse(int status, List<HttpHeader> headers, byte[] body) {

    public HttpResponse {
        if (status < 100 || status > 599) throw new IllegalArgumentException("bad status: " + status);
        headers = List.copyOf(headers);
        for (HttpHeader h : headers) {
            checkHeaderText(h.name());
            checkHeaderText(h.value());
        }
        if (status == 101 && body.length > 0) throw new IllegalArgumentException("a 101 has no body");
    }

    /** A response with a UTF-8 text body ({@code text/plain; charset=utf-8}). */
    public static HttpResponse text(int status, String body) {
        return of(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    public static HttpResponse of(int status, String contentType, byte[] body) {
        return new HttpResponse(status, List.of(new HttpHeader("Content-Type", contentType)), body);
    }

    public HttpResponse withHeaders(List<HttpHeader> more) {
        List<HttpHeader> all = new ArrayList<>(headers);
        all.addAll(more);
        return new HttpResponse(status, all, body);
    }

    public HttpResponse withHeader(String name, String value) {
        return withHeaders(List.of(new HttpHeader(name, value)));
    }

    /** The bytes on the wire: status line, headers, the empty line, the body. */
    public byte[] encode() {
        StringBuilder head = new StringBuilder(128);
        head.append("HTTP/1.1 ").append(status).append(' ').append(reasonPhrase(status)).append("\r\n");
        for (HttpHeader h : headers) head.append(h.name()).append(": ").append(h.value()).append("\r\n");
        if (status != 101) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, out, 0, headBytes.length);
        System.arraycopy(body, 0, out, headBytes.length, body.length);
        return out;
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(encode());
        out.flush();
    }

    /** The standard reason phrase of the statuses this server sends. */
    static String reasonPhrase(int status) {
        return switch (status) {
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 414 -> "URI Too Long";
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> status < 300 ? "OK" : status < 500 ? "Client Error" : "Server Error";
        };
    }

    // no CR, LF or other control character may reach the head: that would let a value start a header of its own
    private static void checkHeaderText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
                throw new IllegalArgumentException("header text with a control or non-Latin-1 character");
            }
        }
    }
}
