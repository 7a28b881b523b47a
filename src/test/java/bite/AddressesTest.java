package bite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** Addresses as people write them, and which published addresses stay on this machine. */
class AddressesTest {

    @ParameterizedTest
    @CsvSource({
            "0.0.0.0, 0.0.0.0:1984",
            "127.0.0.1, 127.0.0.1:1984",
            "::, [::]:1984",
            "::1, [::1]:1984",
            "fe80:0:0:0:0:0:0:1, [fe80::1]:1984",
            "2001:db8:0:0:1:0:0:1, [2001:db8::1:0:0:1]:1984",
            "1:2:3:4:5:6:7:8, [1:2:3:4:5:6:7:8]:1984",
            "1:0:0:0:0:0:0:0, [1::]:1984"})
    void formatsAsWritten(String literal, String shown) {
        assertThat(Addresses.format(InetAddress.ofLiteral(literal), 1984)).isEqualTo(shown);
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1:1984, true", "[::1]:1984, true", "localhost:1984, true", "1984, false",
            "0.0.0.0:1984, false", "192.168.1.2:1984, false", "example.com:1984, false", ":1984, false"})
    void publishedOnLoopback(String published, boolean loopback) {
        assertThat(Addresses.publishedOnLoopback(published)).isEqualTo(loopback);
    }
}
