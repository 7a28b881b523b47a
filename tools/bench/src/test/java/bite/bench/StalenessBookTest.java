package bite.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The staleness accounting of the game: a write is done when every other player of the room has seen it or newer. */
class StalenessBookTest {

    /** What the book recorded: [written at, staleness] pairs, in order. */
    private final List<long[]> records = new ArrayList<>();
    private final StalenessBook.Sink sink = (at, stale) -> records.add(new long[] {at, stale});

    @Test
    void aWriteIsDoneWhenTheLastOtherPlayerSeesIt() {
        StalenessBook book = new StalenessBook(3, sink);
        assertThat(book.wrote(0, 100)).isEqualTo(1);

        book.seen(0, 0, 1, 110); // the writer's own push does not count
        book.seen(1, 0, 1, 150);
        assertThat(records).isEmpty();
        assertThat(book.pending()).isEqualTo(1);

        book.seen(2, 0, 1, 180);
        assertThat(records).containsExactly(new long[] {100, 80});
        assertThat(book.pending()).isZero();
    }

    @Test
    void seeingANewerValueCountsAsSeeingTheOlderOnes() {
        StalenessBook book = new StalenessBook(3, sink);
        book.wrote(0, 100);
        book.wrote(0, 120);

        book.seen(1, 0, 2, 130); // a tick-batched subscriber got only the latest
        book.seen(2, 0, 1, 140);
        assertThat(records).containsExactly(new long[] {100, 40});

        book.seen(2, 0, 2, 165);
        assertThat(records).containsExactly(new long[] {100, 40}, new long[] {120, 45});
    }

    @Test
    void olderAndRepeatedNewsChangesNothing() {
        StalenessBook book = new StalenessBook(3, sink);
        book.wrote(1, 10);
        book.wrote(1, 20);
        book.seen(0, 1, 2, 30);
        book.seen(0, 1, 1, 40);
        book.seen(0, 1, 2, 50);

        book.seen(2, 1, 1, 60);

        assertThat(records).containsExactly(new long[] {10, 50});
        assertThat(book.pending()).isEqualTo(1);
    }

    @Test
    void aNumberNeverWrittenFinishesNothingBeyondTheWrites() {
        StalenessBook book = new StalenessBook(2, sink);
        book.wrote(0, 10);

        book.seen(1, 0, 5, 20);
        assertThat(records).containsExactly(new long[] {10, 10});

        book.wrote(0, 30); // number 2: the bogus 5 did not count as having seen it
        assertThat(book.pending()).isEqualTo(1);
        book.seen(1, 0, 2, 45);
        assertThat(records).containsExactly(new long[] {10, 10}, new long[] {30, 15});
    }

    @Test
    void keysAreCountedApart() {
        StalenessBook book = new StalenessBook(3, sink);
        book.wrote(0, 100);
        book.wrote(1, 101);

        book.seen(2, 0, 1, 110);
        book.seen(1, 0, 1, 120);
        book.seen(2, 1, 1, 130);
        book.seen(0, 1, 1, 140);

        assertThat(records).containsExactly(new long[] {100, 20}, new long[] {101, 39});
    }

    @Test
    void aPlayerThatLeftNoLongerHoldsWritesBack() {
        StalenessBook book = new StalenessBook(3, sink);
        book.wrote(0, 100);
        book.seen(1, 0, 1, 110);

        book.gone(2, 150);
        assertThat(records).containsExactly(new long[] {100, 50});

        book.wrote(0, 200); // from now on only player 1 has to see player 0's writes
        book.seen(1, 0, 2, 205);
        assertThat(records).containsExactly(new long[] {100, 50}, new long[] {200, 5});

        book.wrote(2, 300); // a write of the player that left would still need both others (it cannot happen)
        book.seen(0, 2, 1, 310);
        assertThat(records).hasSize(2);
        book.seen(1, 2, 1, 320);
        assertThat(records).hasSize(3);
    }

    @Test
    void manyWritesNotYetSeenAreKeptInOrder() {
        StalenessBook book = new StalenessBook(2, sink);
        for (int i = 0; i < 1000; i++) {
            book.wrote(0, i);
        }
        assertThat(book.pending()).isEqualTo(1000);
        assertThat(book.pendingSince(900)).isEqualTo(100);

        book.seen(1, 0, 1000, 5000);

        assertThat(records).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(records.get(i)).containsExactly(i, 5000 - i);
        }
        assertThat(book.pending()).isZero();
    }

    @Test
    void aRoomOfOneIsNeverStale() {
        StalenessBook book = new StalenessBook(1, sink);
        book.wrote(0, 7);
        assertThat(records).containsExactly(new long[] {7, 0});
    }
}
