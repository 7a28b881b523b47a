package bite.db;

import bite.storage.Change;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** PROTOCOL.md "Protocol 3", applied to the database directly: tags, revisions, from=, every= and dd. */
class DatabaseProtocol3Test {

    private final DatabaseHarness h = new DatabaseHarness();
    private final RecordingClient writer = new RecordingClient("writer");
    private final RecordingClient c = new RecordingClient("c");

    private String epoch() {
        return h.db.events().epoch();
    }

    @Test
    void helloThreeIssuesOneSessionPerConnectionAndTagsEveryLaterReply() {
        String hello = h.ask(c, "hello 3");
        assertThat(hello).matches("=OK 3 [0-9a-f]{16} [0-9a-f]{32}").startsWith("=OK 3 " + epoch() + " ");
        assertThat(h.ask(c, "hello 3")).as("the same session").isEqualTo(hello);
        assertThat(h.ask(writer, "hello 3")).as("another connection, another session")
                .startsWith("=OK 3 " + epoch() + " ").isNotEqualTo(hello);
        assertThat(h.ask(c, "s a 1")).isEqualTo("=OK");
        assertThat(h.ask(c, "s? a 2")).isEqualTo("=NO");
        assertThat(h.ask(c, "g a")).isEqualTo("=1");
        assertThat(h.ask(c, "g nothing")).isEqualTo("=");
        assertThat(h.ask(c, "x")).isEqualTo("=ERR unknown command 'x'");
        assertThat(h.ask(c, "hello 4")).isEqualTo("=ERR unsupported protocol");
        assertThat(h.ask(c, "j a")).isEqualTo("=\"1\"");
        h.send(c, "s b.x 1", "s b.y 2");
        assertThat(h.ask(c, "k b")).isEqualTo("=x 1\0y 2");
        assertThat(h.ask(c, "+1 n")).isEqualTo("=1");

        assertThat(h.ask(c, "hello 2")).as("answered untagged").isEqualTo("OK");
        assertThat(h.ask(c, "g a")).isEqualTo("1");
        assertThat(h.ask(c, "hello 3")).as("the same session again").isEqualTo(hello);
    }

    @Test
    void everyEventGetsTheNextRevisionWhateverProtocolAndWhoeverListens() {
        h.send(writer, "s a 1", "s? a 2", "s? b 1", "sl |c 1|d 2", "+1 n", "+ a x", "d a", "d a", "! e hi",
                "#g f v", "#- f bye", "#g f", "g a", "k", "x");
        // s, s? b, two sl items, +1, +, d, !, #g with a value, #- with a value: 10 (s? a, d a twice, reads: none)
        assertThat(h.send(c, "hello 3", "#k zz")).last().isEqualTo("reply =OK 10");
    }

    @Test
    void pushesToAProtocol3SubscriberAreTaggedWithKindKeyAndRevision() {
        h.send(c, "hello 3", "#g room.7", "#k room.7", "#j room");
        h.send(writer, "s room.7.p1.x 10", "d room.7.p1.x", "! room.7 hi");
        assertThat(c.take()).containsExactlyInAnyOrder(
                "push >g room.7 1 10", "push >k room.7 1 p1.x 10", "push >j room 1 {\"7\":{\"p1\":{\"x\":\"10\"}}}",
                "push >g room.7 2 ", "push >k room.7 2 p1.x", "push >j room 2 {\"7\":{\"p1\":{\"x\":null}}}",
                "push >g room.7 3 hi", "push >k room.7 3 7 hi", "push >j room 3 {\"7\":\"hi\"}");
    }

    @Test
    void theProtocolsExampleSession() {
        for (int i = 0; i < 40; i++) h.send(writer, "! warmup x");
        h.ask(c, "hello 3");
        assertThat(h.send(c, "#k room.7")).containsExactly("reply =OK 40");
        assertThat(h.send(c, "s room.7.p1.x 11")).containsExactly("push >k room.7 41 p1.x 11", "reply =OK");
        assertThat(h.send(c, "g room.7.p1.x")).containsExactly("reply =11");
        assertThat(h.send(c, "#k room.7 from=" + epoch() + ":40"))
                .containsExactly("push >k room.7 41 p1.x 11", "reply =OK 41");
    }

    @Test
    void fromReplaysExactlyWhatTheSubscriptionWouldHavePushed() {
        h.send(writer, "s room.1.a 1", "s room.10.a 2", "s room.1 x", "d room.1.a", "s room 0", "! room.1.b hey",
                "dd room.1");
        h.ask(c, "hello 3");
        assertThat(h.send(c, "#g room.1 from=" + epoch() + ":1")).containsExactly(
                "push >g room.1 3 x", "push >g room.1 4 ", "push >g room.1 6 hey", "push >g room.1 7 ",
                "reply =OK 7");
        assertThat(h.send(c, "#j room.1 from=" + epoch() + ":7")).as("nothing missed").containsExactly("reply =OK 7");
        h.send(writer, "s room.1.c 5");
        assertThat(c.take()).as("live pushes after the replay, from both subscriptions")
                .containsExactlyInAnyOrder("push >g room.1 8 5", "push >j room.1 8 {\"c\":\"5\"}");
    }

