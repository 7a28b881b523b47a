package bite.http;

import bite.http.WebSocketEvent.Close;
import bite.http.WebSocketEvent.Ping;
import bite.http.WebSocketEvent.Pong;
import bite.http.WebSocketEvent.ProtocolError;
import bite.http.WebSocketEvent.Text;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static bite.http.WebSocketFrames.BINARY;
import static bite.http.WebSocketFrames.CLOSE;
import static bite.http.WebSocketFrames.CONTINUATION;
import static bite.http.WebSocketFrames.PING;
import static bite.http.WebSocketFrames.PONG;
import static bite.http.WebSocketFrames.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * RFC 6455 section 5 as {@link WebSocketFrameReader} applies it to client frames. Every input is read twice: whole,
 * and one byte per {@code read} call (frames split anywhere).
 */
class WebSocketFrameReaderTest {

    private static final int MAX = 64;

    @Test
    void maskedTextMessages() throws Exception {
        assertThat(events(new ClientFrames().text("s k v").text("").text("héllo ☃ \uD83C\uDFAE")))
                .containsExactly("Text[s k v]", "Text[]", "Text[héllo ☃ \uD83C\uDFAE]", "END");
    }

    @Test
    void fragmentsMakeOneMessage() throws Exception {
        ClientFrames frames = new ClientFrames()
                .frame(false, TEXT, "s a ")
                .frame(false, CONTINUATION, "")
                .frame(false, CONTINUATION, "1\ng ")
                .frame(true, CONTINUATION, "a");
        assertThat(events(frames)).containsExactly("Text[s a 1\ng a]", "END");
    }

    @Test
    void aCharacterMaySpanFragments() throws Exception {
        byte[] snowman = "☃".getBytes(StandardCharsets.UTF_8);
        ClientFrames frames = new ClientFrames()
                .frame(false, TEXT, new byte[] {snowman[0]})
                .frame(true, CONTINUATION, new byte[] {snowman[1], snowman[2]});
        assertThat(events(frames)).containsExactly("Text[☃]", "END");
    }

    @Test
    void controlFramesBetweenFragments() throws Exception {
        ClientFrames frames = new ClientFrames()
                .frame(false, TEXT, "a")
                .frame(true, PING, "p1")
                .frame(false, CONTINUATION, "b")
                .frame(true, PONG, "p2")
                .frame(true, CONTINUATION, "c")
                .text("d");
        assertThat(events(frames)).containsExactly("Ping[p1]", "Pong[p2]", "Text[abc]", "Text[d]", "END");
    }

    @Test
    void closeCarriesCodeAndReason() throws Exception {
        assertThat(events(new ClientFrames().text("x").close(1000, "bye ☃").text("never read")))
                .containsExactly("Text[x]", "Close[code=1000, reason=bye ☃]");
        assertThat(events(new ClientFrames().frame(true, CLOSE, new byte[0])))
                .containsExactly("Close[code=1005, reason=]");
        assertThat(events(new ClientFrames().close(4000, ""))).containsExactly("Close[code=4000, reason=]");
    }

    @Test
    void nothingIsReadAfterACloseOrAnError() throws Exception {
        WebSocketFrameReader reader = reader(new ClientFrames().close(1000, "").text("x").toBytes(), false);
        assertThat(reader.next()).isInstanceOf(Close.class);
        assertThatThrownBy(reader::next).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void protocolErrors() throws Exception {
        assertError(new ClientFrames().raw(0x80 | TEXT, false, 1, "a".getBytes()), 1002, "client frame not masked");
        assertError(new ClientFrames().raw(0x80 | 0x40 | TEXT, true, 1, "a".getBytes()), 1002, "reserved bits set");
        assertError(new ClientFrames().raw(0x80 | 0x10 | TEXT, true, 1, "a".getBytes()), 1002, "reserved bits set");
        for (int opcode : new int[] {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
            assertError(new ClientFrames().frame(true, opcode, "a"), 1002, "unknown opcode");
        }
        assertError(new ClientFrames().frame(false, PING, "a"), 1002, "fragmented control frame");
        assertError(new ClientFrames().frame(true, PING, new byte[126]), 1002, "control frame over 125 bytes");
        assertError(new ClientFrames().frame(true, CLOSE, new byte[126]), 1002, "control frame over 125 bytes");
        assertError(new ClientFrames().frame(true, CONTINUATION, "a"), 1002, "continuation without a message");
        assertError(new ClientFrames().frame(false, TEXT, "a").text("b"), 1002, "new message inside a fragmented one");
        assertError(new ClientFrames().raw(0x80 | TEXT, true, Long.MIN_VALUE, new byte[0]), 1002,
                "frame length over 63 bits");
        assertError(new ClientFrames().frame(true, CLOSE, new byte[] {3}), 1002, "close frame with a one-byte body");
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000}) {
            assertError(new ClientFrames().close(code, ""), 1002, "invalid close code");
        }
    }

    @Test
    void binaryMessagesGet1003() throws Exception {
        assertError(new ClientFrames().frame(true, BINARY, new byte[] {1, 2}), 1003, "binary messages are not supported");
        assertError(new ClientFrames().frame(false, BINARY, new byte[] {1}), 1003, "binary messages are not supported");
    }

