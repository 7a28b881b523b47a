package bite.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class BiteJsonImportTest {

    @TempDir
    Path tmp;

    private Map<String, String> read(String json) throws IOException {
        return BiteJsonImport.read(Files.writeString(tmp.resolve("DB.json"), json));
    }

    @Test
    void readsWhatTheOriginalServerWrote() throws IOException {
        assertThat(read("""
                {"data.name":"BITE","data.author.name":"Andrés","score":"7",
                 "empty":"" ,  "room.1.pos": "10 20"}
                """)).containsExactly(
                Map.entry("data.name", "BITE"), Map.entry("data.author.name", "Andrés"), Map.entry("score", "7"),
                Map.entry("empty", ""), Map.entry("room.1.pos", "10 20"));
    }

    @Test
    void readsEveryEscape() throws IOException {
        assertThat(read("{\"k\\\"q\":\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\u00E9 \\ud83d\\ude00 \\u0041\"}"))
                .containsExactly(Map.entry("k\"q", "\" \\ / \b \f \n \r \t é é 😀 A"));
    }

    @Test
    void readsEmptyObjectsWhitespaceAndAByteOrderMark() throws IOException {
        assertThat(read(" \t\r\n{ \n } \n")).isEmpty();
        Path withBom = tmp.resolve("bom.json");
        Files.write(withBom, ("\uFEFF{\"a\":\"1\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(BiteJsonImport.read(withBom)).containsExactly(Map.entry("a", "1"));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("", 0, "expected '{'"),
                Arguments.of("[]", 0, "expected '{'"),
                Arguments.of("{\"a\":\"1\",}", 9, "expected a string key"),
                Arguments.of("{\"a\" \"1\"}", 5, "expected ':'"),
                Arguments.of("{\"a\":1}", 5, "value of key \"a\" is a number, not a string"),
                Arguments.of("{\"a\":{\"b\":\"c\"}}", 5, "is an object, not a string"),
                Arguments.of("{\"a\":null}", 5, "is null, not a string"),
                Arguments.of("{\"a\":true}", 5, "is a boolean"),
                Arguments.of("{\"a\":\"1\"", 8, "expected ',' or '}'"),
                Arguments.of("{\"a\":\"1", 7, "unterminated string"),
                Arguments.of("{\"a\":\"1\"} x", 10, "unexpected data after the JSON object"),
                Arguments.of("{\"a\":\"x\\qy\"}", 7, "invalid escape \\q"),
                Arguments.of("{\"a\":\"\\u12G4\"}", 6, "four hex digits"),
                Arguments.of("{\"a\":\"\\ud83d\"}", 6, "lone surrogate \\uD83D"),
                Arguments.of("{\"a\":\"\\ude00\"}", 6, "lone surrogate \\uDE00"),
                Arguments.of("{\"a\":\"\\ud83d\\u0041\"}", 12, "not followed by a low surrogate"),
                Arguments.of("{\"a\":\"tab\there\"}", 9, "control character 0x9"),
                Arguments.of("{\"a\":\"1\",\n \"a\":\"2\"}", 11, "duplicate key \"a\""));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedInputNamesFileAndOffset(String json, long offset, String problem) throws IOException {
        Path file = Files.writeString(tmp.resolve("DB.json"), json);
        StorageFileException e = catchThrowableOfType(StorageFileException.class, () -> BiteJsonImport.read(file));
        assertThat(e).as(json).isNotNull();
        assertThat(e.getMessage()).contains(file.toString()).contains(problem).contains("at offset " + offset);
        assertThat(e.offset()).isEqualTo(offset);
    }

    @Test
    void invalidUtf8IsRefusedAtTheBadByte() throws IOException {
        Path file = tmp.resolve("DB.json");
        byte[] json = {'{', '"', 'a', '"', ':', '"', 'o', 'k', (byte) 0xC3, (byte) 0xA9, (byte) 0xC0, (byte) 0xAF,
                '"', '}'};
        Files.write(file, json);
        StorageFileException e = catchThrowableOfType(StorageFileException.class, () -> BiteJsonImport.read(file));
        assertThat(e.getMessage()).contains("invalid UTF-8").contains("line 1, column 10");
        assertThat(e.offset()).isEqualTo(10);
    }

    @Test
    void errorsSayLineAndColumn() throws IOException {
        Path file = Files.writeString(tmp.resolve("DB.json"), "{\n  \"a\": \"1\",\n  \"b\": 2\n}");
        StorageFileException e = catchThrowableOfType(StorageFileException.class, () -> BiteJsonImport.read(file));
        assertThat(e.getMessage()).contains("line 3, column 8");
    }
}
