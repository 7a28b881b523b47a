package bite.net;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/** The small socket helpers every thread of {@code bite.net} uses. Stateless; safe on any thread. */
final class Sockets {

    private static final System.Logger LOG = System.getLogger("bite.net");

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

    /**
     * The next connection on {@code server}; null once it is closed (a stop). A failed accept (out of file
     * descriptors, say) is logged and tried again after a pause, so that the open connections go on being served.
     */
    static SocketChannel acceptNext(ServerSocketChannel server, String listener) {
        while (server.isOpen()) {
            try {
                return server.accept();
            } catch (ClosedChannelException e) {
                return null;
            } catch (IOException e) {
                LOG.log(Level.WARNING, listener + " accept failed: " + e.getMessage());
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
        return null;
    }

    static InetSocketAddress localAddress(ServerSocketChannel server) {
        try {
            return (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("listener closed", e);
        }
    }

    /** How many of {@code connections} chose each protocol: {@code [2]}, {@code [3]} (other slots unused). */
    static <T> int[] countByProtocol(Collection<T> connections, ToIntFunction<T> protocol) {
        int[] counts = new int[4];
        for (T c : connections) {
            int p = protocol.applyAsInt(c);
            if (p >= 0 && p < counts.length) counts[p]++;
        }
        return counts;
    }

    /** Waits until {@code open} is empty, at most {@code graceMillis} (a stop letting connections finish). */
    static void awaitEmpty(Collection<?> open, long graceMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
