package bite.db;

import bite.command.Command;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Map;

/**
 * One write to a key with N subscribers on an ancestor: encoding the push once, filing it for every subscriber,
 * and handing the output out (the subscribers' queues are counters here, so this is the database's share only).
 */
@State(Scope.Thread)
public class FanoutBench {

    @Param({"100", "1000"})
    int subscribers;

    private Database database;
    private Client writer;
    long pushes;

    private Client client(String name) {
        return new Client() {
            @Override
            public void reply(byte[] lines) {
            }

            @Override
            public boolean push(byte[] line) {
                pushes++;
                return true;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    @Setup
    public void subscribe() {
        database = new Database(Map.of(), 1024 * 1024);
        for (int i = 0; i < subscribers; i++) {
            database.apply(client("sub-" + i), new Command.Subscribe(Command.Kind.VALUE, "room.1", null));
        }
        database.output().drain();
        writer = client("writer");
    }

    @Benchmark
    public long setWithSubscribers() {
        database.apply(writer, new Command.Set("room.1.p1.x", "1034"));
        database.drainChanges();
        database.output().drain().deliver();
        return pushes;
    }

    /** A notify, drained and delivered (what bite-db does, at once or once earlier batches are durable). */
    @Benchmark
    public long notifyWithSubscribers() {
        database.apply(writer, new Command.Notify("room.1", "tick"));
        BatchOutput.Deliveries out = database.output().drain();
        out.deliver();
        database.output().recycle(out);
        return pushes;
    }
}
