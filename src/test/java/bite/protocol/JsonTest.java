package bite.protocol;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** PROTOCOL.md "JSON": the escapes, exactly. */
class JsonTest {

    static Stream<Arguments> escapes() {
        return Stream.of(
                arguments("", "\"\""),
                arguments("BITE", "\"BITE\""),
                arguments("\"", "\"\\\"\""),
                arguments("\\", "\"\\\\\""),
                arguments("\b", "\"\\b\""),
                arguments("\f", "\"\\f\""),
                arguments("\n", "\"\\n\""),
                arguments("\r", "\"\\r\""),
                arguments("\t", "\"\\t\""),
                arguments("\u0000", "\"\\u0000\""),
                arguments("\u0001", "\"\\u0001\""),
                arguments("\u000b", "\"\\u000b\""),
                arguments("\u000e", "\"\\u000e\""),
                arguments("\u001b", "\"\\u001b\""),
                arguments("\u001f", "\"\\u001f\""),
                // everything else as itself
                arguments(" ", "\" \""),
                arguments("/", "\"/\""),
                arguments("</script>", "\"</script>\""),
                arguments("'", "\"'\""),
                arguments("\u007f", "\"\u007f\""),
                arguments("\u0080\u009f", "\"\u0080\u009f\""),
                arguments("Andrés", "\"Andrés\""),
                arguments("\u2028\u2029", "\"\u2028\u2029\""),
                arguments("😀", "\"😀\""),
                arguments("a\"b\\c\td\u0002e", "\"a\\\"b\\\\c\\td\\u0002e\""));
    }

    @ParameterizedTest
    @MethodSource("escapes")
    void quotesExactlyAsTheProtocolSays(String raw, String json) {
        assertThat(Json.quote(raw)).isEqualTo(json);
    }
}
