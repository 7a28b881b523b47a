package bite.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** PROTOCOL.md "Subscriptions and pushes": who is notified, what each kind of subscription gets, and in what order. */
class DatabasePushTest {

    private final DatabaseHarness h = new DatabaseHarness();
    private final RecordingClient writer = new RecordingClient("writer");
    private final RecordingClient x = new RecordingClient("x");
    private final RecordingClient y = new RecordingClient("y");
    private final RecordingClient z = new RecordingClient("z");

    static Stream<Arguments> pushFormats() {
        String none = "";
        return Stream.of(
                // subscribed key, setup, change, then the push to #g, #k and #j
                arguments("room.7", none, "s room.7.p1.x 10", "10", "p1.x 10", "{\"p1\":{\"x\":\"10\"}}"),
                arguments("room.7", none, "s room.7 open", "open", "7 open", "{\"7\":\"open\"}"),
                arguments("room.7", none, "s room.7", "", "7 ", "{\"7\":\"\"}"),
                arguments("room.7", none, "s room.7.p1 a  b", "a  b", "p1 a  b", "{\"p1\":\"a  b\"}"),
                arguments("room", none, "s room.7 open", "open", "7 open", "{\"7\":\"open\"}"),
                arguments("room", none, "s room 1", "1", "room 1", "{\"room\":\"1\"}"),
                arguments("a.b.c.d", none, "s a.b.c.d 1", "1", "d 1", "{\"d\":\"1\"}"),
                arguments("room.7", "s room.7.p1.x 10", "d room.7.p1.x", "", "p1.x", "{\"p1\":{\"x\":null}}"),
                arguments("room.7", "s room.7 open", "d room.7", "", "7", "{\"7\":null}"),
                arguments("room.7", "s room.7", "d room.7", "", "7", "{\"7\":null}"),
                arguments("room.7", none, "s? room.7.a v", "v", "a v", "{\"a\":\"v\"}"),
                arguments("room.7", none, "sl |room.7.a 1", "1", "a 1", "{\"a\":\"1\"}"),
                arguments("room.7", none, "+1 room.7.n", "1", "n 1", "{\"n\":\"1\"}"),
                arguments("room.7", "s room.7.n 007", "+1 room.7.n", "8", "n 8", "{\"n\":\"8\"}"),
                arguments("room.7", "s room.7.s x y", "+ room.7.s  abc ", "x yabc", "s x yabc", "{\"s\":\"x yabc\"}"),
                arguments("room.7", none, "! room.7.a hi there", "hi there", "a hi there", "{\"a\":\"hi there\"}"),
                arguments("room.7", none, "! room.7.a", "", "a ", "{\"a\":\"\"}"),
                arguments("room.7", none, "! room.7 x", "x", "7 x", "{\"7\":\"x\"}"),
                arguments("room.7", none, "s room.7.q a\"b\\c\td/é", "a\"b\\c\td/é", "q a\"b\\c\td/é",
                        "{\"q\":\"a\\\"b\\\\c\\td/é\"}"),
                arguments("room.7", none, "s room.7.k\"x.y 1", "1", "k\"x.y 1", "{\"k\\\"x\":{\"y\":\"1\"}}"),
                arguments("é", none, "s é.😀 \u0001", "\u0001", "😀 \u0001", "{\"😀\":\"\\u0001\"}"));
    }

    @ParameterizedTest(name = "{2} to {0}")
    @MethodSource("pushFormats")
    void eachKindOfSubscriptionGetsItsForm(String subscribed, String setup, String change, String g, String k,
                                           String j) {
        if (!setup.isEmpty()) h.send(writer, setup);
        assertThat(h.send(x, "#g " + subscribed)).containsExactly("reply OK");
        assertThat(h.send(y, "#k " + subscribed)).containsExactly("reply OK");
        assertThat(h.send(z, "#j " + subscribed)).containsExactly("reply OK");

        String reply = change.startsWith("+1") ? g : "OK"; // +1 answers with the new number
        assertThat(h.send(writer, change)).containsExactly("reply " + reply);

        assertThat(x.take()).containsExactly("push " + g);
        assertThat(y.take()).containsExactly("push " + k);
        assertThat(z.take()).containsExactly("push " + j);
    }

