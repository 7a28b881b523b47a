package bite.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link WebSocketFrames}: the server's frames, byte for byte (final, unmasked, shortest length form). */
class WebSocketFramesTest {

    @Test
    void textMessageOfSeveralLines() {
        byte[] frame = WebSocketFrames.text(List.of("=OK", ">g a 1 x"));
        assertThat(HexFormat.of().formatHex(frame, 0, 2)).isEqualTo("810d"); // FIN + text, 13 bytes, no mask
        assertThat(new String(frame, 2, frame.length - 2, StandardCharsets.UTF_8)).isEqualTo("=OK\n>g a 1 x\n");
        assertThatThrownBy(() -> WebSocketFrames.text(List.of("a\nb"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lengthForms() {
        assertHeader(0, "8100");
        assertHeader(125, "817d");
        assertHeader(126, "817e007e");
        assertHeader(65_535, "817effff");
        assertHeader(65_536, "817f0000000000010000");
        assertHeader(1L << 40, "817f0000010000000000");
        assertThat(WebSocketFrames.headerLength(125)).isEqualTo(2);
        assertThat(WebSocketFrames.headerLength(126)).isEqualTo(4);
        assertThat(WebSocketFrames.headerLength(65_536)).isEqualTo(10);
    }

    @Test
    void pongEchoesThePayload() {
        assertThat(HexFormat.of().formatHex(WebSocketFrames.pong(new byte[] {1, 2, 3}))).isEqualTo("8a03010203");
        assertThat(HexFormat.of().formatHex(WebSocketFrames.ping(new byte[0]))).isEqualTo("8900");
        assertThatThrownBy(() -> WebSocketFrames.pong(new byte[126])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeWithCodeAndReason() {
        assertThat(HexFormat.of().formatHex(WebSocketFrames.close(1009, "too big"))).isEqualTo("880903f1" + hex("too big"));
        assertThat(HexFormat.of().formatHex(WebSocketFrames.closeEcho(new WebSocketEvent.Close(4001, "x"))))
                .isEqualTo("88020fa1");
        assertThat(HexFormat.of().formatHex(WebSocketFrames.closeEcho(new WebSocketEvent.Close(1005, ""))))
                .isEqualTo("880203e8");
        assertThatThrownBy(() -> WebSocketFrames.close(1005, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebSocketFrames.close(999, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void longReasonIsCutAtACharacterBoundary() {
        // 1 + 180 bytes of reason; 123 fit, and the 123rd byte is inside the 41st snowman
        byte[] frame = WebSocketFrames.close(1000, "a" + "☃".repeat(60));
        assertThat(frame[1]).isEqualTo((byte) (2 + 1 + 40 * 3));
        assertThat(new String(frame, 4, frame.length - 4, StandardCharsets.UTF_8)).isEqualTo("a" + "☃".repeat(40));
    }

    private static void assertHeader(long length, String hex) {
        byte[] header = new byte[WebSocketFrames.MAX_HEADER_BYTES];
        int n = WebSocketFrames.putHeader(header, 0, WebSocketFrames.TEXT, length);
        assertThat(HexFormat.of().formatHex(header, 0, n)).isEqualTo(hex);
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }
}
