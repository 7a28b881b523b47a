package bite.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The one-shot and piped modes: request lines (the one command, or stdin's lines) are sent pipelined, each reply is
 * printed in order, pushes as they come; when the input ends the cli sends its own {@code quit} (not shown) and
 * exits once every reply is in. With {@code --follow} it sends no {@code quit} and prints pushes until the server
 * closes.
 *
 * <p>Threads: the sender {@code bite-cli-sender} owns the input and the socket's output side; the reader
 * {@code bite-cli-reader} owns the socket's input side and stdout/stderr; the main thread starts both and waits for
 * the reader's outcome (a {@link CompletableFuture}, the one hand-off object back to it, which the sender completes
 * instead when stdin cannot be read; the main thread prints its message). The sender tells the reader how many replies to print with one {@link Sent} on a
 * queue, put before the last line goes out (so it is there when that line's reply arrives): a reply past that count
 * is the answer to the cli's own {@code quit}. Both threads are daemons: an input that never ends does not keep
 * the process alive once the reader is done.
 */
final class BatchSession {

    /** The number of request lines the sender wrote, all told. */
    private record Sent(long requests) {
    }

    /** How the session ended: the exit code, and a line for stderr (null: nothing more to say). */
    private record Outcome(CliExit exit, String message) {
    }

    private final ServerLink link;
    private final CliOptions options;
    private final boolean oneShot;
    private final PrintStream out;
    private final PrintStream err;
    private final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

    BatchSession(ServerLink link, CliOptions options, boolean oneShot, PrintStream out, PrintStream err) {
        this.link = link;
        this.options = options;
        this.oneShot = oneShot;
        this.out = out;
        this.err = err;
    }

    /** Runs on the main thread until every reply is in (or the connection is gone); returns the exit code. */
    CliExit run(InputStream requests) throws InterruptedException {
        Thread.ofPlatform().name("bite-cli-reader").daemon().start(this::read);
        Thread.ofPlatform().name("bite-cli-sender").daemon().start(() -> send(requests));
        Outcome end;
        try {
            end = outcome.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the reader failed", e.getCause());
        }
        if (end.message() != null) err.println("bite cli: " + end.message());
        return end.exit();
    }

    // --- bite-cli-sender ---------------------------------------------------------------------------------------------

    private void send(InputStream requests) {
        LineInput lines = new LineInput(requests);
        long count = 0;
        try {
            while (true) {
                byte[] line;
                try {
                    line = lines.readLine();
                } catch (IOException e) {
                    outcome.complete(new Outcome(CliExit.USAGE, "stdin: " + e.getMessage()));
                    return;
                }
                if (line == null) break;
                if (isBlank(line)) continue; // the server answers nothing to it: sending it would upset the count
                count++;
                boolean quit = isQuit(line);
                if (quit) sent.add(new Sent(count)); // the server closes after answering it: nothing more to send
                link.send(line);
                if (quit) {
                    link.flush();
                    return;
                }
                if (!lines.ready()) link.flush(); // about to wait for input: what was read goes out now
            }
            sent.add(new Sent(count));
            if (!options.follow()) link.send("quit"); // ends the session at once; its reply is not shown
            link.flush();
        } catch (IOException e) {
            // the socket: the reader sees the close and says so
        }
    }

    /** Empty, or spaces and tabs with at most a final {@code \r}: the server ignores such a line. */
    static boolean isBlank(byte[] line) {
        int n = line.length;
        if (n > 0 && line[n - 1] == '\r') n--;
        for (int i = 0; i < n; i++) {
            if (line[i] != ' ' && line[i] != '\t') return false;
        }
        return true;
    }

    private static boolean isQuit(byte[] line) {
        return new String(line, StandardCharsets.UTF_8).strip().equalsIgnoreCase("quit");
    }

    // --- bite-cli-reader ---------------------------------------------------------------------------------------------

    private void read() {
        long replies = 0;
        Sent expected = null;
        CliExit result = CliExit.OK;
        String lost = null;
        boolean hinted = false;
        try {
            String text;
            while ((text = link.readLine()) != null) {
                ServerLine line = ServerLine.parse(text);
                if (line instanceof ServerLine.Reply reply) {
                    if (expected == null) expected = sent.poll();
                    replies++;
                    if (expected != null && replies > expected.requests()) continue; // our own quit's OK
                    if (reply.isError()) result = CliExit.ERR_REPLY;
                    print(line, oneShot && reply.isError() ? err : out);
                    if (!hinted && options.secret() == null && reply.text().equals("ERR auth required")) {
                        hinted = true;
                        err.println("bite cli: the server wants a password: --password, --password-file or"
                                + " BITE_PASSWORD");
                    }
                } else {
                    print(line, out);
                }
                if (!link.lineReady()) out.flush();
            }
        } catch (IOException e) {
            lost = e.getMessage();
        }
        out.flush();
        if (expected == null) expected = sent.poll();
        if (lost == null && expected != null && replies >= expected.requests()) {
            outcome.complete(new Outcome(result, null));
            return;
        }
        outcome.complete(new Outcome(CliExit.CONNECTION_LOST,
                (lost != null ? "connection lost: " + lost : "the server closed the connection") + " after " + replies
                        + (expected == null ? "" : " of " + expected.requests()) + " replies"));
    }

    private void print(ServerLine line, PrintStream to) {
        byte[] bytes = (options.raw() ? line.tagged() : line.shown()).getBytes(StandardCharsets.UTF_8);
        to.write(bytes, 0, bytes.length);
        to.write('\n');
    }

    /** The one command of the one-shot mode, as the input. */
    static InputStream oneLine(String command) {
        return new ByteArrayInputStream((command + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