    @Test
    void invalidUtf8Gets1007() throws Exception {
        assertError(new ClientFrames().frame(true, TEXT, new byte[] {(byte) 0xC0, (byte) 0x80}), 1007,
                "text message not valid utf-8");
        assertError(new ClientFrames().frame(true, TEXT, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}), 1007,
                "text message not valid utf-8");
        // a character cut off by the message's end
        assertError(new ClientFrames().frame(false, TEXT, "a").frame(true, CONTINUATION, new byte[] {(byte) 0xE2}),
                1007, "text message not valid utf-8");
        byte[] badReason = {0x03, (byte) 0xE8, (byte) 0xFF};
        assertError(new ClientFrames().frame(true, CLOSE, badReason), 1007, "close reason not valid utf-8");
    }

    @Test
    void messageSizeIsBounded() throws Exception {
        assertThat(events(new ClientFrames().text("x".repeat(MAX)))).containsExactly("Text[" + "x".repeat(MAX) + "]",
                "END");
        assertError(new ClientFrames().text("x".repeat(MAX + 1)), 1009, "message too big");
        // over the bound across fragments
        assertError(new ClientFrames().frame(false, TEXT, "x".repeat(40)).frame(true, CONTINUATION, "x".repeat(25)),
                1009, "message too big");
        // decided from the header: a frame announcing 2^62 bytes is refused before any payload arrives
        assertError(new ClientFrames().raw(0x80 | TEXT, true, 1L << 62, new byte[0]), 1009, "message too big");
        assertError(new ClientFrames().raw(0x80 | TEXT, true, 70_000, new byte[0]), 1009, "message too big");
    }

    @Test
    void extendedLengths() throws Exception {
        String medium = "m".repeat(300);   // 16-bit length
        String large = "L".repeat(70_000); // 64-bit length
        WebSocketFrameReader reader = reader(new ClientFrames().text(medium).text(large).toBytes(), true, 100_000);
        assertThat(reader.next()).isEqualTo(new Text(medium));
        assertThat(reader.next()).isEqualTo(new Text(large));
        assertThat(reader.next()).isNull();
    }

    @Test
    void endOfStreamInsideAFrameOrMessage() {
        byte[] frame = new ClientFrames().text("hello").toBytes();
        for (int cut = 1; cut < frame.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(frame, cut);
            assertThatThrownBy(() -> reader(part, false).next()).as("cut at " + cut).isInstanceOf(EOFException.class);
        }
        byte[] unfinished = new ClientFrames().frame(false, TEXT, "a").toBytes();
        assertThatThrownBy(() -> reader(unfinished, false).next()).isInstanceOf(EOFException.class);
    }

    @Test
    void textLinesAreFramedAsOnTcp() {
        assertThat(new Text("a\nb").lines()).containsExactly("a", "b");
        assertThat(new Text("a\nb\n").lines()).containsExactly("a", "b");
        assertThat(new Text("a\r\nb\r").lines()).containsExactly("a", "b");
        assertThat(new Text("a\r\r\n\n").lines()).containsExactly("a\r", "");
        assertThat(new Text("").lines()).isEmpty();
    }

    private static void assertError(ClientFrames frames, int code, String why) throws IOException {
        for (boolean trickle : new boolean[] {false, true}) {
            WebSocketFrameReader reader = reader(frames.toBytes(), trickle);
            WebSocketEvent event;
            do {
                event = reader.next();
            } while (event instanceof Text);
            assertThat(event).as(why).isEqualTo(new ProtocolError(code, why));
        }
    }

    /** The events of both readings, which must agree; "END" for the end of the stream. */
    private static List<String> events(ClientFrames frames) throws IOException {
        List<String> whole = events(reader(frames.toBytes(), false));
        assertThat(events(reader(frames.toBytes(), true))).isEqualTo(whole);
        return whole;
    }

    private static List<String> events(WebSocketFrameReader reader) throws IOException {
        List<String> events = new ArrayList<>();
        while (true) {
            WebSocketEvent event = reader.next();
            switch (event) {
                case null -> {
                    events.add("END");
                    return events;
                }
                case Text t -> events.add("Text[" + t.message() + "]");
                case Ping p -> events.add("Ping[" + new String(p.payload(), StandardCharsets.UTF_8) + "]");
                case Pong p -> events.add("Pong[" + new String(p.payload(), StandardCharsets.UTF_8) + "]");
                case Close c -> {
                    events.add(c.toString());
                    return events;
                }
                case ProtocolError e -> {
                    events.add(e.toString());
                    return events;
                }
            }
        }
    }

    private static WebSocketFrameReader reader(byte[] bytes, boolean trickle) {
        return reader(bytes, trickle, MAX);
    }

    private static WebSocketFrameReader reader(byte[] bytes, boolean trickle, int max) {
        InputStream in = new ByteArrayInputStream(bytes);
        if (trickle) {
            InputStream whole = in;
            in = new InputStream() {
                @Override
                public int read() throws IOException {
                    return whole.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return whole.read(b, off, Math.min(len, 1));
                }
            };
        }
        return new WebSocketFrameReader(in, max);
    }
}
