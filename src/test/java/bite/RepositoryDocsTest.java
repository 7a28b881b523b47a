package bite;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What the repository's own documents promise: the protocol contract in it, and Docker commands that work. */
class RepositoryDocsTest {

    private static final Path SHARED_PROTOCOL = Path.of("..", "shared", "PROTOCOL.md");

    /** docs/PROTOCOL.md is the shared contract, byte for byte, wherever the shared folder is there to compare. */
    @Test
    void theProtocolContractIsInTheRepositoryAndIdenticalToTheSharedOne() throws Exception {
        Path copy = Path.of("docs", "PROTOCOL.md");
        assertThat(copy).exists();
        assertThat(Files.readString(copy)).contains("## Framing");
        if (Files.exists(SHARED_PROTOCOL)) {
            assertThat(Files.readString(copy)).as("docs/PROTOCOL.md differs from %s: run `make protocol-doc`",
                    SHARED_PROTOCOL).isEqualTo(Files.readString(SHARED_PROTOCOL));
        }
        assertThat(Files.readString(Path.of("README.md"))).contains("](docs/PROTOCOL.md)")
                .doesNotContain("](../shared/PROTOCOL.md)");
    }

    /** Every {@code docker run} in docs/DOCKER.md runs the image {@code make image} builds. */
    @Test
    void dockerDocsRunTheImageMakeBuilds() throws Exception {
        Matcher image = Pattern.compile("(?m)^BITE_IMAGE \\?= (\\S+)$").matcher(Files.readString(Path.of("Makefile")));
        assertThat(image.find()).as("BITE_IMAGE in the Makefile").isTrue();
        String built = image.group(1);
        List<String> runs = Files.readString(Path.of("docs", "DOCKER.md")).lines()
                .filter(l -> l.startsWith("docker run ") || l.contains("`docker run ")).toList();
        assertThat(runs).isNotEmpty();
        for (String line : runs) {
            for (String command : line.split("`")) {
                if (!command.startsWith("docker run ")) continue;
                assertThat(command).as("a docker run of an image other than %s", built)
                        .containsPattern(" " + Pattern.quote(built) + "( |$)");
            }
        }
        assertThat(Files.readString(Path.of("docs", "DOCKER.md"))).containsPattern("docker build [^`\\n]*-t "
                + Pattern.quote(built) + " ");
    }

    /** {@code make run} builds the jar only when a source is newer than it, and the build is quiet. */
    @Test
    void makeRunRebuildsOnlyWhenSourcesChanged() throws Exception {
        Path jar = Files.createTempFile("bite", ".jar"); // newer than every source
        try {
            String upToDate = make("-n", "run", "JAR=" + jar);
            assertThat(upToDate).doesNotContain("package").contains("-jar " + jar);
            String changed = make("-n", "-W", "src/main/java/bite/Main.java", "run", "JAR=" + jar);
            assertThat(changed).contains("package -DskipTests").contains(" -q ");
            assertThat(make("-n", "-p", "run", "JAR=" + jar)).contains("--sun-misc-unsafe-memory-access=allow");
        } finally {
            Files.delete(jar);
        }
    }

    private static String make(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("make", "--no-print-directory"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("make %s: %s", String.join(" ", args), output).isZero();
        return output;
    }
}
