package bite.http;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

/**
 * A test-only server built from this package's parts, the way the real HTTP listener will use them: {@code /ws}
 * upgrades and echoes every request line of a text message as a line of one text message back; every other path
 * gets 404. The acceptor is a virtual thread {@code ws-echo-acceptor}, each connection a virtual thread of its own.
 */
final class WebSocketEchoServer implements AutoCloseable {

    private final ServerSocket server;
    private final HttpHeadParser parser = new HttpHeadParser(HttpLimits.DEFAULTS);
    private final OriginPolicy origins;
    private final int maxMessageBytes;

    WebSocketEchoServer(OriginPolicy origins, int maxMessageBytes) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.origins = origins;
        this.maxMessageBytes = maxMessageBytes;
        Thread.ofVirtual().name("ws-echo-acceptor").start(this::accept);
    }

    /**
     * Runs the echo server for a manual check with another client (prints the port, stops at end of stdin):
     * {@code java -cp target/classes:target/test-classes bite.http.WebSocketEchoServer}.
     */
    public static void main(String[] args) throws IOException {
        try (WebSocketEchoServer server = new WebSocketEchoServer(OriginPolicy.SAME_HOST_ONLY, 1 << 20)) {
            System.out.println(server.port());
            System.in.transferTo(OutputStream.nullOutputStream());
        }
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        try {
            while (true) {
                Socket socket = server.accept();
                Thread.ofVirtual().name("ws-echo-conn").start(() -> serve(socket));
            }
        } catch (IOException closed) {
            // the server socket closed: stop accepting
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            HttpRequestHead head;
            try {
                head = parser.read(in);
                if (head == null) return;
                if (!head.path().equals("/ws")) throw new HttpException(404, "not found");
                WebSocketHandshake.accept(head, origins).writeTo(out);
            } catch (HttpException e) {
                e.response().writeTo(out);
                closeGracefully(socket, in);
                return;
            }
            echo(new WebSocketFrameReader(in, maxMessageBytes), out);
        } catch (IOException e) {
            // the client went away
        }
    }

    /**
     * Shuts output down, then reads (a bounded amount, for a bounded time) what the client still sends, so that the
     * close is not a reset that could destroy the response before the client reads it.
     */
    private static void closeGracefully(Socket socket, InputStream in) throws IOException {
        socket.shutdownOutput();
        socket.setSoTimeout(2_000);
        byte[] sink = new byte[4096];
        long drained = 0;
        int n;
        while (drained < 1 << 20 && (n = in.read(sink)) > 0) drained += n;
    }

    private static void echo(WebSocketFrameReader reader, OutputStream out) throws IOException {
        while (true) {
            switch (reader.next()) {
                case null -> {
                    return;
                }
                case WebSocketEvent.Text text -> {
                    List<String> lines = text.lines();
                    if (!lines.isEmpty()) out.write(WebSocketFrames.text(lines));
                }
                case WebSocketEvent.Ping ping -> out.write(WebSocketFrames.pong(ping.payload()));
                case WebSocketEvent.Pong ignored -> { }
                case WebSocketEvent.Close close -> {
                    out.write(WebSocketFrames.closeEcho(close));
                    out.flush();
                    return;
                }
                case WebSocketEvent.ProtocolError error -> {
                    out.write(WebSocketFrames.close(error.code(), error.why()));
                    out.flush();
                    return;
                }
            }
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
