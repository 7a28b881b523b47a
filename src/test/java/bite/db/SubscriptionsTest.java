package bite.db;

import bite.Seeds;
import bite.command.Command.Kind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static bite.command.Command.Kind.JSON;
import static bite.command.Command.Kind.KEYED;
import static bite.command.Command.Kind.VALUE;
import static org.assertj.core.api.Assertions.assertThat;

/** The registry on its own: one subscription per (client, key, kind), matched on the key and its ancestors. */
class SubscriptionsTest {

    private final Subscriptions subs = new Subscriptions();
    private final RecordingClient x = new RecordingClient("x");
    private final RecordingClient y = new RecordingClient("y");

    @Test
    void countsOnePerClientKeyAndKind() {
        assertThat(subs.isEmpty()).isTrue();
        subs.subscribe(x, "a", VALUE);
        subs.subscribe(x, "a", VALUE);
        subs.subscribe(x, "a", KEYED);
        subs.subscribe(x, "a.b", JSON);
        subs.subscribe(y, "a", VALUE);
        assertThat(subs.count()).isEqualTo(4);
        assertThat(subs.isEmpty()).isFalse();
    }

    @Test
    void aTickBatchedFlagRidesBesideItsKindAndNeverCountsAsASubscription() {
        subs.subscribe(x, "room", KEYED);
        subs.subscribe(x, "room", VALUE);
        subs.subscribe(y, "room", KEYED);
        subs.setBatched(x, "room", KEYED, true);
        subs.setBatched(y, "room", JSON, true); // y has no JSON subscription there: nothing to mark
        subs.setBatched(x, "elsewhere", KEYED, true);

        List<String> seen = new ArrayList<>();
        subs.forEachMatch("room.a", (key, client, kinds) -> seen.add(client.name() + " " + kinds));
        int xKinds = Subscriptions.bit(KEYED) | Subscriptions.bit(VALUE) | Subscriptions.batchedBit(KEYED);
        assertThat(seen).containsExactlyInAnyOrder("x " + xKinds, "y " + Subscriptions.bit(KEYED));
        assertThat(subs.count()).isEqualTo(3);

        subs.setBatched(x, "room", KEYED, false);
        seen.clear();
        subs.forEachMatch("room", (key, client, kinds) -> seen.add(client.name() + " " + kinds));
        assertThat(seen).contains("x " + (Subscriptions.bit(KEYED) | Subscriptions.bit(VALUE)));

        subs.setBatched(y, "room", KEYED, true);
        subs.unsubscribe(y, "room");
        subs.unsubscribe(x, "room");
        assertThat(subs.count()).as("a flag is not a subscription").isZero();
        subs.subscribe(y, "room", KEYED);
        seen.clear();
        subs.forEachMatch("room", (key, client, kinds) -> seen.add(client.name() + " " + kinds));
        assertThat(seen).as("a new subscription starts unmarked").containsExactly("y " + Subscriptions.bit(KEYED));
    }

    @Test
    void theTaggedFlagFollowsTheClientOnEveryKeyAndKind() {
        subs.subscribe(x, "a", VALUE);
        subs.subscribe(x, "b", KEYED);
        subs.subscribe(y, "a", VALUE);
        subs.setTagged(x, true);
        subs.subscribe(x, "c", JSON, true); // made while x speaks protocol 3
        subs.subscribe(x, "a", KEYED, true); // a second kind on a key x was on

        assertThat(visits("a")).containsExactlyInAnyOrder(
                "x " + (Subscriptions.bit(VALUE) | Subscriptions.bit(KEYED) | Subscriptions.TAGGED),
                "y " + Subscriptions.bit(VALUE));
        assertThat(visits("b")).containsExactly("x " + (Subscriptions.bit(KEYED) | Subscriptions.TAGGED));
        assertThat(visits("c")).containsExactly("x " + (Subscriptions.bit(JSON) | Subscriptions.TAGGED));
        assertThat(subs.count()).isEqualTo(5);

        subs.setTagged(x, false);
        assertThat(visits("a")).contains("x " + (Subscriptions.bit(VALUE) | Subscriptions.bit(KEYED)));
        assertThat(visits("c")).containsExactly("x " + Subscriptions.bit(JSON));
        subs.unsubscribe(y, "a");
        subs.setTagged(x, true);
        assertThat(visits("a")).as("back to a lone client: the flag kept")
                .containsExactly("x " + (Subscriptions.bit(VALUE) | Subscriptions.bit(KEYED) | Subscriptions.TAGGED));
    }

    private List<String> visits(String key) {
        List<String> seen = new ArrayList<>();
        subs.forEachMatch(key, (k, client, kinds) -> {
            if (k.equals(key)) seen.add(client.name() + " " + kinds);
        });
        return seen;
    }

