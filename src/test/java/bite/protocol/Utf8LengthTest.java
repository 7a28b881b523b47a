package bite.protocol;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The one UTF-8 length routine (used by the parser, the value limit and the storage encoder) counts as the JDK does. */
class Utf8LengthTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "é", "€uro", "a\uD83D\uDE00b", "\uD83D\uDE00\uD83D\uDE00", "lone \uD800 high",
            "lone \uDC00 low", "\uDC00\uD800 reversed", "end \uD83D", "\u07FF\u0800\uFFFF"})
    void countsWhatGetBytesWouldWrite(String s) {
        assertThat(Utf8.length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }
}
