package bite;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;

/**
 * The listening address: resolving {@code --host}, binding the port before anything is loaded, and writing an
 * address the way people do ({@code 0.0.0.0:1984}, {@code [::1]:1984}). Used on the thread that starts the server.
 *
 * <p>Dual stack: where the machine has IPv6, Java opens IPv6 sockets that take IPv4 too, so {@code 0.0.0.0} (like
 * {@code ::}) accepts connections on every interface over both IPv4 and IPv6; a specific address accepts only its
 * own family. {@code -Djava.net.preferIPv4Stack=true} keeps the JVM to IPv4.
 */
final class Addresses {

    /** Connections the kernel completes and queues while the server is still loading its data. */
    static final int BACKLOG = 1024;

    private Addresses() {
        throw new AssertionError();
    }

    /** Resolves {@code --host} and binds {@code --port}; a failure names the option at fault and why. */
    static ServerSocketChannel bind(String host, int port) throws StartupFailure {
        return bind(host, port, "--port");
    }

    /** The same for another port's option ({@code --http-port}). */
    static ServerSocketChannel bind(String host, int port, String portFlag) throws StartupFailure {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new StartupFailure("--host", host, "unknown host, not an address this machine can resolve", e);
        }
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            channel.bind(new InetSocketAddress(address, port), BACKLOG);
            return channel;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            String why = StartupFailure.describe(e);
            String option = why.contains("in use") || why.contains("ermission") ? portFlag : "--host";
            throw new StartupFailure(option, option.equals(portFlag) ? port : host, "cannot listen on "
                    + format(address, port) + ": " + why, e);
        }
    }

    static void closeQuietly(ServerSocketChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was served on it
        }
    }

    /** {@code 127.0.0.1:1984}, {@code [::1]:1984}, {@code [fe80::1%eth0]:1984}. */
    static String format(InetAddress address, int port) {
        if (!(address instanceof Inet6Address)) return address.getHostAddress() + ":" + port;
        String text = address.getHostAddress();
        int scope = text.indexOf('%');
        String zone = scope < 0 ? "" : text.substring(scope);
        return "[" + compress(scope < 0 ? text : text.substring(0, scope)) + zone + "]:" + port;
    }

    /** {@code 0:0:0:0:0:0:0:1} as {@code ::1}: the longest run of two or more zero groups becomes {@code ::}. */
    static String compress(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; ) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) j++;
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(j, i + 1);
        }
        if (bestStart < 0) return full;
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }

    /**
     * Whether {@code --published} (a docker {@code -p} address: {@code 127.0.0.1:1984}, {@code [::1]:1984},
     * {@code 1984}) reaches this machine's loopback only. No port's host, or a name other than localhost: no.
     */
    static boolean publishedOnLoopback(String published) {
        int colon = published.lastIndexOf(':');
        if (colon <= 0) return false; // "1984": docker publishes on every interface
        String host = published.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (host.equalsIgnoreCase("localhost")) return true;
        try {
            return InetAddress.ofLiteral(host).isLoopbackAddress();
        } catch (IllegalArgumentException e) {
            return false; // a name: we do not look it up for a warning
        }
    }
}
