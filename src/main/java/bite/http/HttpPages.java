package bite.http;

/**
 * The pages the HTTP listener serves besides {@code /ws}: {@code /metrics} and {@code /healthz} today. Called on the
 * HTTP connection's own virtual thread, by many connections at once, so implementations are thread-safe.
 */
public interface HttpPages {

    /** The response to {@code GET head.path()}, or null when there is no such page (the listener answers 404). */
    HttpResponse respond(HttpRequestHead head) throws HttpException;

    /**
     * Whether the page at {@code path} is only for those who know the server's password, when one is set: the
     * listener then wants {@code Authorization: Bearer PASSWORD} (what {@code auth} takes) and answers 401 without it.
     */
    default boolean needsPassword(String path) {
        return false;
    }

    /** No pages: every path but {@code /ws} gets 404. */
    HttpPages NONE = head -> null;
}
