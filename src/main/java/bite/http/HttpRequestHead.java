package bite.http;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed request head: request line and header fields, checked by {@link HttpHeadParser}. An immutable value.
 *
 * @param method  the method as sent (case-sensitive, as HTTP defines it)
 * @param target  the request target in origin form: starts with {@code /}, visible ASCII only
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param headers the header fields in the order sent, values with surrounding spaces and tabs removed
 */
public record HttpRequestHead(String method, String target, String version, List<HttpHeader> headers) {

    public HttpRequestHead {
        headers = List.copyOf(headers);
    }

    /** The target's path: everything before the first {@code ?}. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** The first value of header {@code name} (case-insensitive), or null when there is none. */
    public String header(String name) {
        for (HttpHeader h : headers) {
            if (h.name().equalsIgnoreCase(name)) return h.value();
        }
        return null;
    }

    /** Every value of header {@code name} (case-insensitive), in the order sent. */
    public List<String> headerValues(String name) {
        List<String> values = new ArrayList<>();
        for (HttpHeader h : headers) {
            if (h.name().equalsIgnoreCase(name)) values.add(h.value());
        }
        return values;
    }

    /**
     * True when some {@code name} header's comma-separated list holds {@code token} (case-insensitive), as in
     * {@code Connection: keep-alive, Upgrade}.
     */
    public boolean hasToken(String name, String token) {
        for (String value : headerValues(name)) {
            for (String item : value.split(",", -1)) {
                if (item.strip().equalsIgnoreCase(token)) return true;
            }
        }
        return false;
    }
}
