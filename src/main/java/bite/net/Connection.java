package bite.net;

import bite.command.Command;
import bite.db.Client;
import bite.db.DatabaseThread;
import bite.db.Request;
import bite.protocol.CommandParser;
import bite.protocol.Frame;
import bite.protocol.LineFramer;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One client connection. The reader runs on the connection's virtual thread {@code bite-conn-N}, the writer (started
 * with the first push) on {@code bite-conn-N-writer}; bite-db reaches it only through {@link #reply} and {@link #push}, which queue and never
 * block.
 *
 * <pre>
 *  reader:  read what is there ─► cut lines ─► parse ─► submit the batch ─► await "done" ─┐
 *             ▲  (waits while the outbound queue is over its limit)                      │
 *             └──────────────────────────────────────────────────────────────────────────┘
 *  bite-db: replies and pushes, in the order it applied the changes ─► outbound queue
 *  writer:  outbound queue ─► socket (small chunks gathered in a scratch buffer, one write)
 * </pre>
 *
 * Closing: at end of stream the replies still queued are sent, then the socket closes. A line over the limit gets
 * {@code ERR line too long} after every earlier reply, then output is shut down and input drained before the close,
 * so the client reads the error instead of a reset. A push over the output limit drops the connection at once.
 */
final class Connection implements Client, Runnable {

    private static final System.Logger LOG = System.getLogger("bite.net");
    private static final byte[] LINE_TOO_LONG = "ERR line too long\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LINE_TOO_LONG_TAGGED = "=ERR line too long\n".getBytes(StandardCharsets.US_ASCII);
    private static final Command INVALID_UTF8 = new Command.Invalid("invalid utf-8");
    private static final int DRAIN_MILLIS = 2_000;
    /**
     * Requests submitted at once, at most. One read can hold thousands of short requests; were they all applied
     * before the next look at the output limit, a client that never reads could queue thousands of large replies
     * ({@code g} of a big value) beyond it.
     */
    private static final int MAX_BATCH = 64;
    /** The scratch buffer that gathers small output for one write: its size at the first write, and at most. */
    private static final int SCRATCH_MIN = 128;
    private static final int SCRATCH_MAX = 16 * 1024;
    /** A chunk this big is written from its own array rather than copied. */
    private static final int BIG_CHUNK = 4 * 1024;

    private final long id;
    private final String name;
    private final SocketChannel channel;
    private final DatabaseThread database;
    private final CommandParser parser;
    private final LineFramer framer;
    private final Outbound outbound;
    private final Consumer<Connection> onClosed;
    private final Settings settings;
    private final ThreadStarter threads;
    private final Object writerLock = new Object();
    private volatile Thread writer;
    private ByteBuffer scratch; // used by whichever thread holds the taken chunks (see Outbound)
    private boolean subscribed; // has sent a subscribe: exempt from the idle timeout
    private boolean authenticated;
    private int protocol = 2; // what the lines read so far chose with 'hello': how the next line is parsed
    private int authFailures;
    private boolean authPenalty;
    private final AtomicBoolean aborting = new AtomicBoolean();

    /**
     * What every connection is told by the server.
     *
     * @param passwordDigest SHA-256 of the password, or null when none is set
     * @param idleTimeoutMillis 0: never
     */
    record Settings(int maxLineBytes, long maxOutputBytes, byte[] passwordDigest, int idleTimeoutMillis,
                    int maxAuthFailures) {

        static byte[] digest(String password) {
            try {
                // comparing fixed-length digests keeps the comparison's time independent of the password's length
                return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
        }
    }

    Connection(long id, SocketChannel channel, DatabaseThread database, CommandParser parser, Settings settings,
               ThreadStarter threads, Consumer<Connection> onClosed) {
        this.id = id;
        this.name = "conn-" + id;
        this.channel = channel;
        this.database = database;
        this.parser = parser;
        this.framer = new LineFramer(settings.maxLineBytes());
        this.outbound = new Outbound(settings.maxOutputBytes());
        this.onClosed = onClosed;
        this.settings = settings;
        this.threads = threads;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void reply(byte[] lines) {
        outbound.addReply(lines);
    }

    @Override
    public boolean outputDrained() {
        return outbound.isEmpty();
    }

    @Override
    public boolean push(byte[] line) {
        startWriter();
        if (outbound.offerPush(line)) return true;
        // every later push is refused too: abort (and log) once. Called on bite-db, which must not touch the
        // socket: close it from a thread of its own
        if (aborting.compareAndSet(false, true)) {
            Thread.ofVirtual().name("bite-" + name + "-abort").start(this::abortSlowConsumer);
        }
        return false;
    }

    /** Stops reading: the reader sees end of stream, answers what it has, and closes (server shutdown). */
    void shutdownInput() {
        try {
            channel.shutdownInput();
        } catch (IOException e) {
            closeQuietly();
        }
    }

    void closeQuietly() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void run() {
        try {
            readLoop();
        } catch (ClosedChannelException e) {
            LOG.log(Level.DEBUG, () -> name + " closed");
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> name + " read error: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, name + " unexpected error", e);
        } finally {
            // whatever happened, release the subscriptions and the socket
            try {
                database.submit(new Request.Disconnected(this, outbound.overflowed()));
            } catch (IllegalStateException stopped) {
                // the database is gone; so are the subscriptions
            }
            outbound.finish();
            try {
                // a writer sends what is still queued, then ends; a connection that never had one rarely needs it
                if (writer != null || !outbound.isEmpty()) startWriter().join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeQuietly();
            onClosed.accept(this);
        }
    }

    /** Why a connection stops reading before end of stream. */
    private enum Ending { LINE_TOO_LONG, QUIT, AUTH_FAILURES }

    private void readLoop() throws IOException, InterruptedException {
        List<Command> batch = new ArrayList<>();
        InputStream in = channel.socket().getInputStream();
        if (settings.idleTimeoutMillis() > 0) channel.socket().setSoTimeout(settings.idleTimeoutMillis());
        boolean framed = false; // the last batch was cut at MAX_BATCH: the framer may hold more whole lines
        while (true) {
            outbound.awaitBelowLimit();
            if (!framed) {
                int n;
                try {
                    n = framer.readFrom(in);
                } catch (SocketTimeoutException idle) {
                    if (subscribed) continue; // a subscriber may listen quietly for as long as it likes
                    LOG.log(Level.INFO, () -> name + " idle for " + settings.idleTimeoutMillis() + " ms; closing");
                    return;
                }
                if (n < 0) return; // end of stream: the finally block flushes and closes
            }
            framed = false;
            Ending ending = null;
            Frame frame;
            while (ending == null && (frame = framer.next()) != null) {
                switch (frame) {
                    case Frame.Line(String text) -> {
                        Command command = parser.parse(text, protocol);
                        if (command != null) {
                            command = admit(command);
                            if (command instanceof Command.Hello hello) protocol = hello.version();
                            batch.add(command);
                            if (command instanceof Command.Quit) ending = Ending.QUIT;
                            else if (authFailures >= settings.maxAuthFailures()) ending = Ending.AUTH_FAILURES;
                        }
                    }
                    case Frame.Malformed() -> batch.add(INVALID_UTF8);
                    case Frame.TooLong() -> ending = Ending.LINE_TOO_LONG;
                }
                if (batch.size() >= MAX_BATCH) { // the output limit is checked between batches: keep them short
                    framed = true;
                    break;
                }
            }
            if (authPenalty) {
                authPenalty = false;
                Thread.sleep(Math.min(100L * authFailures, 1_000)); // slows password guessing on this connection
            }
            if (!batch.isEmpty()) {
                submitAndQueueReplies(batch);
                batch = new ArrayList<>();
            }
            if (ending != null) {
                switch (ending) {
                    case LINE_TOO_LONG -> {
                        LOG.log(Level.INFO, () -> name + " sent a line over the limit; closing");
                        outbound.addReply(protocol == 3 ? LINE_TOO_LONG_TAGGED : LINE_TOO_LONG);
                    }
                    case AUTH_FAILURES -> LOG.log(Level.WARNING, () -> name + " from " + peer()
                            + " closed after " + authFailures + " wrong passwords");
                    case QUIT -> LOG.log(Level.DEBUG, () -> name + " quit");
                }
                closeGracefully();
                return;
            }
        }
    }

    /**
     * The authentication gate. With a password set, only {@code auth} and {@code quit} pass until the right
     * password was given; {@code auth} itself is answered here (compared in constant time) and never reaches the
     * database.
     */
    private Command admit(Command command) {
        byte[] password = settings.passwordDigest();
        if (command instanceof Command.Auth(String given)) {
            if (password == null) return new Command.Invalid("no password is set");
            if (MessageDigest.isEqual(password, Settings.digest(given))) {
                authenticated = true;
                return new Command.Answer("OK");
            }
            authFailures++;
            authPenalty = true;
            return new Command.Invalid("invalid password");
        }
        if (command instanceof Command.Invalid(String reason) && reason.equals("missing password")) {
            return command; // 'auth' with nothing after it: say so, even before authentication
        }
        boolean servedBeforeAuth = command instanceof Command.Quit || command instanceof Command.Hello;
        if (password != null && !authenticated && !servedBeforeAuth) {
            return new Command.Invalid("auth required");
        }
        if (command instanceof Command.Subscribe) subscribed = true; // only one let through: a refused one is none
        return command;
    }

    private String peer() {
        try {
            return String.valueOf(channel.getRemoteAddress());
        } catch (IOException e) {
            return "?";
        }
    }

    private void submitAndQueueReplies(List<Command> batch) throws InterruptedException, IOException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            database.submit(new Request.Batch(this, batch, done));
        } catch (IllegalStateException stopped) {
            throw new ClosedChannelException();
        }
        try {
            done.get(); // the replies are queued by then, in order with this connection's pushes
        } catch (ExecutionException e) {
            throw new IllegalStateException("database failed a batch", e.getCause());
        }
        // send them from this thread, already awake, unless the writer is busy (then it sends them next)
        List<byte[]> chunks = outbound.takeForReader();
        if (chunks != null) {
            try {
                write(chunks);
            } finally {
                outbound.doneWriting();
            }
        }
    }

    /** Sends what is queued, shuts down output, then reads and drops input for a while before the close. */
    private void closeGracefully() throws InterruptedException {
        outbound.finish();
        startWriter();
        outbound.awaitEmpty(DRAIN_MILLIS);
        try {
            channel.shutdownOutput();
            channel.socket().setSoTimeout(DRAIN_MILLIS);
            InputStream in = channel.socket().getInputStream();
            byte[] scratch = new byte[8192];
            long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
            while (System.nanoTime() < deadline && in.read(scratch) >= 0) {
                // discard: the client is still sending the rest of the line
            }
        } catch (IOException e) {
            // the peer went away first: nothing left to protect
        }
    }

    /**
     * The writer thread exists only once something besides the reader's own replies needs sending (a push, or the
     * last output at close): most connections never push-subscribe, and an idle connection then costs one thread.
     */
    private Thread startWriter() {
        Thread w = writer;
        if (w != null) return w;
        synchronized (writerLock) {
            // called on bite-db or this connection's reader, both virtual threads (see ThreadStarter)
            if (writer == null) writer = threads.start(this::writeLoop, "bite-" + name + "-writer");
            return writer;
        }
    }

    private void writeLoop() {
        try {
            for (List<byte[]> chunks = outbound.take(); chunks != null; chunks = outbound.take()) {
                try {
                    write(chunks);
                } finally {
                    outbound.doneWriting();
                }
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> name + " write error: " + e.getMessage());
            outbound.fail();
            closeQuietly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes taken chunks; each write's bytes stop counting against the limit at once. Small chunks (replies,
     * pushes: the usual case) are gathered in this connection's scratch buffer and written from there, so writing
     * allocates nothing per chunk; a big chunk (a large value) is written straight from its array. The scratch
     * buffer starts small and grows, up to {@link #SCRATCH_MAX}, to what a connection's writes need: an idle
     * connection holds little, a busy subscriber's backlog goes out in few writes. Only the thread that took the
     * chunks writes, so the buffer is never shared.
     */
    private void write(List<byte[]> chunks) throws IOException {
        ByteBuffer buf = scratchFor(chunks);
        for (int i = 0; i < chunks.size(); i++) {
            byte[] chunk = chunks.get(i);
            if (chunk.length >= BIG_CHUNK) {
                flush(buf);
                ByteBuffer big = ByteBuffer.wrap(chunk);
                while (big.hasRemaining()) outbound.written(channel.write(big));
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
        while (buf.hasRemaining()) outbound.written(channel.write(buf));
        buf.clear();
    }

    private void abortSlowConsumer() {
        LOG.log(Level.WARNING, () -> name + " disconnected: a push would take its output queue over the limit of "
                + outbound.limit() + " bytes (a subscriber that does not read fast enough)");
        closeQuietly();
    }

    @Override
    public String toString() {
        return name;
    }

    long id() {
        return id;
    }
}
