package bite.http;

/**
 * One header field of a request or a response. A plain value: no thread owns it. Names keep the case they were
 * sent or given in; {@link HttpRequestHead} compares them case-insensitively.
 */
public record HttpHeader(String name, String value) {}
