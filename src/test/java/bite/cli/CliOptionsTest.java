package bite.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cli's own options: defaults, environment, precedence, where the command starts, usage errors. */
class CliOptionsTest {

    private static CliOptions parse(Map<String, String> env, String... args) throws Exception {
        return CliOptions.parse(List.of(args), env);
    }

    @Test
    void defaultsAreLocalhost1984WithoutAuthOrTls() throws Exception {
        CliOptions o = parse(Map.of());
        assertThat(o).isEqualTo(new CliOptions("127.0.0.1", 1984, null, false, false, null, false, false, false, ""));
        assertThat(o.address()).isEqualTo("127.0.0.1:1984");
    }

    @Test
    void theServersVariablesAreReadAndAFlagWins() throws Exception {
        Map<String, String> env = Map.of("BITE_HOST", "0.0.0.0", "BITE_PORT", "7000", "BITE_PASSWORD", "pw");
        CliOptions fromEnv = parse(env, "ping");
        assertThat(fromEnv.host()).as("a wildcard means this machine").isEqualTo("127.0.0.1");
        assertThat(fromEnv.port()).isEqualTo(7000);
        assertThat(fromEnv.secret()).isEqualTo("pw");
        CliOptions fromFlags = parse(env, "--host", "::", "--port=7001", "--token", "a.b.c", "ping");
        assertThat(fromFlags.host()).isEqualTo("::1");
        assertThat(fromFlags.address()).isEqualTo("[::1]:7001");
        assertThat(fromFlags.secret()).as("--token beats BITE_PASSWORD").isEqualTo("a.b.c");
    }

    @Test
    void theCommandStartsAtTheFirstWordThatIsNoOptionOrAfterDashDash() throws Exception {
        assertThat(parse(Map.of(), "--raw", "s", "a", "--port", "x").command()).isEqualTo("s a --port x");
        assertThat(parse(Map.of(), "--", "--not-an-option").command()).isEqualTo("--not-an-option");
        CliOptions o = parse(Map.of(), "--follow", "--raw", "--tls-ca", "ca.pem", "#k", "room.7");
        assertThat(o.follow()).isTrue();
        assertThat(o.raw()).isTrue();
        assertThat(o.tls()).as("--tls-ca implies --tls").isTrue();
        assertThat(o.tlsCa()).isEqualTo(Path.of("ca.pem"));
        assertThat(o.command()).isEqualTo("#k room.7");
        assertThat(parse(Map.of(), "--tls-insecure").tls()).isTrue();
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThatThrownBy(() -> parse(Map.of(), "--bogus")).hasMessage("unknown option: --bogus");
        assertThatThrownBy(() -> parse(Map.of(), "--port")).hasMessage("missing value for --port");
        assertThatThrownBy(() -> parse(Map.of(), "--port", "0"))
                .hasMessage("invalid value for --port: 0 (expected a port, 1-65535)");
        assertThatThrownBy(() -> parse(Map.of("BITE_PORT", "x")))
                .hasMessage("invalid value for BITE_PORT: x (expected a port, 1-65535)");
        assertThatThrownBy(() -> parse(Map.of(), "--raw=yes")).hasMessage("--raw takes no value: --raw=yes");
        assertThatThrownBy(() -> parse(Map.of(), "--password", " ")).hasMessage("empty value for --password");
        assertThatThrownBy(() -> parse(Map.of(), "--password-file", "/nonexistent/pw"))
                .hasMessage("--password-file /nonexistent/pw: cannot read it: NoSuchFileException");
    }
}
