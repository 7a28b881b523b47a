package bite.access;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordHashTest {

    private static final int FAST = PasswordHash.MIN_ITERATIONS; // tests need no real work factor

    @Test
    void aHashMatchesItsPasswordOnly() {
        PasswordHash hash = PasswordHash.create("correct horse".toCharArray(), FAST, new SecureRandom());
        assertThat(hash.matches("correct horse".toCharArray())).isTrue();
        assertThat(hash.matches("correct horsE".toCharArray())).isFalse();
        assertThat(hash.matches("correct horse ".toCharArray())).isFalse();
        assertThat(hash.matches(new char[0])).isFalse();
    }

    @Test
    void theTextFormRoundTripsAndCarriesItsParameters() {
        PasswordHash hash = PasswordHash.create("pw".toCharArray(), 1234, new SecureRandom());
        String text = hash.encode();
        assertThat(text).matches("pbkdf2-sha256\\$1234\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        PasswordHash back = PasswordHash.parse(text);
        assertThat(back).isEqualTo(hash);
        assertThat(back.matches("pw".toCharArray())).isTrue();
        assertThat(back.toString()).doesNotContain(text.substring(text.lastIndexOf('$') + 1));
    }

    @Test
    void twoHashesOfOnePasswordHaveDifferentSalts() {
        SecureRandom random = new SecureRandom();
        PasswordHash a = PasswordHash.create("same".toCharArray(), FAST, random);
        PasswordHash b = PasswordHash.create("same".toCharArray(), FAST, random);
        assertThat(a.salt()).isNotEqualTo(b.salt());
        assertThat(a.hash()).isNotEqualTo(b.hash());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "pbkdf2-sha1$1000$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA   | password hash is not pbkdf2-sha256$ITERATIONS$SALT$HASH",
            "pbkdf2-sha256$1000$c2FsdHNhbHQ                        | password hash is not pbkdf2-sha256$ITERATIONS$SALT$HASH",
            "pbkdf2-sha256$ten$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA  | iteration count is not a number",
            "pbkdf2-sha256$999$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA  | iteration count outside 1000..10000000",
            "pbkdf2-sha256$99999999$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA | iteration count outside 1000..10000000",
            "pbkdf2-sha256$1000$c2F*dHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA | salt is not base64",
            "pbkdf2-sha256$1000$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA      | salt is not 8 to 64 bytes",
            "pbkdf2-sha256$1000$c2FsdHNhbHQ$aGFzaA                 | hash is not 16 to 64 bytes",
            "pbkdf2-sha256$1000$c2FsdHNhbHQ$aGFz!GhhYXNoaGFzaA     | hash is not base64",
    })
    void aMalformedHashSaysWhatIsWrong(String text, String why) {
        assertThatThrownBy(() -> PasswordHash.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(why);
    }

    /** Python's hashlib is an independent PBKDF2-HMAC-SHA256: both must derive the same bytes from one salt. */
    @Test
    void pythonsHashlibAgreesWithOurHash() throws Exception {
        PasswordHash hash = PasswordHash.create("pässwörd €".toCharArray(), 2000, new SecureRandom());
        String b64Salt = Base64.getEncoder().encodeToString(hash.salt());
        String python = Python.run("""
                import base64, hashlib, sys
                salt = base64.b64decode(sys.argv[2])
                password = base64.b64decode(sys.argv[1])
                print(base64.b64encode(hashlib.pbkdf2_hmac('sha256', password, salt, 2000)).decode())
                """, Base64.getEncoder().encodeToString("pässwörd €".getBytes(StandardCharsets.UTF_8)), b64Salt);
        assertThat(Base64.getDecoder().decode(python)).isEqualTo(hash.hash());
    }
}
