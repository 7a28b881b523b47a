package bite.db;

import bite.Seeds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random interleavings of writes, {@code dd}, notifications, clock ticks and reconnects that resume with
 * {@code from=} (or reload with {@code k} after {@code =NO}), checked against a reference model of the data and its
 * event log: a protocol-3 subscriber's reconstructed view always equals the model's subtree, a plain one gets
 * every event exactly once in revision order, and an {@code every=} one catches up once its windows have passed.
 */
class Protocol3ModelTest {

    private static final String[] KEYS = {"room.a.x", "room.a.y", "room.b.x", "room.b", "room.c.d.e", "other.z"};
    private static final int HISTORY = 40;

    /** One subscriber as a client library would keep it: its view of the subtree and the last revision seen. */
    private final class Subscriber {
        final boolean every;
        final int everyMillis; // its window when tick-batched
        RecordingClient conn;
        final Map<String, String> view = new TreeMap<>();
        long lastRevision;
        final List<Long> revisions = new ArrayList<>(); // every revision pushed to it (plain only)
        int reloads;

        Subscriber(boolean every) {
            this(every, 20);
        }

        Subscriber(boolean every, int everyMillis) {
            this.every = every;
            this.everyMillis = everyMillis;
        }

        /** Connects, says hello 3, subscribes (resuming when it can) and reloads after =NO. */
        void connect(boolean resume) {
            conn = new RecordingClient(every ? "every" : "plain");
            String hello = h.ask(conn, "hello 3");
            epoch = hello.split(" ")[2];
            String options = (every ? " every=" + everyMillis : "") + (resume ? " from=" + epoch + ":" + lastRevision : "");
            List<String> got = h.send(conn, "#k room" + options, "k room");
            String reply = got.get(got.size() - 2);
            for (String line : got.subList(0, got.size() - 2)) apply(line);
            if (reply.startsWith("reply =NO ") || !resume) {
                reloads++;
                view.clear();
                String listing = got.getLast().substring("reply =".length());
                if (!listing.isEmpty()) {
                    for (String item : listing.split("\0")) {
                        int space = item.indexOf(' ');
                        view.put(item.substring(0, space), item.substring(space + 1));
                    }
                }
                lastRevision = Long.parseLong(reply.substring(reply.lastIndexOf(' ') + 1));
                revisions.clear();
                revisionsFrom = lastRevision;
            } else {
                assertThat(reply).isEqualTo("reply =OK " + model.log.size());
            }
        }

        long revisionsFrom;

        void disconnect() {
            h.db.disconnected(conn, false);
        }

        void readAll() {
            for (String line : conn.take()) apply(line);
        }

        private void apply(String line) {
            List<String> pushes = line.startsWith("batch ")
                    ? List.of(line.substring("batch ".length()).split(" \\| "))
                    : List.of(line.substring("push ".length()));
            for (String push : pushes) {
                String[] parts = push.split(" ", 5);
                assertThat(parts[0] + " " + parts[1]).isEqualTo(">k room");
                long revision = Long.parseLong(parts[2]);
                assertThat(revision).as("revisions only go up: %s", push).isGreaterThan(lastRevision);
                lastRevision = revision;
                if (!every) revisions.add(revision);
                if (parts.length == 5) view.put(parts[3], parts[4]);
                else view.remove(parts[3]);
            }
        }
    }

    /** The data and the event log: what every subscriber must agree with. */
    private static final class Model {
        final Map<String, String> data = new TreeMap<>();
        final List<String[]> log = new ArrayList<>(); // {key, value or null}; revision = index + 1

        void event(String key, String value) {
            log.add(new String[] {key, value});
        }

        Map<String, String> room() {
            Map<String, String> m = new TreeMap<>();
            data.forEach((k, v) -> {
                if (k.startsWith("room.")) m.put(k.substring("room.".length()), v);
            });
            return m;
        }

        List<Long> roomRevisionsAfter(long from) {
            List<Long> revs = new ArrayList<>();
            for (int i = (int) from; i < log.size(); i++) if (log.get(i)[0].startsWith("room.")) revs.add(i + 1L);
            return revs;
        }
    }

    private final DatabaseHarness h = new DatabaseHarness(Map.of(), 1 << 20, HISTORY);
    private final Model model = new Model();
    private final RecordingClient writer = new RecordingClient("writer");
    private String epoch;
    private long now;

    @Test
    void subscribersAlwaysAgreeWithTheModel() {
        long seed = Seeds.seed();
        Random r = new Random(seed);
        Subscriber plain = new Subscriber(false);
        Subscriber every = new Subscriber(true);
        Subscriber every2 = new Subscriber(true, 35); // shares the key's batched events with the first, own windows
        plain.connect(false);
        every.connect(false);
        every2.connect(false);
        int resumed = 0;
        for (int step = 0; step < 3_000; step++) {
            String why = "seed " + seed + ", step " + step;
            int op = r.nextInt(100);
            String key = KEYS[r.nextInt(KEYS.length)];
            if (op < 45) {
                String value = "v" + step;
                h.send(writer, "s " + key + " " + value);
                model.data.put(key, value);
                model.event(key, value);
            } else if (op < 60) {
                h.send(writer, "d " + key);
                if (model.data.remove(key) != null) model.event(key, null);
            } else if (op < 65) {
                String top = r.nextBoolean() ? "room.a" : "room";
                h.send(writer, "dd " + top);
                for (String k : new ArrayList<>(model.data.keySet())) {
                    if (k.equals(top) || k.startsWith(top + ".")) {
                        model.data.remove(k);
                        model.event(k, null);
                    }
                }
            } else if (op < 70) {
                h.send(writer, "! other.n hi");
                model.event("other.n", "hi");
            } else if (op < 85) {
                now += r.nextInt(30);
                h.advanceTo(now);
            } else {
                Subscriber s = switch (r.nextInt(3)) {
                    case 0 -> plain;
                    case 1 -> every;
                    default -> every2;
                };
                s.readAll();
                s.disconnect();
                // some writes happen while it is away: sometimes more than the history holds
                int away = r.nextInt(4) == 0 ? HISTORY + r.nextInt(20) : r.nextInt(10);
                for (int i = 0; i < away; i++) {
                    String k = KEYS[r.nextInt(KEYS.length)];
                    h.send(writer, "s " + k + " away" + step + "." + i);
                    model.data.put(k, "away" + step + "." + i);
                    model.event(k, "away" + step + "." + i);
                }
                int reloads = s.reloads;
                s.connect(true);
                if (s.reloads == reloads) resumed++;
            }
            plain.readAll();
            assertThat(plain.view).as(why).isEqualTo(model.room());
            assertThat(plain.revisions).as("%s: each event once, in order", why)
                    .isEqualTo(model.roomRevisionsAfter(plain.revisionsFrom));
            every.readAll();
            every2.readAll();
        }
        now += 100;
        h.advanceTo(now);
        every.readAll();
        every2.readAll();
        assertThat(every.view).as("seed %d: the every= subscriber, its windows passed", seed).isEqualTo(model.room());
        assertThat(every2.view).as("seed %d: the second every= subscriber", seed).isEqualTo(model.room());
        assertThat(resumed).as("seed %d: some reconnects resumed without a reload", seed).isPositive();
        assertThat(plain.reloads + every.reloads + every2.reloads).as("seed %d: some had to reload", seed).isGreaterThan(2);
    }
}
