package bite.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * PROTOCOL.md "Framing": lines end at {@code \n}, a single {@code \r} before it is dropped, the line limit counts
 * the {@code \n}, and strict UTF-8. Frames are written as {@code "text"}, {@code MALFORMED} or {@code TOO_LONG}.
 */
class LineFramerTest {

    private static final int LIMIT = 8;

    static Stream<Arguments> framing() {
        return Stream.of(
                arguments("s k v\n", List.of("\"s k v\"")),
                arguments("a\nb\n\nc\n", List.of("\"a\"", "\"b\"", "\"\"", "\"c\"")),
                arguments("no newline yet", List.of()),
                arguments("a\nrest", List.of("\"a\"")),
                // a single \r right before \n is dropped; any other \r is an ordinary character
                arguments("a\r\n", List.of("\"a\"")),
                arguments("\r\n", List.of("\"\"")),
                arguments("a\r\r\n", List.of("\"a\r\"")),
                arguments("a\rb\n", List.of("\"a\rb\"")),
                arguments("\ra\n", List.of("\"\ra\"")),
                arguments("a\r", List.of()),
                arguments("a\rb\r\nc\n", List.of("\"a\rb\"", "\"c\"")),
                // tabs, NUL and other control characters are just bytes to the framer
                arguments("\t\0\u0001\n", List.of("\"\t\0\u0001\"")));
    }

    @ParameterizedTest
    @MethodSource("framing")
    void cutsLinesAtNewline(String input, List<String> expected) {
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        assertThat(framedWhole(1024, bytes)).isEqualTo(expected);
        assertThat(framedByteByByte(1024, bytes)).isEqualTo(expected);
    }

    static Stream<Arguments> limits() {
        return Stream.of(
                // limit 8: 7 content bytes + \n fit exactly
                arguments("1234567\n", List.of("\"1234567\"")),
                arguments("123456\r\n", List.of("\"123456\"")),
                // 8 content bytes + \n: one byte over
                arguments("12345678\n", List.of("TOO_LONG")),
                // the \r counts: 7 + \r + \n is 9 bytes
                arguments("1234567\r\n", List.of("TOO_LONG")),
                // 8 bytes without \n: too long at once, without waiting for the \n
                arguments("12345678", List.of("TOO_LONG")),
                // 7 bytes without \n: still waiting
                arguments("1234567", List.of()),
                // lines before the long one come out, nothing after it does
                arguments("ab\n1234567\n123456789\ncd\n", List.of("\"ab\"", "\"1234567\"", "TOO_LONG")),
                arguments("ab\n12345678", List.of("\"ab\"", "TOO_LONG")),
                arguments("\n\n\n\n\n\n\n\n\n\n", List.of("\"\"", "\"\"", "\"\"", "\"\"", "\"\"", "\"\"", "\"\"",
                        "\"\"", "\"\"", "\"\"")),
                // multi-byte characters count in bytes: 3 x 2 bytes + 1 + \n = 8 fits; 4 x 2 bytes does not
                arguments("ééé1\n", List.of("\"ééé1\"")),
                arguments("éééé\n", List.of("TOO_LONG")));
    }

    @ParameterizedTest
    @MethodSource("limits")
    void lineLimitCountsTheNewline(String input, List<String> expected) {
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        assertThat(framedWhole(LIMIT, bytes)).isEqualTo(expected);
        assertThat(framedByteByByte(LIMIT, bytes)).isEqualTo(expected);
    }

    @Test
    void tooLongComesAsSoonAsTheLimitIsHeldWithoutNewline() {
        LineFramer framer = new LineFramer(LIMIT);
        for (int i = 0; i < LIMIT - 1; i++) {
            framer.feed(new byte[] {'x'}, 0, 1);
            assertThat(framer.next()).as("after %d bytes", i + 1).isNull();
        }
        framer.feed(new byte[] {'x'}, 0, 1);
        assertThat(framer.next()).isEqualTo(Frame.TOO_LONG);
        // and nothing ever after, even a good line
        byte[] more = "\nok\n".getBytes(StandardCharsets.US_ASCII);
        framer.feed(more, 0, more.length);
        assertThat(framer.next()).isNull();
    }

