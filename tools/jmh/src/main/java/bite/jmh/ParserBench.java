package bite.jmh;

import bite.command.Command;
import bite.protocol.CommandParser;
import bite.protocol.Frame;
import bite.protocol.LineFramer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;

/** The connection thread's per-request work: framing bytes into lines and parsing lines into commands. */
@State(Scope.Thread)
public class ParserBench {

    private final CommandParser parser = new CommandParser(1024);
    private final byte[] sixteenSets = "s room.7.player.12.pos 1034,220\n".repeat(16).getBytes(StandardCharsets.UTF_8);

    @Benchmark
    public Command parseSet() {
        return parser.parse("s room.7.player.12.pos 1034,220");
    }

    @Benchmark
    public Command parseGet() {
        return parser.parse("g room.7.player.12.pos");
    }

    /** One pipelined read of 16 requests: frame and parse them all. */
    @Benchmark
    public void frameAndParseSixteen(Blackhole bh) {
        LineFramer framer = new LineFramer(1024 * 1024);
        framer.feed(sixteenSets, 0, sixteenSets.length);
        for (Frame f = framer.next(); f != null; f = framer.next()) {
            bh.consume(parser.parse(((Frame.Line) f).text()));
        }
    }
}
