package bite.db;

import bite.command.Command;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** The database thread's per-command work for point reads and writes (no subscribers): map, output, changes. */
@State(Scope.Thread)
public class KeyspaceBench {

    @Param({"10000", "1000000"})
    int keys;

    private Database database;
    private final Client requester = new Client() {
        @Override
        public void reply(byte[] lines) {
        }

        @Override
        public boolean push(byte[] line) {
            return true;
        }

        @Override
        public String name() {
            return "bench";
        }
    };

    @Setup
    public void fill() {
        Map<String, String> initial = new HashMap<>();
        for (int i = 0; i < keys; i++) initial.put("key:" + i, "v".repeat(32));
        database = new Database(initial, 1024 * 1024);
    }

    @Benchmark
    public Object get() {
        database.apply(requester, new Command.Get("key:" + ThreadLocalRandom.current().nextInt(keys)));
        return database.output().drain();
    }

    @Benchmark
    public Object set() {
        database.apply(requester, new Command.Set("key:" + ThreadLocalRandom.current().nextInt(keys), "w".repeat(32)));
        database.drainChanges();
        return database.output().drain();
    }
}
