package bite.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser pages may open a WebSocket to this server: the defence against cross-site WebSocket hijacking (a
 * page on another site opening a socket with the user's network position). An immutable value.
 *
 * <ul>
 *   <li>No {@code Origin} header: allowed. Browsers always send one, so this is a non-browser client (a game
 *       server, a tool), which could forge any header anyway.
 *   <li>Same host: allowed when the Origin's host and port equal the {@code Host} header's (a {@code Host} without
 *       a port means the default port of the Origin's scheme, so a TLS proxy in front keeps working). This serves
 *       the inspector page the listener itself serves.
 *   <li>Otherwise only the origins listed ({@code --http-origins https://game.example,http://localhost:8080};
 *       compared as scheme://host[:port], case-insensitively, default ports implied). {@code *} allows every
 *       origin. Nothing is listed by default.
 * </ul>
 */
public record OriginPolicy(Set<String> allowed, boolean allowAny) {

    public static final OriginPolicy SAME_HOST_ONLY = new OriginPolicy(Set.of(), false);

    public OriginPolicy {
        allowed = Set.copyOf(allowed);
    }

    /**
     * The policy of a {@code --http-origins} value: comma-separated origins, or {@code *}.
     *
     * @throws IllegalArgumentException naming the first entry that is not a {@code scheme://host[:port]} origin
     */
    public static OriginPolicy parse(String list) {
        if (list.strip().equals("*")) return new OriginPolicy(Set.of(), true);
        Set<String> origins = new java.util.HashSet<>();
        for (String entry : list.split(",")) {
            if (entry.isBlank()) continue;
            String normal = normalize(entry.strip());
            if (normal == null) throw new IllegalArgumentException("not an origin (scheme://host[:port]): " + entry.strip());
            origins.add(normal);
        }
        return new OriginPolicy(origins, false);
    }

    /** True when a handshake with this {@code Origin} (null: none sent) and {@code Host} (null: none) may go on. */
    public boolean allows(String origin, String host) {
        if (origin == null || allowAny) return true;
        String normal = normalize(origin);
        if (normal == null) return false; // "null" (sandboxed pages, file:), or garbage
        if (allowed.contains(normal)) return true;
        return host != null && normal.equals(normalize(normal.substring(0, normal.indexOf("://") + 3) + host));
    }

    /** scheme://host:port in lower case with the port always given, or null when {@code origin} is not one. */
    static String normalize(String origin) {
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme();
            String host = uri.getHost();
            if (scheme == null || host == null || uri.getRawUserInfo() != null) return null;
            String path = uri.getRawPath();
            if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                return null;
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            if (port < 0) {
                port = switch (scheme) {
                    case "http", "ws" -> 80;
                    case "https", "wss" -> 443;
                    default -> -1;
                };
                if (port < 0) return null;
            }
            return scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        if (allowAny) return "any origin";
        return allowed.isEmpty() ? "same host only"
                : "same host and " + allowed.stream().sorted().collect(Collectors.joining(", "));
    }
}
