package bite.bench;

import bite.bench.BenchOptions.Op;
import bite.bench.BenchOptions.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {

    @Test
    void noArgumentsGiveTheDefaults() throws Exception {
        BenchOptions o = BenchOptions.parse();

        assertThat(o).isEqualTo(BenchOptions.defaults());
        assertThat(o.host()).isEqualTo("127.0.0.1");
        assertThat(o.port()).isEqualTo(1984);
        assertThat(o.clients()).isEqualTo(50);
        assertThat(o.pipeline()).isEqualTo(1);
        assertThat(o.requests()).isEqualTo(100_000);
        assertThat(o.timed()).isFalse();
        assertThat(o.warmup()).isZero();
        assertThat(o.op()).isEqualTo(Op.SET);
        assertThat(o.valueSize()).isEqualTo(32);
        assertThat(o.keys()).isEqualTo(10_000);
        assertThat(o.prefill()).isFalse();
        assertThat(o.getRatio()).isEqualTo(0.5);
        assertThat(o.help()).isFalse();
    }

    @Test
    void everyOptionIsRead() throws Exception {
        BenchOptions o = BenchOptions.parse("--host", "localhost", "--port", "7000", "--clients", "8",
                "--pipeline", "16", "--seconds", "2.5", "--warmup", "0.5", "--op", "mixed", "--value-size", "100", "--keys", "500",
                "--prefill", "--quiet", "--get-ratio", "0.9");

        assertThat(o.host()).isEqualTo("localhost");
        assertThat(o.port()).isEqualTo(7000);
        assertThat(o.clients()).isEqualTo(8);
        assertThat(o.pipeline()).isEqualTo(16);
        assertThat(o.seconds()).isEqualTo(2.5);
        assertThat(o.timed()).isTrue();
        assertThat(o.warmup()).isEqualTo(0.5);
        assertThat(o.op()).isEqualTo(Op.MIXED);
        assertThat(o.valueSize()).isEqualTo(100);
        assertThat(o.keys()).isEqualTo(500);
        assertThat(o.prefill()).isTrue();
        assertThat(o.quiet()).isTrue();
        assertThat(o.getRatio()).isEqualTo(0.9);
    }

    @Test
    void aPasswordIsReadAndNeverShown() throws Exception {
        assertThat(BenchOptions.parse().password()).isNull();

        BenchOptions o = BenchOptions.parse("--password", "s3cret word");

        assertThat(o.password()).isEqualTo("s3cret word");
        assertThat(o.toString()).contains("password=***").doesNotContain("s3cret");
        assertThat(BenchOptions.parse("--password=x").password()).isEqualTo("x");
        assertThatThrownBy(() -> BenchOptions.parse("--password", "")).isInstanceOf(UsageException.class)
                .hasMessage("--password must be non-empty, without control characters");
        assertThatThrownBy(() -> BenchOptions.parse("--password", "a\nset x 1")).isInstanceOf(UsageException.class)
                .hasMessageNotContaining("set x");
    }

    @Test
    void valuesMayBeGivenWithAnEqualsSign() throws Exception {
        BenchOptions o = BenchOptions.parse("--port=7001", "--requests=1_000", "--op=incr");

        assertThat(o.port()).isEqualTo(7001);
        assertThat(o.requests()).isEqualTo(1000);
        assertThat(o.op()).isEqualTo(Op.INCR);
    }

    @Test
    void subscribersSwitchToFanOut() throws Exception {
        BenchOptions o = BenchOptions.parse("--subscribers", "100", "--rate", "5000", "--channel", "room.1");

        assertThat(o.op()).isEqualTo(Op.PUBSUB);
        assertThat(o.subscribers()).isEqualTo(100);
        assertThat(o.rate()).isEqualTo(5000);
        assertThat(o.channel()).isEqualTo("room.1");
    }

    @Test
    void pubsubWithoutSubscribersUsesTheDefaultCount() throws Exception {
        BenchOptions o = BenchOptions.parse("--op", "pubsub", "--value-size", "64");

        assertThat(o.op()).isEqualTo(Op.PUBSUB);
        assertThat(o.subscribers()).isEqualTo(50);
    }

    @Test
    void helpIsAFlag() throws Exception {
        assertThat(BenchOptions.parse("--help").help()).isTrue();
        assertThat(BenchOptions.parse("-h").help()).isTrue();
        assertThat(BenchOptions.USAGE).contains("--clients", "--pipeline", "--subscribers", "--rate");
    }

    @Test
    void gameOptionsAreReadAndTheGameRunsTenSecondsByDefault() throws Exception {
        BenchOptions d = BenchOptions.parse("--op", "game");
        assertThat(d.game()).isEqualTo(new GameOptions(10, 100, 20, 50, false, 0));
        assertThat(d.seconds()).isEqualTo(10);

        BenchOptions o = BenchOptions.parse("--op", "game", "--rooms", "1", "--players", "500", "--hz", "30",
                "--every=0", "--proto", "redis", "--server-pid", "4242", "--seconds", "3", "--warmup", "2");

        assertThat(o.game()).isEqualTo(new GameOptions(1, 500, 30, 0, true, 4242));
        assertThat(o.seconds()).isEqualTo(3);
        assertThat(o.warmup()).isEqualTo(2);
        assertThat(o.game().writesPerSecond()).isEqualTo(15_000);
        assertThat(BenchOptions.USAGE).contains("--op game", "--rooms", "--every", "--server-pid");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --bogus                          | unknown option '--bogus'
            extra                            | unknown option 'extra'
            --port                           | missing value after --port
            --port abc                       | --port needs a whole number, not 'abc'
            --port 0                         | --port must be between 1 and 65535, not 0
            --port 65536                     | --port must be between 1 and 65535, not 65536
            --clients 0                      | --clients must be between 1
            --pipeline -1                    | --pipeline must be between 1
            --requests 0                     | --requests must be between 1
            --seconds 0                      | --seconds must be more than 0
            --seconds soon                   | --seconds needs a number of seconds, not 'soon'
            --seconds NaN                    | --seconds must be more than 0
            --requests 5 --seconds 1         | --requests and --seconds exclude each other
            --warmup -1                      | --warmup must be between 0 and 3600, not -1
            --warmup x                       | --warmup needs a number of seconds, not 'x'
            --subscribers 5 --warmup 1       | --warmup is for set, get, incr and mixed, not pubsub
            --op delete                      | --op must be set, get, incr, mixed, pubsub or game, not 'delete'
            --op SET                         | --op must be set, get, incr, mixed, pubsub or game, not 'SET'
            --value-size 0                   | --value-size must be between 1
            --keys 2147483648                | --keys must be between 1 and 2147483647
            --subscribers 5 --op get         | --subscribers needs --op pubsub, not --op get
            --subscribers 5 --value-size 10  | --value-size must be at least 24 for pubsub
            --channel a_b\\001               | --channel must be a key without spaces or control characters
            --prefill=yes                    | --prefill takes no value
            --host=                          | --host must not be empty
            --op mixed --get-ratio 1.5       | --get-ratio must be from 0 to 1, not 1.5
            --op mixed --get-ratio -0.1      | --get-ratio must be from 0 to 1, not -0.1
            --op mixed --get-ratio most      | --get-ratio needs a number from 0 to 1, not 'most'
            --get-ratio 0.9                  | --get-ratio is for --op mixed, not --op set
            --rooms 2                        | --rooms, --players, --hz, --every, --proto and --server-pid are
            --op game --requests 5           | --op game runs for --seconds, not --requests
            --op game --proto memcached      | --proto must be bite or redis, not 'memcached'
            --op game --every 60001          | --every must be between 0 and 60000, not 60001
            --op game --players 0            | --players must be between 1
            --op game --hz 0                 | --hz must be between 1
            --op game --proto redis --password p | --password is for Bite, not --proto redis
            """)
    void badCommandLinesAreRefusedWithAReason(String line, String message) {
        String[] args = line.translateEscapes().split(" ");

        assertThatThrownBy(() -> BenchOptions.parse(args))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith(message);
    }
}
