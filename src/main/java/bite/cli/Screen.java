package bite.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The interactive mode's terminal output: the prompt, replies and pushes. The one object both of its threads use
 * (the main thread prints the prompt and replies, the reader thread {@code bite-cli-reader} prints pushes as they
 * arrive); every method is synchronized, so lines never interleave. It remembers whether the prompt is showing, to
 * put a push that arrives while the user is at the prompt above it and show the prompt again.
 */
final class Screen {

    /** Carriage return, then erase the line: the prompt goes, and the push takes its place. */
    private static final String CLEAR_LINE = "\r\033[2K";

    private final PrintStream out;
    private final String prompt;
    private final boolean ansi;
    private boolean promptShowing;

    /** With {@code ansi}, the prompt line is erased before a push; otherwise the push goes on a line of its own. */
    Screen(PrintStream out, String prompt, boolean ansi) {
        this.out = out;
        this.prompt = prompt;
        this.ansi = ansi;
    }

    synchronized void prompt() {
        out.print(prompt);
        out.flush();
        promptShowing = true;
    }

    /** The user ended a line: the terminal moved to the next line. */
    synchronized void lineTaken() {
        promptShowing = false;
    }

    /** A reply or a message, on its own line. */
    synchronized void show(String text) {
        print(text);
    }

    /** A push (or a notice from the reader thread): above the prompt when the user is at it, which is then shown again. */
    synchronized void showAside(String text) {
        if (!promptShowing) {
            print(text);
            return;
        }
        out.print(ansi ? CLEAR_LINE : "\n");
        print(text);
        out.print(prompt);
        out.flush();
    }

    /** A notice for a user waiting at the prompt, shown like a push; false (not shown) when the user is not there. */
    synchronized boolean showIfPrompting(String text) {
        if (!promptShowing) return false;
        showAside(text);
        return true;
    }

    private void print(String text) {
        byte[] bytes = ServerLine.forTerminal(text).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        out.write('\n');
        out.flush();
    }
}
