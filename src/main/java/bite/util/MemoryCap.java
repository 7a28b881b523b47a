package bite.util;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.System.Logger.Level;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The memory cap ({@code --max-memory}): whether the heap in use is over it, so that bite-db answers requests that
 * add data with {@code ERR out of memory} instead of running the JVM out of heap.
 *
 * <p>What it measures: the heap in use right after the latest garbage collection (the sum over the memory pools of
 * their usage after it), read from the JVM's GC notifications. That counts everything the server keeps — keys,
 * values, the event history, queued output — at no cost to requests: bite-db only reads a volatile flag. A reading
 * after a young collection still counts old garbage, and without allocation no collection comes: so while it is over
 * the cap and data is refused, it asks for a full collection ({@link #refused}), at most once a second, on a thread
 * of its own, so that space freed by deletes shows.
 *
 * <p>Threads: the GC notification thread updates the reading and logs when the cap is first reached and when it
 * clears; bite-db reads {@link #over} and calls {@link #refused}; anyone reads {@link #used} and {@link #cap}
 * (info, metrics). Every field is volatile or atomic.
 */
public final class MemoryCap {

    private static final System.Logger LOG = System.getLogger("bite.memory");
    private static final long COLLECT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Never over: for tests and tools that run a database without a cap. */
    public static final MemoryCap NONE = new MemoryCap(Long.MAX_VALUE, null);

    private final long cap;
    private volatile long used;
    private volatile boolean over;
    private volatile long lastCollectNanos = System.nanoTime() - COLLECT_EVERY_NANOS;
    private final AtomicBoolean collecting = new AtomicBoolean();
    private final List<Runnable> unregister = new ArrayList<>();
    private final Deadlines timers; // runs the full collections asked for; null: never asks

    private MemoryCap(long cap, Deadlines timers) {
        this.cap = cap;
        this.timers = timers;
    }

    /**
     * A cap of {@code cap} bytes of heap, watching the JVM's collections from now on until {@link #close}; the full
     * collections it asks for run on bite-timer ({@code timers}).
     */
    public static MemoryCap watch(long cap, Deadlines timers) {
        MemoryCap m = new MemoryCap(cap, timers);
        NotificationListener listener = (notification, handback) -> {
            if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                m.collected(GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()));
            }
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                m.unregister.add(() -> {
                    try {
                        emitter.removeNotificationListener(listener);
                    } catch (javax.management.ListenerNotFoundException ignored) {
                        // already gone
                    }
                });
            }
        }
        MemoryUsage now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        m.used = now.getUsed(); // until the first collection: an upper bound
        return m;
    }

    /** The cap in bytes for {@code percent} % of the JVM's maximum heap ({@code -Xmx}). */
    public static long percentOfMaxHeap(int percent) {
        return Runtime.getRuntime().maxMemory() / 100 * percent;
    }

    /** Whether requests that add data are refused now. Cheap: a volatile read (bite-db, per such request). */
    public boolean over() {
        return over;
    }

    /**
     * A request that adds data was refused: when the last full collection asked for is a second old, asks for
     * another, so that space freed meanwhile shows. It runs on bite-timer, not on a thread of its own: a full
     * collection stops every thread anyway, so the timer's deadlines wait no longer than everything else does.
     * Never blocks. Any thread.
     */
    public void refused() {
        if (timers == null) return;
        if (System.nanoTime() - lastCollectNanos < COLLECT_EVERY_NANOS || !collecting.compareAndSet(false, true)) return;
        lastCollectNanos = System.nanoTime();
        timers.after(0, () -> {
            try {
                System.gc(); // its notification updates the reading
            } finally {
                collecting.set(false);
            }
        });
    }

    /** Heap in use after the latest collection, in bytes. */
    public long used() {
        return used;
    }

    /** The cap, in bytes. */
    public long cap() {
        return cap;
    }

    /** Stops watching the JVM's collections. */
    public void close() {
        unregister.forEach(Runnable::run);
        unregister.clear();
    }

    private void collected(GarbageCollectionNotificationInfo info) {
        long sum = 0;
        for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) sum += u.getUsed();
        used = sum;
        boolean nowOver = sum > cap;
        if (nowOver == over) return;
        over = nowOver;
        if (nowOver) {
            LOG.log(Level.WARNING, "memory cap reached: " + mib(sum) + " of heap in use after GC, cap " + mib(cap)
                    + "; requests that add data get ERR out of memory until deletes free space");
        } else {
            LOG.log(Level.INFO, "memory back under the cap: " + mib(sum) + " in use, cap " + mib(cap)
                    + "; writes accepted again");
        }
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
