package bite.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Reads one HTTP/1.1 request head (request line and header fields) from a stream, strictly and within
 * {@link HttpLimits}. Runs on the HTTP connection's virtual thread; it keeps no state between calls, so one parser
 * may serve every connection.
 *
 * <p>It reads byte by byte and never past the head's empty line, so what follows (WebSocket frames) stays in the
 * stream: give it a buffered stream and keep reading from that same stream. Every refusal is an
 * {@link HttpException} whose status says why:
 * <ul>
 *   <li>{@code 414}: the request line is over its limit; {@code 431}: the headers are over theirs (bytes or count);
 *   <li>{@code 505}: a version other than HTTP/1.0 and HTTP/1.1; {@code 405} (with {@code Allow: GET}): a method
 *       other than GET;
 *   <li>{@code 408}: the head took longer than {@link HttpLimits#headTimeout()};
 *   <li>{@code 400}: anything malformed, and everything a request-smuggling attempt relies on: a line not ended by
 *       CRLF (bare LF or bare CR), a folded header line (obs-fold), whitespace before a header's colon, control
 *       characters, a missing or repeated {@code Host}, {@code Transfer-Encoding}, a {@code Content-Length} other
 *       than a single {@code 0} (GET has no body), a target not in origin form.
 * </ul>
 */
public final class HttpHeadParser {

    private final HttpLimits limits;
    private final LongSupplier nanoClock;

    public HttpHeadParser(HttpLimits limits) {
        this(limits, System::nanoTime);
    }

    /** With a clock of its own (nanoseconds), for tests of the head timeout. */
    HttpHeadParser(HttpLimits limits, LongSupplier nanoClock) {
        this.limits = limits;
        this.nanoClock = nanoClock;
    }

    /**
     * Reads one head. Returns null when the stream ends before its first byte (a client that connected and left);
     * throws {@link EOFException} when it ends in the middle of the head.
     */
    public HttpRequestHead read(InputStream in) throws IOException, HttpException {
        long deadline = nanoClock.getAsLong() + limits.headTimeout().toNanos();
        String requestLine = readLine(in, limits.maxRequestLineBytes(), 414, "request line too long", deadline, true);
        if (requestLine == null) return null;
        int sp1 = requestLine.indexOf(' ');
        int sp2 = requestLine.lastIndexOf(' ');
        if (sp1 <= 0 || sp2 <= sp1 + 1 || sp2 == requestLine.length() - 1) throw bad("malformed request line");
        String method = requestLine.substring(0, sp1);
        String target = requestLine.substring(sp1 + 1, sp2);
        String version = requestLine.substring(sp2 + 1);
        if (!isToken(method)) throw bad("malformed method");
        if (!isOriginForm(target)) throw bad("malformed request target");
        if (!version.matches("HTTP/[0-9]\\.[0-9]")) throw bad("malformed version");
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new HttpException(505, "http version not supported");
        }

        List<HttpHeader> headers = new ArrayList<>();
        int budget = limits.maxHeaderBytes();
        while (true) {
            String line = readLine(in, budget, 431, "request headers too large", deadline, false);
            budget -= line.length() + 2;
            if (budget < 0) throw new HttpException(431, "request headers too large");
            if (line.isEmpty()) break;
            if (headers.size() == limits.maxHeaderCount()) throw new HttpException(431, "too many request headers");
            headers.add(header(line));
        }
        HttpRequestHead head = new HttpRequestHead(method, target, version, headers);
        checkFraming(head);
        if (!method.equals("GET")) throw new HttpException(405, "method not allowed", new HttpHeader("Allow", "GET"));
        return head;
    }

    private static void checkFraming(HttpRequestHead head) throws HttpException {
        List<String> hosts = head.headerValues("Host");
        if (hosts.size() > 1) throw bad("more than one host header");
        if (hosts.isEmpty() && head.version().equals("HTTP/1.1")) throw bad("missing host header");
        if (!hosts.isEmpty() && !isHost(hosts.getFirst())) throw bad("malformed host header");
        if (!head.headerValues("Transfer-Encoding").isEmpty()) throw bad("transfer-encoding not allowed");
        List<String> lengths = head.headerValues("Content-Length");
        if (lengths.size() > 1 || (lengths.size() == 1 && !lengths.getFirst().equals("0"))) {
            throw bad("request body not allowed");
        }
    }

    /**
     * One line without its CRLF, decoded as ISO-8859-1 (bytes above 0x7F kept as they are, checked later), or null
     * when {@code nullAtStart} and the stream ends before the line's first byte. The limit counts the CRLF.
     */
    private String readLine(InputStream in, int limit, int status, String tooLong, long deadline, boolean nullAtStart)
            throws IOException, HttpException {
        byte[] line = new byte[Math.min(limit, 256)];
        int n = 0;
        while (true) {
            int b = in.read();
            if (nanoClock.getAsLong() - deadline > 0) throw new HttpException(408, "request head timeout");
            if (b < 0) {
                if (n == 0 && nullAtStart) return null;
                throw new EOFException("end of stream inside the request head");
            }
            if (b == '\n') throw bad("line not ended by CRLF");
            if (b == '\r') {
                if (in.read() != '\n') throw bad("bare CR");
                return new String(line, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (n + 2 >= limit) throw new HttpException(status, tooLong); // this byte plus CRLF would not fit
            if (n == line.length) line = java.util.Arrays.copyOf(line, Math.min(limit, n * 2));
            line[n++] = (byte) b;
        }
    }

    private static HttpHeader header(String line) throws HttpException {
        char first = line.charAt(0);
        if (first == ' ' || first == '\t') throw bad("folded header line");
        int colon = line.indexOf(':');
        if (colon < 0) throw bad("malformed header line");
        String name = line.substring(0, colon);
        if (!isToken(name)) throw bad("malformed header name");
        String value = line.substring(colon + 1).strip();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) throw bad("control character in a header value");
        }
        return new HttpHeader(name, value);
    }

    /** RFC 9110 token: one or more tchar. */
    static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) return false;
        }
        return true;
    }

    private static boolean isOriginForm(String target) {
        if (!target.startsWith("/")) return false;
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == '#') return false;
        }
        return true;
    }

    /** host[:port]: a name, IPv4 address or bracketed IPv6 address, and an optional decimal port. */
    private static boolean isHost(String host) {
        return host.matches("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._~%!$&'()*+,;=-]+)(:[0-9]{1,5})?");
    }

    private static HttpException bad(String reason) {
        return new HttpException(400, reason);
    }
}
