package bite.net;

import bite.db.Client;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The output side of one connection: its queue ({@link Outbound}), its writer thread {@code bite-conn-N-writer}, and
 * the scratch buffer writes are gathered in. bite-db reaches the connection only through {@link #reply} and
 * {@link #push}, which queue and never block; the connection's reader ({@link ConnectionReader}) only through the
 * methods marked as its own.
 *
 * <p>Why a writer thread: a push must go out while the reader waits for the client's next request, and a
 * subscriber that does not read must not stall bite-db. It is started at the first push (most connections never
 * subscribe, and an idle connection then costs one thread) or when the connection closes with output left.
 *
 * <p><b>The one hand-off.</b> Replies are not the writer's to send while it is idle: the reader, which waits for
 * them and is awake when they are queued, sends them itself ({@link #sendRepliesHere}), saving a thread hand-off per
 * request (docs/BENCHMARKS.md, "Who writes replies"). Who writes at a given moment is decided by one token, the
 * queue's {@code writing} flag ({@link Outbound#takeForReader}, {@link Outbound#take}, {@link Outbound#doneWriting}):
 * the thread that took chunks holds it, writes them and the scratch buffer is its own until it gives it back.
 *
 * <p>A push that would take the queue over its limit fails the queue; the writer then closes the socket (a write
 * blocked on a client that does not read is ended by interrupting the writer: the JDK closes an interruptible
 * channel on interrupt) and the reader, seeing the socket closed, reports the slow consumer to bite-db.
 */
final class ConnectionWriter implements Client {

    private static final System.Logger LOG = System.getLogger("bite.net");
    /** The scratch buffer that gathers small output for one write: its size at the first write, and at most. */
    private static final int SCRATCH_MIN = 128;
    private static final int SCRATCH_MAX = 16 * 1024;
    /** A chunk this big is written from its own array rather than copied. */
    private static final int BIG_CHUNK = 4 * 1024;

    private final String name;
    private final SocketAddress peer;
    private final Transport transport;
    private final Outbound outbound;
    private final ThreadStarter threads;
    private final Object threadLock = new Object();
    private volatile Thread thread;
    private volatile boolean shutdownOutputWhenDone;
    private volatile boolean closeAsked; // by bite-db: its session was taken over
    private ByteBuffer scratch; // the token holder's (see the class comment)
    private boolean overflowSeen; // bite-db's: the writer was told once

    ConnectionWriter(String name, SocketAddress peer, Transport transport, long maxOutputBytes,
                     ThreadStarter threads) {
        this.name = name;
        this.peer = peer;
        this.transport = transport;
        this.outbound = new Outbound(maxOutputBytes);
        this.threads = threads;
    }

    // --- bite-db's side: queue, never block ---

    @Override
    public String name() {
        return name;
    }

    /** Queues reply bytes; the reader sends them (or the writer, when it is busy). */
    @Override
    public void reply(byte[] lines) {
        outbound.addReply(lines);
    }

    @Override
    public long outputMark() {
        return outbound.mark();
    }

    @Override
    public boolean outputSent(long mark) {
        return outbound.sentUpTo(mark);
    }

    @Override
    public boolean push(byte[] line) {
        Thread writer = startThread(); // wherever this runs it only hands a parked spare its task (ThreadStarter)
        if (outbound.offerPush(line)) return true;
        // the queue failed: an idle writer is woken by it; one stuck in a write is interrupted, which closes the
        // channel; either way the writer closes the socket and logs why, once
        if (!overflowSeen) {
            overflowSeen = true;
            writer.interrupt();
        }
        return false;
    }

    /**
     * Its session was taken over: the queue fails (nothing more is sent) and the writer closes the socket, which
     * ends the reader's read; the reader then reports the close. Never blocks.
     */
    @Override
    public void close() {
        closeAsked = true;
        outbound.fail(); // wakes an idle writer
        Thread writer = startThread();
        writer.interrupt(); // one in a write: the channel closes
    }

    // --- the reader's side ---

    /** Blocks while the queue is over its limit: the reader stops reading requests until the client drains it. */
    void awaitBelowLimit() throws InterruptedException {
        outbound.awaitBelowLimit();
    }

    /** The hand-off: sends the queued replies on the calling reader thread, unless the writer is writing. */
    void sendRepliesHere() throws IOException {
        List<byte[]> chunks = outbound.takeForReader();
        if (chunks == null) return; // nothing queued, or the writer holds the token and sends it next
        try {
            write(chunks);
        } finally {
            outbound.doneWriting();
        }
    }

    /** Whether a push was refused because the queue was full (the client did not read fast enough). */
    boolean overflowed() {
        return outbound.overflowed();
    }

    /** No more output: the writer sends what is queued and ends; waits for it (the socket is closed after). */
    void finish() throws InterruptedException {
        outbound.finish();
        if (thread != null || !outbound.isEmpty()) startThread().join();
    }

    /**
     * No more output: the writer sends what is queued, then shuts the socket's output down, so that the client reads
     * everything and then end of stream. False when that took longer than {@code millis}.
     */
    boolean finishAndShutdownOutput(long millis) throws InterruptedException {
        shutdownOutputWhenDone = true;
        outbound.finish();
        Thread writer = startThread();
        writer.join(millis);
        return !writer.isAlive();
    }

    private Thread startThread() {
        Thread w = thread;
        if (w != null) return w;
        synchronized (threadLock) {
            if (thread == null) thread = threads.start(this::writeLoop, "bite-" + name + "-writer");
            return thread;
        }
    }

    // --- the writer thread ---

    private void writeLoop() {
        try {
            for (List<byte[]> chunks = outbound.take(); chunks != null; chunks = outbound.take()) {
                try {
                    write(chunks);
                } finally {
                    outbound.doneWriting();
                }
            }
            if (!outbound.overflowed() && shutdownOutputWhenDone) transport.shutdownOutput();
        } catch (IOException e) {
            if (!outbound.overflowed()) {
                LOG.log(Level.DEBUG, () -> name + " (" + peer + ") write error: " + e.getMessage());
            }
            outbound.fail();
            transport.close();
        } catch (InterruptedException e) {
            if (!outbound.overflowed()) Thread.currentThread().interrupt();
        }
        if (closeAsked) {
            LOG.log(Level.DEBUG, () -> name + " (" + peer + ") closed: its session was taken over");
            transport.close();
        } else if (outbound.overflowed()) {
            LOG.log(Level.WARNING, () -> name + " (" + peer + ") disconnected: a push would take its output queue"
                    + " over the limit of " + outbound.limit() + " bytes (a subscriber that does not read fast"
                    + " enough)");
            transport.close(); // the reader sees the socket closed and reports the slow consumer
        }
    }

    /**
     * Writes taken chunks; each write's bytes stop counting against the limit at once. Small chunks (replies,
     * pushes: the usual case) are gathered in the scratch buffer and written from there, so writing allocates
     * nothing per chunk; a big chunk (a large value) is written straight from its array. The scratch buffer starts
     * small and grows, up to {@link #SCRATCH_MAX}, to what the connection's writes need: an idle connection holds
     * little, a busy subscriber's backlog goes out in few writes. Runs on the token holder only.
     */
    private void write(List<byte[]> chunks) throws IOException {
        ByteBuffer buf = scratchFor(chunks);
        for (int i = 0; i < chunks.size(); i++) {
            byte[] chunk = chunks.get(i);
            if (chunk.length >= BIG_CHUNK) {
                flush(buf);
                ByteBuffer big = ByteBuffer.wrap(chunk);
                while (big.hasRemaining()) outbound.written(transport.write(big));
                continue;
            }
            if (chunk.length > buf.remaining()) flush(buf);
            buf.put(chunk);
        }
        flush(buf);
    }

    /** The scratch buffer, empty, grown (by powers of two, at most to the maximum) to hold these small chunks. */
    private ByteBuffer scratchFor(List<byte[]> chunks) {
        int small = 0;
        for (int i = 0; i < chunks.size() && small < SCRATCH_MAX; i++) {
            int n = chunks.get(i).length;
            if (n < BIG_CHUNK) small += n;
        }
        int want = Math.clamp(Integer.highestOneBit(Math.max(small - 1, 1)) << 1, SCRATCH_MIN, SCRATCH_MAX);
        if (scratch == null || scratch.capacity() < want) scratch = ByteBuffer.allocate(want);
        return scratch.clear();
    }

    private void flush(ByteBuffer buf) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) outbound.written(transport.write(buf));
        buf.clear();
    }

    @Override
    public String toString() {
        return name;
    }
}
