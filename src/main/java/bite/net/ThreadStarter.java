package bite.net;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Starts a connection's threads — its reader, and its writer at the first push — so that they run soon even while
 * the carriers are saturated. Used by the acceptor (readers) and by the connections' writers; it owns the parked
 * spare threads, {@code bite-spare}, each of which becomes a {@code bite-conn-N} or {@code bite-conn-N-writer}.
 *
 * <p>Why spares: the JDK submits a starting virtual thread as work from outside the carriers, and its scheduler
 * takes such work only once a carrier's local queue is empty. Under a saturating load the local queue need not
 * empty for a long time (the poller's virtual thread re-queues itself after every poll that found events), so a
 * newcomer's first reply, or a new subscriber's first push, could wait for tens of milliseconds and more
 * (docs/BENCHMARKS.md, "A newcomer is answered in milliseconds under load"). Waking a parked virtual thread from
 * another virtual thread, by contrast, queues it on the local queue, in turn with everything else.
 *
 * <p>So {@link #SPARES} threads are started ahead and park; {@link #start} hands the task to a parked one — called
 * on a virtual thread (the acceptor, bite-db), that wake-up is local — and starts a thread only when none is ready.
 * After the first fill, one spare is added back at most every {@link #REFILL_NANOS}: each hand-over leaves the
 * spare's first stack chunk behind as garbage, and a fresh spare for each of thousands of connections opened back
 * to back left enough of it to bring on a young collection, and with it a larger resident size
 * (docs/BENCHMARKS.md, "Spares cost the idle case its margin"). A player joining a busy server every few
 * milliseconds still finds one. An idle server holds that many parked threads (about a kilobyte each).
 */
final class ThreadStarter {

    static final int SPARES = 16;
    static final long REFILL_NANOS = 10_000_000;

    private final ConcurrentLinkedQueue<Spare> ready = new ConcurrentLinkedQueue<>();
    /** Spares started and not yet handed a task (parked, or still waiting for their first run). */
    private final AtomicInteger spares = new AtomicInteger();
    private final AtomicInteger handOvers = new AtomicInteger();
    private volatile boolean stopped;
    private boolean filled; // these two: guarded by this
    private long refilledAt;
    private final LongSupplier clock;

    ThreadStarter() {
        this(System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime} (tests pass their own) */
    ThreadStarter(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * Runs {@code task} on a virtual thread named {@code name}, a parked spare when one is ready, else a new one, and
     * returns that thread. Call it on a virtual thread, so that the spare's wake-up is queued on its carrier.
     */
    Thread start(Runnable task, String name) {
        Spare spare = ready.poll();
        Thread thread;
        if (spare != null) {
            spares.decrementAndGet();
            handOvers.incrementAndGet();
            thread = spare.hand(task, name);
        } else {
            thread = Thread.ofVirtual().name(name).start(task);
        }
        refill();
        return thread;
    }

    private synchronized void refill() {
        long now = clock.getAsLong();
        if (filled && now - refilledAt < REFILL_NANOS) return;
        int n = filled ? 1 : SPARES;
        filled = true;
        refilledAt = now;
        for (int i = 0; i < n && !stopped && spares.get() < SPARES; i++) {
            spares.incrementAndGet();
            Thread.ofVirtual().name("bite-spare").start(new Spare()::await);
        }
    }

    /** Ends the parked spares; later starts make no new ones. */
    void stop() {
        stopped = true;
        for (Spare spare; (spare = ready.poll()) != null; ) spare.hand(null, null);
    }

    /** For tests: spares parked and ready for a task. */
    int readySpares() {
        return ready.size();
    }

    /** For tests: tasks handed to spares so far. */
    int handOvers() {
        return handOvers.get();
    }

    private final class Spare {
        private volatile Thread thread;
        private volatile Runnable task;
        private volatile String name;
        private volatile boolean handed;

        void await() {
            thread = Thread.currentThread();
            ready.add(this);
            while (!handed) {
                if (stopped && ready.remove(this)) return; // taken by nobody, and nobody will take it now
                LockSupport.park(this);
            }
            if (task == null) return; // stop() took it
            thread.setName(name);
            task.run();
        }

        /** Only for a spare taken from {@code ready}: it has set its thread. */
        Thread hand(Runnable task, String name) {
            this.task = task;
            this.name = name;
            this.handed = true;
            LockSupport.unpark(thread);
            return thread;
        }
    }
}
