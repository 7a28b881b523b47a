package bite.access;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PasswdTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int passwd(String stdin, String... args) {
        return Passwd.run(args, null, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                PasswordHash.MIN_ITERATIONS);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsALineTheUsersFileAccepts() throws Exception {
        assertThat(passwd("hunter2 with spaces\nnot read\n", "alice", "server")).isZero();
        assertThat(out()).startsWith("alice server pbkdf2-sha256$1000$").endsWith("\n");
        Users users = Users.parse(List.of(out().strip()), "stdout");
        assertThat(users.authenticate("alice", "hunter2 with spaces".toCharArray())).isEqualTo("server");
        assertThat(users.authenticate("alice", "not read".toCharArray())).isNull();
        assertThat(err()).isEmpty();
    }

    @Test
    void theRoleDefaultsToPlayerAndACrlfLineEndIsNotPartOfThePassword() throws Exception {
        assertThat(passwd("pw\r\n", "bob")).isZero();
        Users users = Users.parse(List.of(out().strip()), "stdout");
        assertThat(users.authenticate("bob", "pw".toCharArray())).isEqualTo("player");
    }

    @Test
    void aPasswordWithoutLineEndIsRead() throws Exception {
        assertThat(passwd("last", "bob")).isZero();
        assertThat(Users.parse(List.of(out().strip()), "x").authenticate("bob", "last".toCharArray())).isNotNull();
    }

    @Test
    void wrongArgumentsGiveUsageAndStatusTwo() {
        assertThat(passwd("pw\n")).isEqualTo(2);
        assertThat(err()).startsWith("usage: bite passwd NAME [ROLE]");
        assertThat(passwd("pw\n", "a", "b", "c")).isEqualTo(2);
        assertThat(passwd("pw\n", "al.ice")).isEqualTo(2);
        assertThat(err()).contains("invalid user name: name contains a dot");
        assertThat(passwd("pw\n", "alice", "")).isEqualTo(2);
        assertThat(err()).contains("invalid role: empty name");
        assertThat(out()).isEmpty();
    }

    @Test
    void anEmptyOrOverlongPasswordIsRefused() {
        assertThat(passwd("\n", "alice")).isEqualTo(1);
        assertThat(passwd("", "alice")).isEqualTo(1);
        assertThat(err()).contains("no password given");
        assertThat(passwd("x".repeat(Passwd.MAX_PASSWORD_BYTES + 1) + "\n", "alice")).isEqualTo(1);
        assertThat(err()).contains("password longer than 1024 bytes");
        assertThat(out()).isEmpty();
        assertThat(passwd("x".repeat(Passwd.MAX_PASSWORD_BYTES) + "\r\n", "alice")).isZero();
    }
}