    @Test
    void aChangeNotifiesTheKeyAndItsAncestorsOnly() {
        Map<String, RecordingClient> subscribers = Map.of(
                "a", new RecordingClient("a"), "a.b", new RecordingClient("a.b"),
                "a.b.c", new RecordingClient("a.b.c"), "a.b.c.d", new RecordingClient("a.b.c.d"),
                "a.bc", new RecordingClient("a.bc"), "a.b.cd", new RecordingClient("a.b.cd"),
                "ab", new RecordingClient("ab"), "a-b", new RecordingClient("a-b"), "b", new RecordingClient("b"),
                "a.c", new RecordingClient("a.c"));
        subscribers.forEach((key, client) -> assertThat(h.send(client, "#k " + key)).containsExactly("reply OK"));

        assertThat(h.send(writer, "s a.b.c 1")).containsExactly("reply OK");

        assertThat(subscribers.get("a").take()).containsExactly("push b.c 1");
        assertThat(subscribers.get("a.b").take()).containsExactly("push c 1");
        assertThat(subscribers.get("a.b.c").take()).containsExactly("push c 1");
        for (String other : List.of("a.b.c.d", "a.bc", "a.b.cd", "ab", "a-b", "b", "a.c")) {
            assertThat(subscribers.get(other).take()).as(other).isEmpty();
        }
    }

    @Test
    void onePushPerMatchingSubscription() {
        h.send(x, "#k a");
        h.send(x, "#k a.b");
        h.send(x, "#g a.b");
        h.send(writer, "s a.b.c v");
        assertThat(x.take()).containsExactlyInAnyOrder("push b.c v", "push c v", "push v");
        h.send(writer, "s a.x w");
        assertThat(x.take()).containsExactly("push x w");
    }

    @Test
    void subscribingTwiceWithTheSameKindIsOneSubscription() {
        assertThat(h.send(x, "#g a", "#g a", "#G a")).containsExactly("reply OK", "reply OK", "reply OK");
        assertThat(h.db.subscriptionCount()).isEqualTo(1);
        h.send(writer, "s a 1");
        assertThat(x.take()).containsExactly("push 1");
        h.send(x, "#k a");
        assertThat(h.db.subscriptionCount()).isEqualTo(2);
    }

    @Test
    void farewellReachesEveryoneOnTheKeyThenUnsubscribesEveryKind() {
        h.send(x, "#g room.7", "#k room.7", "#g room.7.p");
        h.send(y, "#g room.7");
        h.send(z, "#j room");
        assertThat(h.db.subscriptionCount()).isEqualTo(5);

        List<String> got = h.send(x, "#- room.7 bye now");
        assertThat(got).hasSize(3);
        assertThat(got.subList(0, 2)).containsExactlyInAnyOrder("push bye now", "push 7 bye now");
        assertThat(got.getLast()).isEqualTo("reply OK");
        assertThat(y.take()).containsExactly("push bye now");
        assertThat(z.take()).containsExactly("push {\"7\":\"bye now\"}");
        assertThat(h.db.subscriptionCount()).isEqualTo(3);
        assertThat(h.ask(writer, "g room.7")).as("a farewell stores nothing").isEmpty();

        h.send(writer, "s room.7 x");
        assertThat(x.take()).as("no subscription of x on room.7 is left").isEmpty();
        assertThat(y.take()).containsExactly("push x");
        h.send(writer, "s room.7.p 1");
        assertThat(x.take()).as("its subscription on another key stays").containsExactly("push 1");
    }

    @Test
    void unsubscribeWithoutValuePushesNothing() {
        h.send(x, "#g a", "#k a", "#j a");
        h.send(y, "#g a");
        assertThat(h.send(x, "#- a")).containsExactly("reply OK");
        assertThat(y.take()).isEmpty();
        assertThat(h.db.subscriptionCount()).isEqualTo(1);
        h.send(writer, "s a 1");
        assertThat(x.take()).isEmpty();
        assertThat(y.take()).containsExactly("push 1");
    }

