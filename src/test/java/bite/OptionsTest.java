package bite;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The option table itself: one entry per flag and variable, defaults that parse, and the README built from it. */
class OptionsTest {

    @Test
    void flagsAndVariablesAreUniqueAndNamedAlike() {
        Set<String> flags = new HashSet<>();
        Set<String> envs = new HashSet<>();
        for (Options.Option o : Options.ALL) {
            assertThat(flags.add(o.flag())).as("duplicate %s", o.flag()).isTrue();
            assertThat(envs.add(o.env())).as("duplicate %s", o.env()).isTrue();
            assertThat(o.env()).isEqualTo("BITE_" + o.flag().substring(2).replace('-', '_').toUpperCase());
            assertThat(o.help()).doesNotContain("|").isNotBlank();
        }
    }

    @Test
    void theBuilderStartsFromTheTablesDefaults() {
        Config defaults = Config.defaults();
        Config.Builder b = Config.builder().port(1).maxClients(2);
        assertThat(b.build().port()).isEqualTo(1);
        assertThat(Config.builder().build()).isEqualTo(defaults);
        assertThat(defaults.toBuilder().build()).isEqualTo(defaults);
        assertThat(defaults.importFile()).isNull();
        assertThat(defaults.password()).isNull();
        assertThat(defaults.published()).isNull();
    }

    /** The README's table between its markers is {@link Options#markdownTable}: {@code make readme-options}. */
    @Test
    void theReadmeConfigurationTableIsTheOptionTable() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String begin = "<!-- options: begin -->\n";
        String end = "<!-- options: end -->";
        assertThat(readme).contains(begin).contains(end);
        String table = readme.substring(readme.indexOf(begin) + begin.length(), readme.indexOf(end));
        assertThat(table).as("README.md's configuration table; `make readme-options` rewrites it")
                .isEqualTo(Options.markdownTable());
    }
}