    @Test
    void unsubscribeRemovesEveryKindOnThatKeyOfThatClientOnly() {
        subs.subscribe(x, "a", VALUE);
        subs.subscribe(x, "a", KEYED);
        subs.subscribe(x, "a", JSON);
        subs.subscribe(x, "a.b", VALUE);
        subs.subscribe(y, "a", VALUE);
        subs.unsubscribe(x, "a");
        assertThat(subs.count()).isEqualTo(2);
        assertThat(matches("a.b.c")).containsExactlyInAnyOrder("a y VALUE", "a.b x VALUE");
        subs.unsubscribe(x, "a");
        subs.unsubscribe(x, "nothing");
        subs.unsubscribe(new RecordingClient("never"), "a");
        assertThat(subs.count()).isEqualTo(2);
        subs.unsubscribe(y, "a");
        subs.unsubscribe(x, "a.b");
        assertThat(subs.count()).isZero();
        assertThat(subs.isEmpty()).isTrue();
        assertThat(matches("a.b")).isEmpty();
    }

    @Test
    void removeClientForgetsEverythingItSubscribed() {
        subs.subscribe(x, "a", VALUE);
        subs.subscribe(x, "a", JSON);
        subs.subscribe(x, "b.c", KEYED);
        subs.subscribe(y, "b.c", KEYED);
        subs.removeClient(x);
        assertThat(subs.count()).isEqualTo(1);
        assertThat(matches("a")).isEmpty();
        assertThat(matches("b.c.d")).containsExactly("b.c y KEYED");
        subs.removeClient(x);
        subs.removeClient(y);
        assertThat(subs.count()).isZero();
        assertThat(subs.isEmpty()).isTrue();
        // and a client can come back afterwards
        subs.subscribe(x, "a", VALUE);
        assertThat(subs.count()).isEqualTo(1);
        assertThat(matches("a")).containsExactly("a x VALUE");
    }

    @Test
    void matchesTheKeyAndItsAncestorsOnDotBoundaries() {
        for (String key : List.of("a", "a.b", "a.b.c", "a.b.c.d", "a.bc", "ab", "a-b", "b", "a.b.c-d")) {
            subs.subscribe(x, key, VALUE);
        }
        assertThat(matches("a.b.c")).containsExactlyInAnyOrder("a x VALUE", "a.b x VALUE", "a.b.c x VALUE");
        assertThat(matches("a")).containsExactly("a x VALUE");
        assertThat(matches("z.a.b")).isEmpty();
    }

    /**
     * Random subscribes, unsubscribes and removals by three clients on four keys against a set of (client, key,
     * kind): the registry's compact forms (one client on a key, one key of a client) and their maps and sets must
     * agree with it at every step.
     */
    @Test
    void agreesWithASetOfSubscriptionsUnderRandomChanges() {
        long seed = Seeds.seed();
        java.util.Random r = new java.util.Random(seed);
        List<RecordingClient> clients = List.of(x, y, new RecordingClient("z"));
        List<String> keys = List.of("a", "a.b", "a.b.c", "d");
        java.util.Set<String> model = new java.util.TreeSet<>();
        for (int step = 0; step < 5_000; step++) {
            RecordingClient c = clients.get(r.nextInt(clients.size()));
            String key = keys.get(r.nextInt(keys.size()));
            int op = r.nextInt(10);
            if (op < 6) {
                Kind kind = Kind.values()[r.nextInt(Kind.values().length)];
                subs.subscribe(c, key, kind);
                model.add(key + " " + c.name() + " " + kind);
            } else if (op < 9) {
                subs.unsubscribe(c, key);
                model.removeIf(m -> m.startsWith(key + " " + c.name() + " "));
            } else {
                subs.removeClient(c);
                model.removeIf(m -> m.split(" ")[1].equals(c.name()));
            }
            assertThat(subs.count()).as("seed %d, step %d", seed, step).isEqualTo(model.size());
            assertThat(subs.isEmpty()).isEqualTo(model.isEmpty());
            assertThat(new java.util.TreeSet<>(matches("a.b.c"))).as("seed %d, step %d", seed, step)
                    .isEqualTo(new java.util.TreeSet<>(model.stream().filter(m -> !m.startsWith("d ")).toList()));
            assertThat(matches("d")).containsExactlyInAnyOrderElementsOf(
                    model.stream().filter(m -> m.startsWith("d ")).toList());
        }
    }

    private List<String> matches(String changed) {
        List<String> seen = new ArrayList<>();
        subs.forEachMatch(changed, (key, client, kinds) -> {
            for (Kind kind : Kind.values()) {
                if ((kinds & Subscriptions.bit(kind)) != 0) seen.add(key + " " + client.name() + " " + kind);
            }
        });
        return seen;
    }
}
