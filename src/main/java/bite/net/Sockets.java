package bite.net;

import java.io.IOException;
import java.io.InputStream;
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
     * Reads and drops the client's input until its end, for at most {@code millis}: after output was shut
     * down, so that the close does not reset the connection before the client read everything sent.
     */
    static void drainInput(SocketChannel channel, long millis) {
        try {
            channel.socket().setSoTimeout((int) Math.max(1, millis));
            InputStream in = channel.socket().getInputStream();
            byte[] scratch = new byte[8192];
            long deadline = System.nanoTime() + millis * 1_000_000L;
            while (System.nanoTime() < deadline && in.read(scratch) >= 0) {
                // discard: the client may still be sending what it began
            }
        } catch (IOException e) {
            // the peer went away first, or stayed silent: nothing left to protect
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