    @Test
    void theLimitComesBeforeTheUtf8Check() {
        byte[] fits = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, '\n'};
        assertThat(framedWhole(LIMIT, fits)).containsExactly("MALFORMED");
        byte[] over = concat(new byte[] {(byte) 0xff}, fits);
        assertThat(framedWhole(LIMIT, over)).containsExactly("TOO_LONG");
        assertThat(framedByteByByte(LIMIT, over)).containsExactly("TOO_LONG");
    }

    @Test
    void theDefaultLimitOfOneMebibyteIsExact() {
        int mib = 1024 * 1024;
        byte[] fits = line(mib - 1);
        assertThat(framedWhole(mib, fits)).containsExactly("\"" + "x".repeat(mib - 1) + "\"");
        assertThat(framedWhole(mib, line(mib))).containsExactly("TOO_LONG");
        assertThat(framedWhole(mib, "x".repeat(mib).getBytes(StandardCharsets.US_ASCII))).containsExactly("TOO_LONG");
    }

    /** Hex input: each malformed line is followed by a good one, which must still come out. */
    static Stream<Arguments> invalidUtf8() {
        return Stream.of(
                arguments("overlong 2-byte NUL", "c080"),
                arguments("overlong 2-byte C1", "c1bf"),
                arguments("overlong 3-byte", "e08080"),
                arguments("overlong 3-byte max", "e09fbf"),
                arguments("overlong 4-byte", "f08080 80"),
                arguments("overlong 4-byte max", "f08fbfbf"),
                arguments("high surrogate", "eda080"),
                arguments("low surrogate", "edb080"),
                arguments("last surrogate", "edbfbf"),
                arguments("surrogate pair as CESU-8", "eda0bd edb880"),
                arguments("above U+10FFFF", "f4908080"),
                arguments("F5 lead", "f5808080"),
                arguments("FF", "ff"),
                arguments("FE", "fe"),
                arguments("lone continuation", "80"),
                arguments("continuation after ASCII", "61bf62"),
                arguments("truncated 2-byte", "c3"),
                arguments("truncated 2-byte before ASCII", "c361"),
                arguments("truncated 3-byte", "e282"),
                arguments("truncated 3-byte before ASCII", "e28261"),
                arguments("truncated 4-byte", "f09f98"),
                arguments("truncated 4-byte before ASCII", "f09f9861"),
                arguments("2-byte lead then lead", "c3c3a9"),
                arguments("invalid after a valid value", "73206b20c3a9ff"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUtf8")
    void invalidUtf8IsMalformedAndTheNextLineIsFine(String name, String hex) {
        byte[] bad = HexFormat.of().parseHex(hex.replace(" ", ""));
        byte[] input = concat(bad, "\ng k\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(framedWhole(1024, input)).containsExactly("MALFORMED", "\"g k\"");
        assertThat(framedByteByByte(1024, input)).containsExactly("MALFORMED", "\"g k\"");
        // with CRLF too: the \r is dropped before checking, and the line is still bad
        byte[] crlf = concat(bad, "\r\ng k\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(framedWhole(1024, crlf)).containsExactly("MALFORMED", "\"g k\"");
    }

    static Stream<Arguments> validUtf8() {
        return Stream.of(
                arguments("U+0080, smallest 2-byte", "c280", "\u0080"),
                arguments("U+07FF, largest 2-byte", "dfbf", "\u07ff"),
                arguments("é", "c3a9", "é"),
                arguments("U+0800, smallest 3-byte", "e0a080", "\u0800"),
                arguments("U+D7FF, below the surrogates", "ed9fbf", "\ud7ff"),
                arguments("U+E000, above the surrogates", "ee8080", "\ue000"),
                arguments("€", "e282ac", "€"),
                arguments("U+FFFF", "efbfbf", "\uffff"),
                arguments("U+10000, smallest 4-byte", "f0908080", "\ud800\udc00"),
                arguments("😀", "f09f9880", "😀"),
                arguments("U+10FFFF, the last code point", "f48fbfbf", "\udbff\udfff"),
                arguments("U+007F", "7f", "\u007f"),
                arguments("mixed", "41c3a9e282acf09f988042", "Aé€😀B"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validUtf8")
    void validUtf8Passes(String name, String hex, String text) {
        byte[] input = concat(HexFormat.of().parseHex(hex), new byte[] {'\n'});
        assertThat(framedWhole(1024, input)).containsExactly("\"" + text + "\"");
        assertThat(framedByteByByte(1024, input)).containsExactly("\"" + text + "\"");
    }

    @Test
    void readFromFramesAPipelinedStreamInAnyChunkSizes() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String text = "s key." + i + " " + "é".repeat(i % 50) + (i % 3 == 0 ? "\r" : "");
            all.writeBytes((text + "\n").getBytes(StandardCharsets.UTF_8));
            expected.add("\"" + (i % 3 == 0 ? text.substring(0, text.length() - 1) : text) + "\"");
        }
        byte[] bytes = all.toByteArray();
        for (int chunk : new int[] {1, 7, 4096, 1 << 20}) {
            LineFramer framer = new LineFramer(1024);
            ReadableByteChannel channel = chunked(bytes, chunk);
            List<String> frames = new ArrayList<>();
            while (framer.readFrom(channel) >= 0) {
                drain(framer, frames);
            }
            drain(framer, frames);
            assertThat(frames).as("chunks of %d", chunk).isEqualTo(expected);
            assertThat(framer.pending()).isZero();
        }
    }

    @Test
    void theBufferIsGivenBackOnlyWhenItHoldsNothingAndReadingGoesOnAfter() throws IOException {
        LineFramer framer = new LineFramer(1024);
        byte[] bytes = "a 1\nb 2".getBytes(StandardCharsets.UTF_8);
        framer.readFrom(chunked(bytes, bytes.length));
        assertThat(framer.next()).isEqualTo(new Frame.Line("a 1"));
        assertThat(framer.next()).isNull();
        assertThat(framer.release()).as("part of a line is held").isFalse();
        framer.feed("\n".getBytes(StandardCharsets.UTF_8), 0, 1);
        assertThat(framer.next()).isEqualTo(new Frame.Line("b 2"));
        assertThat(framer.release()).as("nothing held").isTrue();
        byte[] more = "c 3\n".getBytes(StandardCharsets.UTF_8);
        assertThat(framer.readFrom(chunked(more, more.length))).isEqualTo(more.length);
        assertThat(framer.next()).isEqualTo(new Frame.Line("c 3"));
        framer.release();
        framer.feed(more, 0, more.length);
        assertThat(framer.next()).isEqualTo(new Frame.Line("c 3"));
    }

    @Test
    void readFromStopsAtTheLimitOfAnEndlessLine() throws IOException {
        LineFramer framer = new LineFramer(100);
        ReadableByteChannel endless = new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer dst) {
                int n = dst.remaining();
                while (dst.hasRemaining()) dst.put((byte) 'x');
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        Frame frame = null;
        for (int reads = 0; reads < 10 && frame == null; reads++) {
            framer.readFrom(endless);
            frame = framer.next();
        }
        assertThat(frame).isEqualTo(Frame.TOO_LONG);
    }

    private static List<String> framedWhole(int limit, byte[] input) {
        LineFramer framer = new LineFramer(limit);
        framer.feed(input, 0, input.length);
        List<String> frames = new ArrayList<>();
        drain(framer, frames);
        return frames;
    }

    private static List<String> framedByteByByte(int limit, byte[] input) {
        LineFramer framer = new LineFramer(limit);
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < input.length; i++) {
            framer.feed(input, i, 1);
            drain(framer, frames);
        }
        return frames;
    }

    private static void drain(LineFramer framer, List<String> frames) {
        for (Frame f = framer.next(); f != null; f = framer.next()) {
            frames.add(switch (f) {
                case Frame.Line(String text) -> "\"" + text + "\"";
                case Frame.Malformed() -> "MALFORMED";
                case Frame.TooLong() -> "TOO_LONG";
            });
        }
    }

    private static byte[] line(int contentBytes) {
        byte[] b = new byte[contentBytes + 1];
        java.util.Arrays.fill(b, (byte) 'x');
        b[contentBytes] = '\n';
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A channel that hands out {@code bytes} at most {@code chunk} at a time. */
    private static ReadableByteChannel chunked(byte[] bytes, int chunk) {
        ReadableByteChannel inner = Channels.newChannel(new ByteArrayInputStream(bytes));
        return new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                if (dst.remaining() <= chunk) return inner.read(dst);
                ByteBuffer slice = dst.slice(dst.position(), chunk);
                int n = inner.read(slice);
                if (n > 0) dst.position(dst.position() + n);
                return n;
            }

            @Override
            public boolean isOpen() {
                return inner.isOpen();
            }

            @Override
            public void close() throws IOException {
                inner.close();
            }
        };
    }
}
