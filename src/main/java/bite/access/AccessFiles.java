package bite.access;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reading the operator's users and rules files: bounded, strict UTF-8, split into words. Runs at start, on main. */
final class AccessFiles {

    /** Far more than hundreds of users or rules need; stops a wrong path (a log, a device) from being read whole. */
    static final long MAX_FILE_BYTES = 4 << 20;

    private AccessFiles() {
    }

    /** The lines of {@code file}; any trouble reading it is an {@link AccessFileException} naming the file. */
    static List<String> readLines(Path file) throws AccessFileException {
        String source = file.toString();
        try {
            if (!Files.exists(file)) throw new AccessFileException(source, "no such file", null);
            if (!Files.isRegularFile(file)) throw new AccessFileException(source, "not a regular file", null);
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new AccessFileException(source, "larger than " + MAX_FILE_BYTES + " bytes", null);
            }
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            return text.lines().toList();
        } catch (NoSuchFileException e) {
            throw new AccessFileException(source, "no such file", e);
        } catch (CharacterCodingException e) {
            throw new AccessFileException(source, "not valid UTF-8", e);
        } catch (IOException e) {
            throw new AccessFileException(source, "cannot read: " + e.getMessage(), e);
        }
    }

    /** True for a line to skip: blank, or a comment ({@code #} as its first non-blank character). */
    static boolean isBlankOrComment(String line) {
        String t = line.strip();
        return t.isEmpty() || t.charAt(0) == '#';
    }

    /** The words of {@code line}, separated by spaces or tabs. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>(4);
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && isBlank(line.charAt(i))) i++;
            int start = i;
            while (i < n && !isBlank(line.charAt(i))) i++;
            if (i > start) words.add(line.substring(start, i));
        }
        return words;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