    @Test
    void fromThatCannotBeServedAnswersNoAndSubscribesAllTheSame() {
        DatabaseHarness small = new DatabaseHarness(Map.of(), 1024, 3);
        for (int i = 1; i <= 10; i++) small.send(writer, "s k " + i);
        String epoch = small.db.events().epoch();
        small.ask(c, "hello 3");
        assertThat(small.send(c, "#g k from=" + epoch + ":6")).as("oldest - 2").containsExactly("reply =NO 10");
        assertThat(small.send(c, "#g k from=" + epoch + ":11")).as("NOW + 1").containsExactly("reply =NO 10");
        assertThat(small.send(c, "#g k from=0123456789abcdef:10")).as("another epoch").containsExactly("reply =NO 10");
        assertThat(small.send(c, "#g k from=" + epoch + ":7")).as("oldest - 1")
                .containsExactly("push >g k 8 8", "push >g k 9 9", "push >g k 10 10", "reply =OK 10");
        assertThat(small.send(c, "#g k from=" + epoch + ":10")).as("NOW").containsExactly("reply =OK 10");
        small.send(writer, "s k 11");
        assertThat(c.take()).as("one subscription, made by the =NO").containsExactly("push >g k 11 11");

        DatabaseHarness none = new DatabaseHarness(Map.of(), 1024, 0);
        none.send(writer, "s k 1");
        none.ask(c, "hello 3");
        String e = none.db.events().epoch();
        assertThat(none.send(c, "#g k from=" + e + ":0")).as("--history 0").containsExactly("reply =NO 1");
        assertThat(none.send(c, "#g k from=" + e + ":1")).as("--history 0, REV = NOW").containsExactly("reply =OK 1");
    }

    @Test
    void aLongReplayGoesOutOverSeveralStepsAndHoldsTheConnectionsLaterOutputBehindIt() {
        DatabaseHarness big = new DatabaseHarness(Map.of(), 1024, 10_000);
        int events = 3 * HeldOutput.STEP + 10;
        for (int i = 1; i <= events; i++) big.send(writer, "s room.k" + (i % 7) + " " + i);
        String epoch = big.db.events().epoch();
        big.ask(c, "hello 3");
        RecordingClient other = new RecordingClient("other");
        big.send(other, "#g room"); // protocol 2, subscribed: served in between

        big.apply(c, "#k room from=" + epoch + ":0");
        big.apply(c, "g room.k1");
        big.apply(writer, "s room.k1 live"); // happens during the replay: after =OK on c
        big.deliver();
        CompletableFuture<Void> request = new CompletableFuture<>();
        assertThat(big.db.events().holdDone(c, request)).as("c's output is held").isTrue();
        List<String> first = c.take();
        assertThat(first).as("nothing of c's goes out before the replay does").isEmpty();
        assertThat(other.take()).as("others are served at once").containsExactly("push live");

        List<CompletableFuture<Void>> released = new ArrayList<>();
        int steps = big.runHeldSteps(released);
        assertThat(steps).as("no step pushes more than a step's worth").isGreaterThanOrEqualTo(4);
        assertThat(released).containsExactly(request);
        List<String> got = c.take();
        assertThat(got).hasSize(events + 3);
        for (int i = 1; i <= events; i++) {
            assertThat(got.get(i - 1)).isEqualTo("push >k room " + i + " k" + (i % 7) + " " + i);
        }
        int lastK1 = events;
        while (lastK1 % 7 != 1) lastK1--;
        assertThat(got.subList(events, events + 3)).as("the reply, then what was held behind it, in order")
                .containsExactly("reply =OK " + events, "reply =" + lastK1, "push >k room " + (events + 1) + " k1 live");
    }

    @Test
    void ddDeletesTheSubtreeAsOneStepOneEventPerKeyInKeyOrder() {
        h.send(writer, "s a 0", "s a.b 1", "s a.b.c 2", "s a.c 3", "s ab 4", "s a-b 5");
        h.db.drainChanges();
        RecordingClient plain = new RecordingClient("plain");
        h.send(plain, "#k a");
        h.send(c, "hello 3", "#g a");
        assertThat(h.send(writer, "dd a")).containsExactly("reply OK");
        assertThat(plain.take()).containsExactly("push a", "push b", "push b.c", "push c");
        assertThat(c.take()).containsExactly("push >g a 7 ", "push >g a 8 ", "push >g a 9 ", "push >g a 10 ");
        assertThat(h.db.drainChanges()).as("one change-set: one log record").containsExactly(
                new Change("a", null), new Change("a.b", null), new Change("a.b.c", null), new Change("a.c", null));
        assertThat(h.db.keyspace().size()).as("ab and a-b stay").isEqualTo(2);
        assertThat(h.send(writer, "dd a")).as("nothing there").containsExactly("reply OK");
        assertThat(h.send(c, "#k zz")).as("no event").containsExactly("reply =OK 10");
    }

