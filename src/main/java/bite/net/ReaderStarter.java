package bite.net;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts connection readers so that a new connection is served soon even while the carriers are saturated.
 *
 * <p>The JDK submits a starting virtual thread as work from outside the carriers, and its scheduler takes such work
 * only once a carrier's local queue is empty. Under a saturating load the local queue need not empty for a long
 * time: the poller's virtual thread re-queues itself after every poll that found events. Measured with 50 clients
 * at pipeline 1 on one core: a new connection's first reply took 31–66 ms (median) and up to 0.7 s, nearly all of
 * it before its thread first ran; Redis's, 0.8–2.1 ms (docs/BENCHMARKS.md, bench/first-reply.sh). Waking a parked
 * virtual thread from another virtual thread, by contrast, queues it on the local queue, in turn with everything
 * else.
 *
 * <p>So up to {@link #SPARES} reader threads are started ahead and park; {@link #start} hands a new connection to a
 * parked one (called on bite-db, a virtual thread, that wake-up is local) and starts a thread only when none is
 * ready. Spares are topped up after each hand-over; an idle server holds that many parked threads (about a
 * kilobyte each).
 */
final class ReaderStarter {

    static final int SPARES = 8;

    private final ConcurrentLinkedQueue<Spare> ready = new ConcurrentLinkedQueue<>();
    /** Spares started and not yet handed a connection (parked, or still waiting for their first run). */
    private final AtomicInteger spares = new AtomicInteger();
    private volatile boolean stopped;

    /**
     * Runs {@code reader} on a thread named {@code name}: a parked spare when one is ready, else a new thread. Call it
     * on a virtual thread (bite-db), so that the spare's wake-up is queued on that carrier.
     */
    void start(Runnable reader, String name) {
        Spare spare = ready.poll();
        if (spare != null) {
            spares.decrementAndGet();
            spare.hand(reader, name);
        } else {
            Thread.ofVirtual().name(name).start(reader);
        }
        while (!stopped && spares.get() < SPARES) {
            spares.incrementAndGet();
            Thread.ofVirtual().name("bite-conn-spare").start(new Spare()::await);
        }
    }

    /** Ends the parked spares; later starts make no new ones. */
    void stop() {
        stopped = true;
        for (Spare spare; (spare = ready.poll()) != null; ) spare.hand(null, null);
    }

    /** For tests: spares parked and ready for a connection. */
    int readySpares() {
        return ready.size();
    }

    private final class Spare {
        private volatile Thread thread;
        private volatile Runnable reader;
        private volatile String name;
        private volatile boolean handed;

        void await() {
            thread = Thread.currentThread();
            ready.add(this);
            while (!handed) {
                if (stopped && ready.remove(this)) return; // taken by nobody, and nobody will take it now
                LockSupport.park(this);
            }
            if (reader == null) return; // stop() took it
            thread.setName(name);
            reader.run();
        }

        /** Only for a spare taken from {@code ready}: it has set its thread. */
        void hand(Runnable reader, String name) {
            this.reader = reader;
            this.name = name;
            this.handed = true;
            LockSupport.unpark(thread);
        }
    }
}
