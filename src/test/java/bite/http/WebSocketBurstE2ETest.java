package bite.http;

import bite.Config;
import bite.Server;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebSocket client that sends many frames in one write, control frames and fragments between them, then a frame
 * that breaks the rules: the server answers every line before it, in order, and then closes with the rule's code.
 * (The server reads messages that are wholly there into one batch: this is where that must not lose or reorder.)
 */
class WebSocketBurstE2ETest {

    /** What the server sent: the lines of its text messages, pongs as {@code PONG-FRAME payload}, the close code. */
    private record Received(List<String> lines, int closeCode) {}

    @Test
    void aBurstOfFramesIsAnsweredInOrderUpToTheBrokenRule() throws Exception {
        int n = 300;
        ClientFrames frames = new ClientFrames();
        for (int i = 0; i < n; i++) frames.text("s b." + i + " " + i);
        frames.text("g b.0\ng b." + (n - 1));
        frames.frame(false, WebSocketFrames.TEXT, "g b.")
                .frame(true, WebSocketFrames.PING, "between")
                .frame(true, WebSocketFrames.CONTINUATION, "7")
                .text("")
                .text("ping\n")
                .frame(true, WebSocketFrames.BINARY, "no");
        Config config = Config.builder().port(0).httpPort(0).persist(false).build();
        try (Server server = new Server(config).start(); Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.httpAddress().getPort()), 5_000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(frames.toBytes()); // every frame at once
            DataInputStream in = new DataInputStream(s.getInputStream());
            skipHead(in);
            Received got = readUntilClose(in);

            List<String> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) expected.add("OK");
            expected.addAll(List.of("0", String.valueOf(n - 1), "PONG-FRAME between", "7", "PONG"));
            assertThat(got.lines()).containsExactlyElementsOf(expected);
            assertThat(got.closeCode()).isEqualTo(WebSocketFrames.UNSUPPORTED_DATA);
        }
    }

    private static void skipHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new EOFException("no handshake answer: " + head);
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101 ");
    }

    private static Received readUntilClose(DataInputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            assertThat(b0 & 0x80).as("final").isNotZero();
            assertThat(b1 & 0x80).as("a server frame is not masked").isZero();
            long length = b1 & 0x7F;
            if (length == 126) length = in.readUnsignedShort();
            else if (length == 127) length = in.readLong();
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            switch (b0 & 0x0F) {
                case WebSocketFrames.TEXT -> {
                    String text = new String(payload, StandardCharsets.UTF_8);
                    assertThat(text).as("a message holds whole lines").endsWith("\n");
                    lines.addAll(List.of(text.substring(0, text.length() - 1).split("\n", -1)));
                }
                case WebSocketFrames.PONG -> lines.add("PONG-FRAME " + new String(payload, StandardCharsets.UTF_8));
                case WebSocketFrames.CLOSE -> {
                    return new Received(lines, ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF));
                }
                default -> throw new AssertionError("unexpected opcode " + (b0 & 0x0F));
            }
        }
    }
}