    @Test
    void unsubscribeFromAKeyNeverSubscribedIsOk() {
        h.send(x, "#g a.b");
        assertThat(h.send(x, "#- a")).containsExactly("reply OK");
        assertThat(h.send(x, "#- a.b.c")).containsExactly("reply OK");
        assertThat(h.send(y, "#- a.b")).as("another connection's subscription is not touched")
                .containsExactly("reply OK");
        assertThat(h.db.subscriptionCount()).isEqualTo(1);
        h.send(writer, "s a.b 1");
        assertThat(x.take()).containsExactly("push 1");
    }

    @Test
    void subscribeWithValueNotifiesEveryoneIncludingTheNewSubscriber() {
        h.send(y, "#g room.7");
        h.send(z, "#j room");
        assertThat(h.send(x, "#k room.7 hello you")).containsExactly("push 7 hello you", "reply OK");
        assertThat(y.take()).containsExactly("push hello you");
        assertThat(z.take()).containsExactly("push {\"7\":\"hello you\"}");
        assertThat(h.ask(writer, "g room.7")).as("nothing is stored").isEmpty();
        assertThat(h.db.drainChanges()).isEmpty();

        // already subscribed with #k, now #g with a value: both subscriptions are notified
        assertThat(h.send(x, "#g room.7 again")).containsExactlyInAnyOrder("push 7 again", "push again", "reply OK");
        h.send(writer, "s room.7 v");
        assertThat(x.take()).containsExactlyInAnyOrder("push 7 v", "push v");
    }

    @Test
    void notifyStoresNothing() {
        h.send(x, "#g a");
        h.send(y, "#k a");
        assertThat(h.send(writer, "! a.b hey")).containsExactly("reply OK");
        assertThat(x.take()).containsExactly("push hey");
        assertThat(y.take()).containsExactly("push b hey");
        assertThat(h.ask(writer, "g a.b")).isEmpty();
        assertThat(h.ask(writer, "k")).isEmpty();
        assertThat(h.send(writer, "! a")).containsExactly("reply OK");
        assertThat(x.take()).containsExactly("push ");
        assertThat(y.take()).containsExactly("push a ");
        assertThat(h.send(writer, "! nobody listens")).containsExactly("reply OK");
    }

    @Test
    void setIfAbsentPushesOnlyWhenItStores() {
        h.send(x, "#g a");
        assertThat(h.send(writer, "s? a 1")).containsExactly("reply OK");
        assertThat(x.take()).containsExactly("push 1");
        assertThat(h.send(writer, "s? a 2")).containsExactly("reply NO");
        assertThat(x.take()).isEmpty();
    }

    @Test
    void setPushesEveryTimeEvenWithTheSameValue() {
        h.send(x, "#g a");
        h.send(writer, "s a 1", "s a 1", "s a 1");
        assertThat(x.take()).containsExactly("push 1", "push 1", "push 1");
    }

    @Test
    void deleteOfAKeyWithoutValuePushesNothing() {
        h.send(x, "#k a");
        h.send(writer, "s a.b.c 1");
        x.take();
        assertThat(h.send(writer, "d a.b", "d a", "d zzz")).containsExactly("reply OK", "reply OK", "reply OK");
        assertThat(x.take()).isEmpty();
        assertThat(h.send(writer, "d a.b.c", "d a.b.c")).containsExactly("reply OK", "reply OK");
        assertThat(x.take()).containsExactly("push b.c");
    }

