package bite.net;

import java.io.IOException;
import java.net.SocketAddress;
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

    /**
     * The client's address for logs ({@code /127.0.0.1:51234} once printed); null once the socket is closed. The
     * channel keeps this object anyway, so holding it for later logs costs a connection nothing.
     */
    static SocketAddress peer(SocketChannel channel) {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }
}
