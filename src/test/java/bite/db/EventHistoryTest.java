package bite.db;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PROTOCOL.md "Revisions": the history of the N latest events, and which resumes it can serve. */
class EventHistoryTest {

    private static EventHistory withEvents(int capacity, int events) {
        EventHistory h = new EventHistory(capacity);
        for (int i = 1; i <= events; i++) h.add("k" + i, i % 3 == 0 ? null : "v" + i);
        return h;
    }

    @Test
    void beforeTheFirstEventNothingIsHeldAndOnlyZeroIsCovered() {
        EventHistory h = new EventHistory(4);
        assertThat(h.newest()).isZero();
        assertThat(h.size()).isZero();
        assertThat(h.oldest()).isZero();
        assertThat(h.coversAfter(0)).as("REV = NOW").isTrue();
        assertThat(h.coversAfter(1)).as("NOW + 1").isFalse();
        assertThat(h.coversAfter(-1)).isFalse();
    }

    @Test
    void untilItIsFullItHoldsEveryEventFromTheFirst() {
        EventHistory h = withEvents(4, 3);
        assertThat(h.size()).isEqualTo(3);
        assertThat(h.oldest()).isEqualTo(1);
        assertThat(h.coversAfter(0)).as("oldest - 1").isTrue();
        assertThat(h.coversAfter(3)).as("NOW").isTrue();
        assertThat(h.coversAfter(4)).as("NOW + 1").isFalse();
        assertThat(h.key(1)).isEqualTo("k1");
        assertThat(h.value(2)).isEqualTo("v2");
        assertThat(h.value(3)).as("a delete").isNull();
    }

    @Test
    void onceFullItWrapsAndKeepsTheLatestN() {
        EventHistory h = withEvents(4, 11);
        assertThat(h.newest()).isEqualTo(11);
        assertThat(h.size()).isEqualTo(4);
        assertThat(h.oldest()).as("NOW - N + 1").isEqualTo(8);
        for (long rev = 8; rev <= 11; rev++) {
            assertThat(h.key(rev)).isEqualTo("k" + rev);
            assertThat(h.value(rev)).isEqualTo(rev % 3 == 0 ? null : "v" + rev);
        }
        assertThat(h.coversAfter(7)).as("oldest - 1: every event after it is held").isTrue();
        assertThat(h.coversAfter(6)).as("oldest - 2: event 7 is gone").isFalse();
        assertThat(h.coversAfter(11)).as("NOW").isTrue();
        assertThat(h.coversAfter(12)).as("NOW + 1").isFalse();
        assertThatThrownBy(() -> h.key(7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.key(12)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHistoryOfZeroHoldsNothingAndCoversOnlyNow() {
        EventHistory h = withEvents(0, 5);
        assertThat(h.newest()).as("revisions count all the same").isEqualTo(5);
        assertThat(h.size()).isZero();
        assertThat(h.oldest()).isZero();
        assertThat(h.coversAfter(5)).as("REV = NOW").isTrue();
        assertThat(h.coversAfter(4)).isFalse();
        assertThat(h.coversAfter(0)).isFalse();
        assertThat(h.coversAfter(6)).isFalse();
    }

    @Test
    void aHistoryOfOneHoldsTheLastEvent() {
        EventHistory h = withEvents(1, 2);
        assertThat(h.oldest()).isEqualTo(2);
        assertThat(h.key(2)).isEqualTo("k2");
        assertThat(h.coversAfter(1)).isTrue();
        assertThat(h.coversAfter(0)).isFalse();
    }

    @Test
    void forgettingDropsEveryEventButKeepsTheRevisionsGoing() {
        EventHistory h = withEvents(4, 6);
        assertThat(h.forget()).isEqualTo(4);
        assertThat(h.size()).isZero();
        assertThat(h.newest()).isEqualTo(6);
        assertThat(h.coversAfter(6)).isTrue();
        assertThat(h.coversAfter(5)).isFalse();
        h.add("k7", "v7");
        assertThat(h.size()).isEqualTo(1);
        assertThat(h.oldest()).isEqualTo(7);
        assertThat(h.value(7)).isEqualTo("v7");
        assertThat(h.coversAfter(6)).isTrue();
        assertThat(h.coversAfter(5)).isFalse();
    }
}
