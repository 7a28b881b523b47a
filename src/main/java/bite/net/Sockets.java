package bite.net;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;

/** The small socket helpers every thread of {@code bite.net} uses. Stateless; safe on any thread. */
final class Sockets {

    private Sockets() {
    }

    static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** The client's address for logs, such as {@code /127.0.0.1:51234}; {@code ?} once the socket is closed. */
    static String peer(SocketChannel channel) {
        try {
            return String.valueOf(channel.getRemoteAddress());
        } catch (IOException e) {
            return "?";
        }
    }
}
