package bite.net;

import bite.protocol.LineFramer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A plain TCP connection's byte stream: request bytes go to the framer as they arrive, output bytes to the socket
 * as they are. Threads as in {@link Transport}.
 */
final class TcpTransport extends Transport {

    private final InputStream in;

    TcpTransport(SocketChannel channel) throws IOException {
        super(channel);
        this.in = channel.socket().getInputStream();
    }

    @Override
    String kind() {
        return "tcp";
    }

    @Override
    int readInto(LineFramer framer) throws IOException {
        return framer.readFrom(in);
    }

    @Override
    void writeLines(ByteBuffer lines, Outbound outbound) throws IOException {
        while (lines.hasRemaining()) outbound.written(channel.write(lines));
    }

    @Override
    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    void closeAfterOutput(boolean polite) {
        close();
    }
}
