package bite.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class StorageTimerTest {

    private final BlockingQueue<Long> ticks = new LinkedBlockingQueue<>();
    private final StorageTimer timer = new StorageTimer(() -> ticks.add(System.nanoTime()));

    @AfterEach
    void stop() {
        timer.stop();
    }

    @Test
    void ticksOnceAtTheDeadlineAndNotBefore() throws Exception {
        timer.start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        timer.at(deadline);
        Long tick = ticks.poll(10, TimeUnit.SECONDS);
        assertThat(tick).isNotNull();
        assertThat(tick - deadline).isGreaterThanOrEqualTo(0);
        assertThat(ticks.poll(300, TimeUnit.MILLISECONDS)).as("one tick per deadline").isNull();
    }

    @Test
    void anEarlierDeadlineWakesItAndReplacesTheLaterOne() throws Exception {
        timer.start();
        timer.at(System.nanoTime() + TimeUnit.HOURS.toNanos(1));
        StorageTesting.await("the timer asleep for the hour", Duration.ofSeconds(10),
                () -> timer.state() == Thread.State.TIMED_WAITING);
        long soon = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        timer.at(soon);
        Long tick = ticks.poll(10, TimeUnit.SECONDS);
        assertThat(tick).as("the hour-long sleep was cut short").isNotNull();
        assertThat(tick - soon).isGreaterThanOrEqualTo(0);
        assertThat(ticks.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aLaterDeadlineMovesTheTickBack() throws Exception {
        timer.start();
        timer.at(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100));
        long later = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
        timer.at(later);
        Long tick = ticks.poll(10, TimeUnit.SECONDS);
        assertThat(tick).isNotNull();
        assertThat(tick - later).isGreaterThanOrEqualTo(0);
    }

    @Test
    void cancelledMeansNoTickAndAPastDeadlineTicksAtOnce() throws Exception {
        timer.start();
        timer.at(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100));
        timer.cancel();
        assertThat(ticks.poll(400, TimeUnit.MILLISECONDS)).isNull();
        timer.at(System.nanoTime() - 1);
        assertThat(ticks.poll(10, TimeUnit.SECONDS)).isNotNull();
    }
}