    @Test
    void setManyPushesEveryItemInItemOrder() {
        h.send(x, "#k x");
        assertThat(h.send(writer, "sl |x.a 1|x.b 2|y 3|x.a 4|x 5")).containsExactly("reply OK");
        assertThat(x.take()).containsExactly("push a 1", "push b 2", "push a 4", "push x 5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"g a", "k a", "k", "j a", "j", "js a", "js", "#g a", "#k a.b", "#j a", "#- a",
            "+1 a", "+1 a.max", "s .a 1", "s a..b 1", "sl |a 1|.b 2", "sl |a.c 1|a.d \0", "#g a \0", "#k a..b x",
            "#- a \0", "! a \0", "! a. x", "s a x\0", "+ a \0", "s? a 1", "d a.c", "g a extra", "bogus a",
            "s a 12345678901", "+ a 12345678", "sl |a.d 1|a.e 12345678901"})
    void readsSubscribingWithoutValueAndRejectedRequestsNeverPush(String request) {
        DatabaseHarness small = new DatabaseHarness(Map.of("a", "xyz", "a.max", "9223372036854775807"), 10);
        small.send(x, "#g a");
        small.send(y, "#k a");
        small.send(z, "#j a.b");
        small.send(writer, request);
        assertThat(x.take()).isEmpty();
        assertThat(y.take()).isEmpty();
        assertThat(z.take()).isEmpty();
        assertThat(small.db.pushesSent()).isZero();
        assertThat(small.db.drainChanges()).isEmpty();
    }

    @Test
    void aRejectedSubscribeSubscribesNothing() {
        assertThat(h.send(x, "#g a \0", "#k a..b", "#j", "#g a.")).containsExactly(
                "reply ERR invalid value", "reply ERR invalid key", "reply ERR missing key", "reply ERR invalid key");
        assertThat(h.db.subscriptionCount()).isZero();
        h.send(writer, "s a 1");
        assertThat(x.take()).isEmpty();
    }

    @Test
    void aRequestersOwnPushComesBeforeItsReplyAndAfterItsEarlierReplies() {
        h.send(x, "#g a");
        assertThat(h.send(x, "g a", "s a 1", "g a", "s a 2", "s b 9", "d a", "d a", "#- a bye", "s a 3"))
                .containsExactly("reply ", "push 1", "reply OK", "reply 1", "push 2", "reply OK", "reply OK",
                        "push ", "reply OK", "reply OK", "push bye", "reply OK", "reply OK");
    }

    @Test
    void pushesAndRepliesOfSeveralClientsInOneBatchKeepEachClientsOrder() {
        h.send(x, "#g a");
        h.send(y, "#k a");
        h.apply(y, "g a");
        h.apply(x, "s a 1");
        h.apply(y, "g a");
        h.apply(writer, "s a.b 2");
        h.apply(y, "s a 3");
        h.apply(x, "g a");
        h.deliver();
        assertThat(x.take()).containsExactly("push 1", "reply OK", "push 2", "push 3", "reply 3");
        assertThat(y.take()).containsExactly("reply ", "push a 1", "reply 1", "push b 2", "push a 3", "reply OK");
        assertThat(writer.take()).containsExactly("reply OK");
    }

    @Test
    void aDisconnectedClientLosesEverySubscription() {
        h.send(x, "#g a", "#k a", "#j b.c");
        h.send(y, "#g a");
        assertThat(h.db.subscriptionCount()).isEqualTo(4);
        h.db.disconnected(x, false);
        assertThat(h.db.subscriptionCount()).isEqualTo(1);
        assertThat(h.db.slowConsumerDisconnects()).isZero();
        h.send(writer, "s a 1", "s b.c 2");
        assertThat(x.take()).isEmpty();
        assertThat(y.take()).containsExactly("push 1");
        h.db.disconnected(y, true);
        assertThat(h.db.subscriptionCount()).isZero();
        assertThat(h.db.slowConsumerDisconnects()).isEqualTo(1);
    }

    @Test
    void aSubscriberThatRefusesPushesDoesNotStopTheOthers() {
        h.send(x, "#g a");
        h.send(y, "#g a");
        h.send(z, "#g a");
        y.refusePushes();
        assertThat(h.send(writer, "s a 1", "s a 2")).containsExactly("reply OK", "reply OK");
        assertThat(x.take()).containsExactly("push 1", "push 2");
        assertThat(y.take()).isEmpty();
        assertThat(z.take()).containsExactly("push 1", "push 2");
    }

    @Test
    void pushesAreCounted() {
        h.send(x, "#g a", "#k a");
        h.send(y, "#g a.b");
        h.send(writer, "s a.b 1", "s a 2", "s c 3");
        assertThat(h.db.pushesSent()).isEqualTo(5);
    }
}
