package bite.net;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection's queue of bytes to send, part of its {@link ConnectionWriter}: replies and pushes, both queued by
 * bite-db in the order it produced them, drained by whichever thread holds the {@code writing} token (the writer
 * thread, or the reader sending its own replies while the writer is idle). Everything queued and not yet handed to
 * the kernel counts against one limit:
 * <ul>
 *   <li>replies are always queued; the reader waits while the queue is over the limit ({@link #awaitBelowLimit});
 *   <li>a push that would take the queue over the limit is refused and the queue fails: the connection closes.
 * </ul>
 * Thread-safe; the lock is only ever held for a few field updates, never across I/O.
 */
final class Outbound {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition drained = lock.newCondition();
    /**
     * The writer, while it waits for chunks in {@link #take}; whoever gives it work takes it out and unparks it after
     * unlocking. (A {@code Condition} would allocate a node for every wait: one per push in a fan-out.)
     */
    private Thread idleWriter;
    private final long limit;
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>(4); // grows with a backlog; most hold a reply or two
    /** What the thread that is writing took; reused, so a fan-out push costs no list of its own. */
    private ArrayList<byte[]> taken = new ArrayList<>();
    private long queued; // bytes queued and not yet written to the socket, taken chunks included
    private long added; // bytes ever queued: the output's positions (see mark)
    private long sent; // bytes ever handed to the kernel
    private boolean finished; // no more chunks will come: the writer stops once the queue is empty
    private boolean failed; // dropped: the writer stops at once
    private boolean overflowed;
    private boolean writing; // a thread (reader or writer) holds taken chunks and is writing them

    Outbound(long limit) {
        this.limit = limit;
    }

    /** Queues a push; false (and the queue fails) when it would take the queue over the limit. */
    boolean offerPush(byte[] line) {
        Thread wake = null;
        lock.lock();
        try {
            if (failed || finished) return !overflowed;
            if (queued + line.length > limit) {
                overflowed = true;
                fail();
                return false;
            }
            add(line);
            if (!writing) wake = takeIdleWriter(); // pushes are the writer's to send
            return true;
        } finally {
            lock.unlock();
            LockSupport.unpark(wake);
        }
    }

    /**
     * Queues reply bytes, whatever the queue holds. The writer is not woken: the reader, which is waiting for
     * these replies, sends them itself ({@link #takeForReader}), saving a thread hand-off per request.
     */
    void addReply(byte[] bytes) {
        lock.lock();
        try {
            if (!failed && bytes.length > 0) add(bytes);
        } finally {
            lock.unlock();
        }
    }

    /** Blocks while the queue is over the limit (the reader stops reading requests until the client drains it). */
    void awaitBelowLimit() throws InterruptedException {
        lock.lock();
        try {
            while (queued > limit && !failed) drained.await();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The writer's take: every chunk queued, waiting for one if there is none; null when the queue is finished and
     * empty or has failed.
     */
    List<byte[]> take() throws InterruptedException {
        lock.lock();
        try {
            // finished: still wait while the reader writes, so that its write completes first
            while (((chunks.isEmpty() && !finished) || writing) && !failed) {
                idleWriter = Thread.currentThread();
                lock.unlock();
                try {
                    LockSupport.park(this);
                } finally {
                    lock.lock();
                }
                if (Thread.interrupted()) {
                    idleWriter = null;
                    throw new InterruptedException();
                }
            }
            idleWriter = null; // after a spurious wake-up, it may still be set
            if (failed || chunks.isEmpty()) return null;
            return takeAll();
        } finally {
            lock.unlock();
        }
    }

    /** The waiting writer, no longer waiting (null when there is none); unpark it once the lock is released. */
    private Thread takeIdleWriter() {
        Thread w = idleWriter;
        idleWriter = null;
        return w;
    }

    /** The reader's take: what is queued, unless another thread is writing (then that one sends it); may be null. */
    List<byte[]> takeForReader() {
        lock.lock();
        try {
            if (writing || failed || chunks.isEmpty()) return null;
            return takeAll();
        } finally {
            lock.unlock();
        }
    }

    /** The taken chunks are written (the list is no longer the caller's); whatever came meanwhile is the writer's. */
    void doneWriting() {
        Thread wake = null;
        lock.lock();
        try {
            // let the written chunks go; a burst's capacity is not kept for the rest of the connection's life
            if (taken.size() > 1024) taken = new ArrayList<>(); else taken.clear();
            writing = false;
            if (!chunks.isEmpty() || finished) wake = takeIdleWriter();
        } finally {
            lock.unlock();
            LockSupport.unpark(wake);
        }
    }

    /**
     * Moves every queued chunk to the taken list, which belongs to the caller until {@link #doneWriting} (only one
     * thread writes at a time).
     */
    private List<byte[]> takeAll() {
        for (byte[] c; (c = chunks.poll()) != null; ) taken.add(c); // empty: doneWriting cleared it
        writing = true;
        return taken;
    }

    /** The writer handed {@code bytes} to the kernel: they no longer count. */
    void written(long bytes) {
        lock.lock();
        try {
            if (failed) return;
            queued -= bytes;
            sent += bytes;
            if (queued <= limit) drained.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Nothing more will be queued; the writer stops once it has sent what is there. */
    void finish() {
        Thread wake;
        lock.lock();
        try {
            finished = true;
            wake = takeIdleWriter();
        } finally {
            lock.unlock();
        }
        LockSupport.unpark(wake);
    }

    /** Waits until the writer has sent everything queued (or the queue failed), at most {@code millis}. */
    boolean awaitEmpty(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            while (queued > 0 && !failed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                drained.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Drops everything: the connection is going away. */
    void fail() {
        Thread wake;
        lock.lock();
        try {
            failed = true;
            writing = false;
            chunks.clear();
            queued = 0;
            wake = takeIdleWriter();
            drained.signalAll();
        } finally {
            lock.unlock();
        }
        LockSupport.unpark(wake);
    }

    boolean overflowed() {
        lock.lock();
        try {
            return overflowed;
        } finally {
            lock.unlock();
        }
    }

    /** Nothing queued and nothing being written. */
    boolean isEmpty() {
        lock.lock();
        try {
            return queued == 0;
        } finally {
            lock.unlock();
        }
    }

    long limit() {
        return limit;
    }

    private void add(byte[] bytes) {
        chunks.add(bytes);
        queued += bytes.length;
        added += bytes.length;
    }

    /** The end of everything queued so far, as a position in the output. */
    long mark() {
        lock.lock();
        try {
            return added;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the output up to {@code mark} has been handed to the kernel (or the queue failed: nothing will be). */
    boolean sentUpTo(long mark) {
        lock.lock();
        try {
            return failed || sent >= mark;
        } finally {
            lock.unlock();
        }
    }
}
