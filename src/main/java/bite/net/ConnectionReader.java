package bite.net;

import bite.Config;
import bite.command.Command;
import bite.db.DatabaseThread;
import bite.db.Request;
import bite.protocol.CommandParser;
import bite.protocol.Frame;
import bite.protocol.LineFramer;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.SocketTimeoutException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * One client connection's reader. Everything in it runs on the connection's own virtual thread,
 * {@code bite-conn-N}, started by the {@link Acceptor}: read what is there, cut lines, parse, authenticate, submit
 * the batch to bite-db, await it. Its parsing and authentication state are its own; the output side is the
 * connection's {@link ConnectionWriter}, which it reaches only through that type's methods.
 *
 * <pre>
 *  reader:  read what is there ─► cut lines ─► parse ─► auth ─► submit the batch ─► await "done" ─┐
 *             ▲  (waits while the output queue is over its limit)                                │
 *             └──────────────────────────────────────────────────────────────────────────────────┘
 *  bite-db: replies and pushes, in the order it applied the changes ─► the writer's queue
 *  writer:  queue ─► socket (the reader sends its own replies while the writer is idle: ConnectionWriter)
 * </pre>
 *
 * Idle: a subscriber (or a connection with a silence limit) that has had no input for
 * {@link IdleReaders#PARK_AFTER_MILLIS} gives its read buffer back and parks its connection with {@link IdleReaders};
 * its thread ends, and the next bytes (or a close, or the silence limit) start a new {@code bite-conn-N} thread that
 * goes on with the same state. One thread at a time runs this object: the one that parks ends before the next starts.
 *
 * <p>Closing: at end of stream the replies still queued are sent, then the socket closes. A line over the limit ends
 * the batch with an {@code Invalid("line too long")} for bite-db to answer after every earlier reply; then output is
 * shut down and input drained before the close, so the client reads the error instead of a reset.
 */
final class ConnectionReader implements Runnable {

    private static final System.Logger LOG = System.getLogger("bite.net");
    private static final Command INVALID_UTF8 = new Command.Invalid("invalid utf-8");
    private static final Command LINE_TOO_LONG = new Command.Invalid("line too long");
    private static final Command INTERNAL_ERROR = new Command.Invalid("internal error");
    private static final int DRAIN_MILLIS = 2_000;
    /** A TLS client gets this long to finish its handshake. */
    private static final int HANDSHAKE_MILLIS = 10_000;
    private static final Command FORBIDDEN = new Command.Invalid("forbidden");
    /**
     * Requests submitted at once, at most. One read can hold thousands of short requests; were they all applied
     * before the next look at the output limit, a client that never reads could queue thousands of large replies
     * ({@code g} of a big value) beyond it.
     */
    private static final int MAX_BATCH = 64;

    private final String name;
    private final SocketAddress peer;
    private final Transport transport;
    private final DatabaseThread database;
    private final CommandParser parser;
    private final LineFramer framer;
    private final Authentication auth;
    private final Access access;
    private final DenialLog denials;
    private final SilenceLimits silence;
    private int readTimeout; // the socket's read timeout now
    private long lastInputNanos = System.nanoTime(); // when the client's last bytes came (the silence limits count)
    private final ConnectionWriter writer;
    private final Consumer<ConnectionReader> onClosed;
    private boolean subscribed; // has sent a subscribe: exempt from the idle timeout (not the session timeout)
    private int protocol = 2; // what the lines read so far chose with 'hello': how the next line is parsed
    private volatile int shownProtocol = 2; // the same, for metrics on other threads

    ConnectionReader(long id, Transport transport, Config config, DatabaseThread database, CommandParser parser,
                     Access access, ThreadStarter threads, Consumer<ConnectionReader> onClosed) {
        this.name = "conn-" + id;
        this.peer = transport.peer();
        this.transport = transport;
        this.database = database;
        this.parser = parser;
        this.framer = new LineFramer(config.maxLineBytes());
        this.auth = new Authentication(access.authenticator, config.maxAuthFailures(), access.rules, access.sleeper);
        this.access = access;
        this.denials = new DenialLog(name, peer);
        this.silence = SilenceLimits.of(config.idleTimeout(), config.sessionTimeout());
        this.writer = new ConnectionWriter(name, peer, transport, config.maxOutputBytes(), threads);
        this.onClosed = onClosed;
    }

    @Override
    public void run() {
        LOG.log(Level.DEBUG, () -> name + " opened from " + peer);
        serve(true);
    }

    /** Reading goes on after the connection was parked ({@link IdleReaders}), on a new thread. */
    private void resume() {
        serve(false);
    }

    private void serve(boolean first) {
        boolean parked = false;
        try {
            if (first) transport.open(HANDSHAKE_MILLIS); // TLS: the handshake, here rather than on the acceptor
            parked = readLoop();
        } catch (ClosedChannelException e) {
            // closed by its writer (a slow consumer) or by a stop: the finally block logs the close
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> name + " (" + peer + ") read error: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, name + " (" + peer + ") unexpected error", e);
        } catch (OutOfMemoryError e) {
            answerOutOfMemory(e);
        } finally {
            if (!parked) closed();
        }
    }

    /** Whatever ended the connection: release the subscriptions and the socket. */
    private void closed() {
        try {
            database.submit(new Request.Disconnected(writer, writer.overflowed()));
        } catch (IllegalStateException stopped) {
            // the database is gone; so are the subscriptions
        }
        try {
            writer.finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transport.closeAfterOutput(!writer.overflowed()); // a WebSocket sends its close frame first
        onClosed.accept(this);
        LOG.log(Level.DEBUG, () -> name + " (" + peer + ") closed");
    }

    /** Why a connection stops reading before end of stream. */
    private enum Ending { LINE_TOO_LONG, QUIT, AUTH_FAILURES }

    /** Reads until the connection ends (false) or is parked without a thread (true). */
    private boolean readLoop() throws IOException, InterruptedException {
        List<Command> batch = new ArrayList<>();
        InputStream in = transport.input();
        boolean framed = false; // the last batch was cut at MAX_BATCH: the framer may hold more whole lines
        while (true) {
            writer.awaitBelowLimit();
            if (!framed) {
                int silenceMillis = silence.timeoutMillis(protocol, subscribed);
                // a subscriber, or a connection with a silence limit (whose reads are timed anyway), parks when idle;
                // a plain request/response connection keeps its thread and its untimed reads
                boolean parkable = transport.parkable() && (subscribed || silenceMillis > 0);
                int timeout = SilenceLimits.readTimeoutMillis(silenceMillis, millisSince(lastInputNanos), parkable);
                if (timeout != readTimeout) transport.readTimeout(readTimeout = timeout);
                int n;
                try {
                    n = framer.readFrom(in);
                } catch (SocketTimeoutException quiet) {
                    if (silenceMillis > 0 && millisSince(lastInputNanos) >= silenceMillis) {
                        // a protocol-3 session's grace starts at this close
                        LOG.log(Level.INFO, () -> name + " (" + peer + ") "
                                + silence.reason(protocol, subscribed) + "; closing");
                        return false;
                    }
                    long deadline = silenceMillis == 0 ? 0 : (lastInputNanos + silenceMillis * 1_000_000L) | 1; // 0: none
                    if (parkable && framer.release() && transport.park(this::resume, "bite-" + name, deadline)) {
                        return true; // this thread ends; IdleReaders starts another when there is input
                    }
                    continue;
                }
                if (n < 0) return false; // end of stream: the finally block flushes and closes
                lastInputNanos = System.nanoTime();
            }
            framed = false;
            Ending ending = null;
            Frame frame;
            while (ending == null && (frame = framer.next()) != null) {
                switch (frame) {
                    case Frame.Line(String text) -> {
                        Command command = parser.parse(text, protocol);
                        if (command != null) {
                            Command admitted = admit(command);
                            if (admitted instanceof Command.Hello hello) shownProtocol = protocol = hello.version();
                            batch.add(admitted);
                            if (command instanceof Command.Quit) ending = Ending.QUIT;
                            else if (auth.exhausted()) ending = Ending.AUTH_FAILURES;
                        }
                    }
                    case Frame.Malformed() -> batch.add(INVALID_UTF8);
                    case Frame.TooLong() -> {
                        batch.add(LINE_TOO_LONG); // answered by bite-db after every earlier reply
                        ending = Ending.LINE_TOO_LONG;
                    }
                }
                // the output limit is checked between batches; a failed auth's reply waits its own delay before the
                // lines after it are looked at, so pipelined guesses are slowed one by one
                if ((batch.size() >= MAX_BATCH || auth.penaltyDue()) && ending == null) {
                    framed = true;
                    break;
                }
            }
            auth.awaitPenalty(); // slows password guessing on this connection
            if (!batch.isEmpty()) {
                submitAndSendReplies(batch);
                batch = new ArrayList<>();
            }
            if (ending != null) {
                switch (ending) {
                    case LINE_TOO_LONG -> LOG.log(Level.INFO, () -> name + " (" + peer + ") sent a line over the"
                            + " limit; closing");
                    case AUTH_FAILURES -> LOG.log(Level.WARNING, () -> name + " (" + peer + ") closed after "
                            + auth.failures() + " failed auth attempts");
                    case QUIT -> LOG.log(Level.DEBUG, () -> name + " (" + peer + ") quit");
                }
                closeGracefully();
                return false;
            }
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** The command for the batch, after the authentication gate. */
    private Command admit(Command command) {
        Command admitted = switch (auth.admit(command)) {
            case Authentication.Verdict.Pass() -> permitted(command);
            case Authentication.Verdict.Accepted(String user, String role) -> new Command.Authenticated(user, role);
            case Authentication.Verdict.Refused(String reason) -> new Command.Invalid(reason);
            case Authentication.Verdict.Required() -> new Command.Invalid("auth required");
        };
        if (admitted instanceof Command.Subscribe) subscribed = true; // only one let through: a refused one is none
        if (admitted instanceof Command.Hello(int version, String session) && session != null
                && !auth.mayTakeOver()) {
            return new Command.Hello(version, null); // a SESSION is honoured only after auth: keep its own
        }
        return admitted;
    }

    /** {@code command} when the rules allow it, else {@code ERR forbidden} (counted, and logged sparingly). */
    private Command permitted(Command command) {
        if (auth.permits(command)) return command;
        access.denied();
        denials.denied(auth.user(), command);
        return FORBIDDEN;
    }

    /**
     * The heap ran out while this reader read or parsed (a huge line being built): the client gets
     * {@code ERR internal error} (through bite-db, in order with what it was sent before) and the connection closes,
     * since the line it was reading is lost: never a silent drop. Commands framed from the same read and not yet
     * submitted are neither applied nor answered; the error stands in for them.
     */
    private void answerOutOfMemory(OutOfMemoryError e) {
        LOG.log(Level.ERROR, name + " (" + peer + ") ran out of memory reading a request; answering ERR internal"
                + " error and closing", e);
        try {
            submitAndSendReplies(new ArrayList<>(List.of(INTERNAL_ERROR)));
            closeGracefully();
        } catch (IOException | RuntimeException | OutOfMemoryError again) {
            LOG.log(Level.DEBUG, () -> name + " could not answer after running out of memory: " + again);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void submitAndSendReplies(List<Command> batch) throws InterruptedException, IOException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            database.submit(new Request.Batch(writer, batch, done));
        } catch (IllegalStateException stopped) {
            throw new ClosedChannelException();
        }
        try {
            done.get(); // the replies are queued by then, in order with this connection's pushes
        } catch (ExecutionException e) {
            throw new IllegalStateException("database failed a batch", e.getCause());
        }
        writer.sendRepliesHere();
    }

    /** Sends what is queued, shuts down output, then reads and drops input for a while before the close. */
    private void closeGracefully() throws InterruptedException {
        if (!writer.finishAndShutdownOutput(DRAIN_MILLIS)) {
            closeSocket(); // the client does not read: close now (which ends the writer's write)
            return;
        }
        try {
            transport.readTimeout(DRAIN_MILLIS);
            InputStream in = transport.input();
            byte[] scratch = new byte[8192];
            long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
            while (System.nanoTime() < deadline && in.read(scratch) >= 0) {
                // discard: the client is still sending the rest of the line
            }
        } catch (IOException e) {
            // the peer went away first: nothing left to protect
        }
    }

    /** Stops reading: the reader sees end of stream, answers what it has, and closes (server shutdown). */
    void shutdownInput() {
        try {
            transport.shutdownInput();
        } catch (IOException e) {
            closeSocket();
        }
    }

    void closeSocket() {
        transport.close();
    }

    /** The protocol the connection chose with {@code hello} (2 until it did). Any thread. */
    int protocol() {
        return shownProtocol;
    }

    @Override
    public String toString() {
        return name;
    }
}
