package bite.net;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Where the readers of idle plaintext connections wait without a thread. A subscriber's reader (or one with a
 * silence limit, whose reads are timed anyway) that has had no input for {@link #PARK_AFTER_MILLIS} hands its
 * connection here ({@link #park}) and its virtual thread ends; when the client
 * sends something (or closes, or the connection's silence limit comes, or someone closes it) a new reader thread is
 * started for the connection, which goes on where the old one stopped. The connection's state (parser, framer,
 * authentication, output queue) stays in its objects; only the thread and its stack go, which is most of what an
 * idle connection costs (docs/BENCHMARKS.md, "Idle subscribed connections").
 *
 * <p>Runs on its own platform thread, {@code bite-idle}, which owns the {@link Selector} and everything registered
 * with it. Other threads reach it only through its two queues ({@link #park}, {@link #wake}) and the selector's
 * wake-up. While parked a connection's channel is in non-blocking mode (a selector needs that); the thread that
 * resumes it puts it back into blocking mode before the reader runs. A writer that meets a full socket meanwhile
 * asks for that with {@link #wake} and waits ({@link Transport.PlainTransport#write}).
 */
final class IdleReaders implements Runnable {

    private static final System.Logger LOG = System.getLogger("bite.net");
    /** A reader without input this long parks its connection here (its thread ends). */
    static final int PARK_AFTER_MILLIS = 2_000;
    /** How often parked connections' silence deadlines are looked at. */
    private static final long DEADLINE_CHECK_NANOS = 250_000_000L;

    /** A parked connection: its channel, what continues its reading, and when its silence limit ends it (0: never). */
    record Parked(SocketChannel channel, Runnable resume, String threadName, long deadlineNanos) {}

    private final ConcurrentLinkedQueue<Parked> toPark = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<SocketChannel> toWake = new ConcurrentLinkedQueue<>();
    /** The connections parked now, by channel (bite-idle's own). */
    private final Map<SocketChannel, Parked> parked = new HashMap<>();
    private volatile int parkedCount;
    private final ThreadStarter threads;
    private final Selector selector;
    private final Thread thread;
    private volatile boolean stopped;

    IdleReaders(ThreadStarter threads) throws IOException {
        this.threads = threads;
        this.selector = Selector.open();
        this.thread = Thread.ofPlatform().daemon().name("bite-idle").unstarted(this);
    }

    void start() {
        thread.start();
    }

    /**
     * Called on a reader's thread, which ends right after a true answer: the connection waits here until it has
     * input. The channel must already be in non-blocking mode. False when this has stopped (a stop, or its selector
     * failed): the reader keeps its thread. Never blocks.
     */
    boolean park(Parked parked) {
        toPark.add(parked);
        if (stopped && toPark.remove(parked)) return false; // nobody will take it: the final drain came first
        selector.wakeup();
        return true;
    }

    /** Any thread: if {@code channel} is parked here, its reader is started now (it was closed, or must write). */
    void wake(SocketChannel channel) {
        toWake.add(channel);
        selector.wakeup();
    }

    /** Connections parked now (for tests and metrics); any thread. */
    int parkedCount() {
        return parkedCount;
    }

    /** Every parked reader is resumed (it finds its connection shut down by the stop) and the thread ends. */
    void stop() throws InterruptedException {
        stopped = true;
        if (thread.getState() == Thread.State.NEW) { // never started (the server did not get that far)
            closeSelector();
            return;
        }
        selector.wakeup();
        thread.join();
    }

    @Override
    public void run() {
        long nextDeadlineCheck = System.nanoTime() + DEADLINE_CHECK_NANOS;
        List<Parked> ready = new ArrayList<>();
        try {
            while (!stopped) {
                selector.select(DEADLINE_CHECK_NANOS / 1_000_000);
                for (Parked p; (p = toPark.poll()) != null; ) register(p);
                for (SelectionKey key : selector.selectedKeys()) take(key.channel(), ready);
                selector.selectedKeys().clear();
                for (SocketChannel ch; (ch = toWake.poll()) != null; ) take(ch, ready);
                long now = System.nanoTime();
                if (now - nextDeadlineCheck >= 0) {
                    nextDeadlineCheck = now + DEADLINE_CHECK_NANOS;
                    List<SocketChannel> due = new ArrayList<>();
                    for (Parked p : parked.values()) {
                        if (p.deadlineNanos() != 0 && now - p.deadlineNanos() >= 0) due.add(p.channel());
                    }
                    for (SocketChannel ch : due) take(ch, ready);
                }
                resume(ready);
                parkedCount = parked.size();
            }
        } catch (IOException | ClosedSelectorException e) {
            LOG.log(Level.ERROR, "the idle-connection selector failed; resuming its connections", e);
        } finally {
            stopped = true;
            for (Parked p; (p = toPark.poll()) != null; ) ready.add(p);
            ready.addAll(parked.values());
            parked.clear();
            for (SelectionKey key : selector.keys()) key.cancel();
            try {
                resume(ready);
            } catch (IOException | ClosedSelectorException e) {
                LOG.log(Level.WARNING, "could not resume every parked connection: " + e.getMessage());
            }
            closeSelector();
        }
    }

    private void closeSelector() {
        try {
            selector.close();
        } catch (IOException e) {
            // nothing is registered any more
        }
    }

    private void register(Parked p) throws IOException {
        if (stopped) {
            resume(p);
            return;
        }
        try {
            p.channel().register(selector, SelectionKey.OP_READ);
            parked.put(p.channel(), p);
        } catch (ClosedChannelException | RuntimeException e) {
            resume(p); // closed meanwhile: its reader finds out and cleans up
        }
    }

    /** If {@code channel} is parked: no longer, and its reader is to be resumed. */
    private void take(SelectableChannel channel, List<Parked> ready) {
        Parked p = parked.remove(channel);
        if (p == null) return; // resumed already (ready and woken at once)
        SelectionKey key = channel.keyFor(selector);
        if (key != null) key.cancel();
        ready.add(p);
    }

    /** Puts the channels of {@code ready} back into blocking mode and starts their readers. */
    private void resume(List<Parked> ready) throws IOException {
        if (ready.isEmpty()) return;
        selector.selectNow(); // deregisters the cancelled keys: only then may their channels block again
        for (Parked p : ready) resume(p);
        ready.clear();
    }

    private void resume(Parked parked) {
        try {
            parked.channel().configureBlocking(true);
        } catch (IOException | RuntimeException e) {
            // closed meanwhile: the reader's read says so and it cleans up
        }
        try {
            threads.start(parked.resume(), parked.threadName());
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.log(Level.ERROR, "could not restart the reader " + parked.threadName() + "; closing it", e);
            Sockets.closeQuietly(parked.channel());
        }
    }
}
