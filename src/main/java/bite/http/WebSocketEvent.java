package bite.http;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link WebSocketFrameReader} makes of the client's frames: a complete text message, a control frame, or the
 * reason the connection must close. Immutable values (the payload arrays are never changed after construction), so
 * the reader's thread may hand them to the connection's writer. The connection maps them:
 * <pre>
 *  Text          ─► its lines are requests ({@link Text#lines()})
 *  Ping          ─► send a pong with the same payload
 *  Pong          ─► nothing
 *  Close         ─► send a close with the same code ({@link WebSocketFrames#closeEcho}), then close the socket
 *  ProtocolError ─► send a close with {@code code} and {@code why}, then close the socket
 * </pre>
 * After a {@code Close} or a {@code ProtocolError} the reader gives nothing more.
 */
public sealed interface WebSocketEvent {

    /** A complete text message (all its fragments), valid UTF-8. */
    record Text(String message) implements WebSocketEvent {

        /**
         * The request lines the message holds, framed as on TCP: the message with a {@code \n} added when it does not
         * end in one, cut at each {@code \n}, a single {@code \r} before it dropped. {@code "a\nb"} and
         * {@code "a\nb\n"} both hold {@code a} and {@code b}; the empty message holds none.
         */
        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            int start = 0;
            int n = message.length();
            while (start < n) {
                int nl = message.indexOf('\n', start);
                int end = nl < 0 ? n : nl;
                int to = end > start && message.charAt(end - 1) == '\r' ? end - 1 : end;
                lines.add(message.substring(start, to));
                start = end + 1;
            }
            return lines;
        }
    }

    /** A ping: answer with a pong carrying {@code payload} (at most 125 bytes). */
    record Ping(byte[] payload) implements WebSocketEvent {}

    /** A pong (unsolicited or not); nothing to do. */
    record Pong(byte[] payload) implements WebSocketEvent {}

    /**
     * The client closes: {@code code} is its status ({@code 1005} when it sent none), {@code reason} its text
     * (possibly empty).
     */
    record Close(int code, String reason) implements WebSocketEvent {}

    /**
     * The client broke the protocol or a limit: close with {@code code} ({@code 1002} protocol error, {@code 1003}
     * binary message, {@code 1007} invalid UTF-8, {@code 1009} message too big) and {@code why}, a short fixed text.
     */
    record ProtocolError(int code, String why) implements WebSocketEvent {}
}
