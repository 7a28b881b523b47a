package bite.net;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadStarterTest {

    /** The starter's clock: it moves only when a test moves it, so the refill's timing is the test's to set. */
    private final AtomicLong now = new AtomicLong();
    private final ThreadStarter starter = new ThreadStarter(now::get);
    private final ConcurrentLinkedQueue<String> ranOn = new ConcurrentLinkedQueue<>();

    @AfterEach
    void tearDown() {
        starter.stop();
    }

    @Test
    void theFirstReaderGetsAThreadOfItsOwnAndSparesAreStartedBehindIt() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        startOnAVirtualThread("bite-conn-1", ran);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ranOn).containsExactly("bite-conn-1");
        assertThat(within(10_000, () -> starter.readySpares() == ThreadStarter.SPARES)).isTrue();
    }

    @Test
    void theThreadReturnedIsTheOneThatRunsTheTaskSoThatItCanBeJoined() throws InterruptedException {
        startOnAVirtualThread("bite-conn-1", new CountDownLatch(1));
        assertThat(within(10_000, () -> starter.readySpares() == ThreadStarter.SPARES)).isTrue();
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> ranBy = new AtomicReference<>();
        AtomicReference<Thread> returned = new AtomicReference<>();
        Thread.ofVirtual().start(() -> returned.set(starter.start(() -> {
            ranBy.set(Thread.currentThread());
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bite-conn-2-writer"))).join();
        assertThat(within(10_000, () -> ranBy.get() != null)).isTrue();
        assertThat(returned.get()).isSameAs(ranBy.get());
        assertThat(returned.get().getName()).isEqualTo("bite-conn-2-writer");
        assertThat(starter.handOvers()).isEqualTo(1);
        assertThat(returned.get().isAlive()).isTrue();
        release.countDown();
        returned.get().join(10_000);
        assertThat(returned.get().isAlive()).isFalse();
    }

    @Test
    void laterReadersRunOnParkedSparesUnderTheirConnectionsNamesAndSparesAreToppedUp() throws InterruptedException {
        CountDownLatch firstRan = new CountDownLatch(1); // a fresh thread: it may run after the spares park
        startOnAVirtualThread("bite-conn-1", firstRan);
        assertThat(firstRan.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(within(10_000, () -> starter.readySpares() == ThreadStarter.SPARES)).isTrue();
        CountDownLatch ran = new CountDownLatch(3);
        now.addAndGet(ThreadStarter.REFILL_NANOS); // the first of the three may put one back, the others not
        for (int i = 2; i <= 4; i++) startOnAVirtualThread("bite-conn-" + i, ran);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ranOn).containsExactlyInAnyOrder("bite-conn-1", "bite-conn-2", "bite-conn-3", "bite-conn-4");
        assertThat(starter.handOvers()).isEqualTo(3);
        // refilled by one at most every 10 ms, with each start: the three quick ones took three and put back one
        assertThat(within(10_000, () -> starter.readySpares() >= ThreadStarter.SPARES - 2)).isTrue();
        assertThat(starter.readySpares()).isLessThanOrEqualTo(ThreadStarter.SPARES);
        now.addAndGet(ThreadStarter.REFILL_NANOS);
        startOnAVirtualThread("bite-conn-5", new CountDownLatch(1));
        assertThat(within(10_000, () -> starter.readySpares() >= ThreadStarter.SPARES - 2)).isTrue();
    }

    @Test
    void manyStartsInQuickSuccessionUseUpTheSparesAndThenGetThreadsOfTheirOwn() throws InterruptedException {
        startOnAVirtualThread("bite-conn-0", new CountDownLatch(1));
        assertThat(within(10_000, () -> starter.readySpares() == ThreadStarter.SPARES)).isTrue();
        int n = 200;
        CountDownLatch ran = new CountDownLatch(n);
        Thread.ofVirtual().start(() -> {
            for (int i = 1; i <= n; i++) starter.start(reader(ran), "bite-conn-" + i);
        }).join();
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ranOn).hasSize(n + 1).doesNotHaveDuplicates();
        // the first fill's spares were all used, and no more were made than one per 10 ms of the burst
        assertThat(starter.handOvers()).isGreaterThanOrEqualTo(ThreadStarter.SPARES);
        assertThat(starter.readySpares()).isLessThan(ThreadStarter.SPARES);
    }

    @Test
    void aReaderHandedToASpareRunsWhileTheCarrierIsKeptBusyWhereANewThreadWaits() throws Exception {
        // one carrier, as on the benchmark's pinned core; a JVM of its own, because the scheduler's size is fixed
        // when a JVM starts its first virtual thread
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Djdk.virtualThreadScheduler.parallelism=1",
                "-cp", System.getProperty("java.class.path"), Saturated.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("spare=true new=false");
    }

    /**
     * Four virtual threads pass a token round a ring (each wakes the next, then parks), so the carrier's local queue
     * never empties, as under a saturating load; one of them then starts a reader through a spare, and a plain new
     * virtual thread. Prints which of the two ran within two seconds.
     */
    static final class Saturated {
        public static void main(String[] args) throws Exception {
            ThreadStarter starter = new ThreadStarter();
            CountDownLatch first = new CountDownLatch(1);
            Thread.ofVirtual().start(() -> starter.start(first::countDown, "bite-conn-1")).join();
            first.await();
            if (!within(10_000, () -> starter.readySpares() == ThreadStarter.SPARES)) {
                System.out.println("the spares never got ready");
                System.exit(1);
            }

            CountDownLatch viaSpare = new CountDownLatch(1);
            CountDownLatch viaNewThread = new CountDownLatch(1);
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger rounds = new AtomicInteger();
            Thread[] ring = new Thread[4];
            for (int i = 0; i < ring.length; i++) {
                int next = (i + 1) % ring.length;
                ring[i] = Thread.ofVirtual().unstarted(() -> {
                    while (running.get()) {
                        LockSupport.park();
                        if (rounds.incrementAndGet() == 1_000) {
                            Thread.ofVirtual().start(viaNewThread::countDown);
                            starter.start(viaSpare::countDown, "bite-conn-2");
                        }
                        LockSupport.unpark(ring[next]);
                    }
                });
            }
            for (Thread t : ring) t.start();
            if (!within(10_000, () -> Arrays.stream(ring).allMatch(t -> t.getState() == Thread.State.WAITING))) {
                System.out.println("the ring never parked");
                System.exit(1);
            }
            LockSupport.unpark(ring[0]);
            boolean spare = viaSpare.await(2, TimeUnit.SECONDS);
            boolean newThread = viaNewThread.getCount() == 0;
            System.out.println("rounds=" + rounds.get() + " spare=" + spare + " new=" + newThread);
            System.exit(0);
        }
    }

    @Test
    void stopEndsTheParkedSpares() throws InterruptedException {
        startOnAVirtualThread("bite-conn-1", new CountDownLatch(1));
        assertThat(within(10_000, () -> starter.readySpares() == ThreadStarter.SPARES)).isTrue();
        starter.stop();
        assertThat(starter.readySpares()).isZero();
        // a reader started after the stop still runs, on a thread of its own, and leaves no spares behind
        CountDownLatch ran = new CountDownLatch(1);
        startOnAVirtualThread("bite-conn-2", ran);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(starter.readySpares()).isZero();
    }

    private void startOnAVirtualThread(String name, CountDownLatch ran) throws InterruptedException {
        Thread.ofVirtual().start(() -> starter.start(reader(ran), name)).join();
    }

    private Runnable reader(CountDownLatch ran) {
        return () -> {
            Thread self = Thread.currentThread();
            assertThat(self.isVirtual()).isTrue();
            ranOn.add(self.getName());
            ran.countDown();
        };
    }

    private static boolean within(long millis, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) return true;
            Thread.sleep(1);
        }
        return condition.getAsBoolean();
    }
}
