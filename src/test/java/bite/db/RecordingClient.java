package bite.db;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A fake connection that writes down what the database queues for it, in order: {@code "reply X"} per reply line
 * and {@code "push X"} per push line (the {@code \n} taken off, everything else exactly as sent).
 */
final class RecordingClient implements Client {

    private final String name;
    private final List<String> events = new ArrayList<>();
    private boolean refusePushes;
    private boolean failReplies;
    private boolean outputDrained = true;
    private boolean closeAsked;

    RecordingClient(String name) {
        this.name = name;
    }

    @Override
    public void reply(byte[] lines) {
        if (failReplies) throw new IllegalStateException(name + ": broken connection");
        String text = new String(lines, StandardCharsets.UTF_8);
        if (!text.endsWith("\n")) throw new AssertionError(name + ": reply without its \\n: " + text);
        for (String line : text.substring(0, text.length() - 1).split("\n", -1)) events.add("reply " + line);
    }

    @Override
    public boolean push(byte[] line) {
        String text = new String(line, StandardCharsets.UTF_8);
        if (text.startsWith(">") && text.endsWith("\n") && text.indexOf('\n') != text.length() - 1) {
            // an every= batch: tagged push lines in one chunk
            if (refusePushes) return false;
            events.add("batch " + String.join(" | ", text.substring(0, text.length() - 1).split("\n", -1)));
            return true;
        }
        if (!text.endsWith("\n") || text.indexOf('\n') != text.length() - 1) {
            throw new AssertionError(name + ": a push must be exactly one line: " + text);
        }
        if (refusePushes) return false;
        events.add("push " + text.substring(0, text.length() - 1));
        return true;
    }

    @Override
    public String name() {
        return name;
    }

    /** bite-db asked the connection to close (its session was taken over). */
    @Override
    public void close() {
        closeAsked = true;
    }

    boolean closeAsked() {
        return closeAsked;
    }

    @Override
    public boolean outputSent(long mark) {
        return outputDrained;
    }

    /** Acts as a connection whose socket has (true) or has not yet (false) taken everything queued. */
    void outputDrained(boolean drained) {
        outputDrained = drained;
    }

    /** From now on, act like a connection whose output queue is full. */
    void refusePushes() {
        refusePushes = true;
    }

    /** From now on, throw when given replies (a connection with a bug). */
    void failReplies() {
        failReplies = true;
    }

    /** Everything recorded since the last call. */
    List<String> take() {
        List<String> taken = List.copyOf(events);
        events.clear();
        return taken;
    }

    @Override
    public String toString() {
        return name;
    }
}