    @Test
    void everyBatchesTheLatestEventPerKeyOncePerWindow() {
        h.advanceTo(1_000);
        h.ask(c, "hello 3");
        assertThat(h.send(c, "#k room every=50")).containsExactly("reply =OK 0");
        h.advanceTo(1_010);
        h.send(writer, "s room.a 1", "s room.b 1", "s room.a 2", "d room.b", "s room.b 3", "! room.c hi");
        assertThat(c.take()).as("nothing before the window ends").isEmpty();
        assertThat(h.tickTimes()).containsExactly(1_050L);
        h.advanceTo(1_050);
        assertThat(c.take()).containsExactly("batch >k room 3 a 2 | >k room 5 b 3 | >k room 6 c hi");

        c.outputDrained(false); // the socket has not taken that batch yet: merge
        h.advanceTo(1_060);
        h.send(writer, "s room.a 3");
        h.advanceTo(1_100);
        h.send(writer, "s room.a 4", "d room.b");
        h.advanceTo(1_150);
        assertThat(c.take()).isEmpty();
        c.outputDrained(true);
        h.advanceTo(1_200);
        assertThat(c.take()).containsExactly("batch >k room 8 a 4 | >k room 9 b");
        h.advanceTo(5_000);
        assertThat(c.take()).as("empty windows send nothing").isEmpty();
        assertThat(h.tickTimes()).isEmpty();

        h.send(writer, "s room.a 5");
        assertThat(h.send(c, "#k room")).as("resubscribing replaces the options").containsExactly("reply =OK 10");
        h.advanceTo(6_000);
        assertThat(c.take()).as("the batch of a replaced subscription is dropped").isEmpty();
        h.send(writer, "s room.a 6");
        assertThat(c.take()).containsExactly("push >k room 11 a 6");
    }

    @Test
    void everySubscriberOfARoomHasItsOwnWindowsAndIsAskedForATickAgainAfterEachBatch() {
        RecordingClient d = new RecordingClient("d");
        h.ask(c, "hello 3");
        h.ask(d, "hello 3");
        h.send(c, "#k room every=50"); // windows [0,50), [50,100), ...
        h.advanceTo(20);
        h.send(d, "#k room every=50"); // windows [20,70), [70,120), ...
        h.send(writer, "s room.a 1");
        assertThat(h.tickTimes()).as("one timer wake-up: the earliest window end").containsExactly(50L);
        h.advanceTo(50);
        assertThat(c.take()).containsExactly("push >k room 1 a 1");
        assertThat(d.take()).as("d's window is still open").isEmpty();
        h.advanceTo(70);
        assertThat(d.take()).containsExactly("push >k room 1 a 1");

        for (int round = 0; round < 3; round++) { // each batch leaves its subscription waiting for the next event
            long t = 100 + round * 100L;
            h.advanceTo(t + 10);
            h.send(writer, "s room.a " + (round + 2), "s room.b " + round);
            h.advanceTo(t + 99);
            int a = 2 + 2 * round;
            assertThat(c.take()).as("round %d", round)
                    .containsExactly("batch >k room " + a + " a " + (round + 2) + " | >k room " + (a + 1) + " b " + round);
            assertThat(d.take()).as("round %d", round)
                    .containsExactly("batch >k room " + a + " a " + (round + 2) + " | >k room " + (a + 1) + " b " + round);
        }
        assertThat(h.tickTimes()).as("nothing pending: no wake-up asked for").isEmpty();
    }

    @Test
    void helloTwoEndsTickBatchingItsPushesGoOutAtOnceUntagged() {
        h.ask(c, "hello 3");
        h.send(c, "#g k every=1000");
        h.send(writer, "s k 1");
        assertThat(c.take()).isEmpty();
        assertThat(h.ask(c, "hello 2")).isEqualTo("OK");
        h.send(writer, "s k 2");
        assertThat(c.take()).as("at once, as protocol 2 forms it").containsExactly("push 2");
        h.advanceTo(5_000);
        assertThat(c.take()).as("no batch is left to go out").isEmpty();
    }

    @Test
    void aSingleEventInAWindowStillGoesOutAsABatchLine() {
        h.ask(c, "hello 3");
        h.send(c, "#g k every=10");
        h.send(writer, "s k v");
        h.advanceTo(10);
        assertThat(c.take()).containsExactly("push >g k 1 v");
        h.send(c, "#- k");
        h.send(writer, "s k w");
        h.advanceTo(100);
        assertThat(c.take()).isEmpty();
    }
}
