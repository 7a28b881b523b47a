package bite.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar bite.jar cli [options] [COMMAND...]}: a command-line client for Bite, like {@code redis-cli}.
 * Three modes, all over protocol 3 ({@code hello 3} first, then {@code auth} when a password or token is given):
 * <ul>
 *   <li>one-shot, when command words are given: they are joined into one request line; its reply is printed (an
 *       {@code ERR} to stderr, exit 1);</li>
 *   <li>piped, when stdin is not a terminal: its lines are sent pipelined and each reply printed in order
 *       ({@link BatchSession});</li>
 *   <li>interactive, when stdin is a terminal: a prompt, replies, and pushes shown as they arrive
 *       ({@link InteractiveSession}).</li>
 * </ul>
 * Replies are shown without their {@code =} tag (what protocol 2 would send), pushes as
 * {@code push KIND KEY @REV: PAYLOAD}; {@code --raw} shows the tagged lines as they come. Exit codes: {@link CliExit}.
 * Started on the main thread by {@code bite.Main}; the modes name the threads they start.
 */
public final class Cli {

    private Cli() {
        throw new AssertionError();
    }

    /** {@code bite.Main} hands {@code cli}'s arguments here. */
    public static void main(String[] args) {
        Console console = System.console();
        boolean terminal = console != null && console.isTerminal();
        System.exit(run(List.of(args), System.in, System.out, System.err, System.getenv(), terminal));
    }

    /**
     * Runs the cli and returns its exit code.
     *
     * @param terminal whether {@code in} is a terminal: without command words, the interactive mode
     */
    public static int run(List<String> args, InputStream in, PrintStream out, PrintStream err,
                          Map<String, String> env, boolean terminal) {
        CliOptions options;
        try {
            options = CliOptions.parse(args, env);
        } catch (CliOptions.UsageException e) {
            err.println("bite cli: " + e.getMessage() + " (try --help)");
            return CliExit.USAGE.code;
        }
        if (options.help()) {
            out.print(CliOptions.USAGE);
            out.flush();
            return CliExit.OK.code;
        }
        try (ServerLink link = ServerLink.open(options)) {
            CliExit exit;
            if (!options.command().isBlank()) {
                exit = new BatchSession(link, options, true, out, err).run(BatchSession.oneLine(options.command()));
            } else if (terminal) {
                Screen screen = new Screen(out, options.address() + "> ", true);
                BufferedReader input = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                exit = new InteractiveSession(link, options, screen).run(input);
            } else {
                exit = new BatchSession(link, options, false, out, err).run(in);
            }
            out.flush();
            return exit.code;
        } catch (ServerLink.Failure e) {
            err.println("bite cli: " + e.getMessage());
            return e.exit.code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CliExit.CONNECTION_LOST.code;
        }
    }
}
