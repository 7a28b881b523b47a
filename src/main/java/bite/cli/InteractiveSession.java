package bite.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The interactive mode: a prompt, one request per line typed, its reply shown, pushes shown as they arrive, even
 * while the user types (a push erases the prompt line, prints itself and shows the prompt again; what was typed and
 * not yet sent stays in the terminal's line, Ctrl-R shows it again). {@code quit}, {@code exit} or Ctrl-D end it.
 *
 * <p>Threads: the main thread owns the input (the console) and the socket's output side; it sends a line and then
 * takes the reply from {@link #replies}. The reader thread {@code bite-cli-reader} owns the socket's input side: it
 * shows pushes itself and queues replies (and the end of the connection) for the main thread. Output goes through
 * {@link Screen}, the one object both use.
 */
final class InteractiveSession {

    /** What the reader hands the main thread: a reply, or the end of the connection. */
    private sealed interface Incoming {
    }

    private record Answer(ServerLine line) implements Incoming {
    }

    /** {@code shown}: the reader already showed {@code why} (the user was at the prompt). */
    private record Closed(String why, boolean shown) implements Incoming {
    }

    private final ServerLink link;
    private final CliOptions options;
    private final Screen screen;
    private final BlockingQueue<Incoming> replies = new LinkedBlockingQueue<>();

    InteractiveSession(ServerLink link, CliOptions options, Screen screen) {
        this.link = link;
        this.options = options;
        this.screen = screen;
    }

    /** Runs on the main thread until the input ends or the connection does. */
    CliExit run(BufferedReader input) throws InterruptedException {
        Thread.ofPlatform().name("bite-cli-reader").daemon().start(this::read);
        while (true) {
            screen.prompt();
            String line;
            try {
                line = input.readLine();
            } catch (IOException e) {
                line = null;
            }
            screen.lineTaken();
            if (replies.peek() instanceof Closed closed) return lost(closed);
            boolean last = line == null || isWord(line, "quit") || isWord(line, "exit");
            if (!last && line.isBlank()) continue;
            try {
                link.send(last ? "quit" : line);
                link.flush();
            } catch (IOException e) {
                // the reader sees the close and queues it
            }
            Incoming incoming = replies.take();
            if (incoming instanceof Closed closed) return last ? CliExit.OK : lost(closed);
            if (last) return CliExit.OK;
            screen.show(show(((Answer) incoming).line()));
        }
    }

    private CliExit lost(Closed closed) {
        if (!closed.shown()) screen.show("bite cli: " + closed.why());
        return CliExit.CONNECTION_LOST;
    }

    private static boolean isWord(String line, String word) {
        return line.strip().equalsIgnoreCase(word);
    }

    private String show(ServerLine line) {
        return options.raw() ? line.tagged() : line.shown();
    }

    // --- bite-cli-reader ---------------------------------------------------------------------------------------------

    private void read() {
        String why = "the server closed the connection";
        try {
            String text;
            while ((text = link.readLine()) != null) {
                ServerLine line = ServerLine.parse(text);
                if (line instanceof ServerLine.Push) screen.showAside(show(line));
                else replies.add(new Answer(line));
            }
        } catch (IOException e) {
            why = "connection lost: " + e.getMessage();
        }
        boolean shown = screen.showIfPrompting("bite cli: " + why + " (press Enter)");
        replies.add(new Closed(why, shown));
    }
}
