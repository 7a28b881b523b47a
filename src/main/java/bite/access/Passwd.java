package bite.access;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * {@code java -jar bite.jar passwd NAME [ROLE]}: reads a password and prints the users-file line for it. From a
 * terminal the password is read twice without echo; otherwise it is the first line of standard input. Runs on main,
 * once, and exits.
 */
public final class Passwd {

    /** The longest password read from standard input, in bytes. */
    static final int MAX_PASSWORD_BYTES = 1024;

    private Passwd() {
    }

    /**
     * Runs the command; {@code args} are the words after {@code passwd}.
     *
     * @param console the terminal, or null (a console that is not a terminal counts as none)
     * @return the exit status: 0 done, 1 no password read, 2 wrong arguments
     */
    public static int run(String[] args, Console console, InputStream in, PrintStream out, PrintStream err) {
        return run(args, console, in, out, err, PasswordHash.DEFAULT_ITERATIONS);
    }

    static int run(String[] args, Console console, InputStream in, PrintStream out, PrintStream err, int iterations) {
        if (args.length < 1 || args.length > 2) {
            err.println("usage: bite passwd NAME [ROLE]   (ROLE defaults to player; the password is read from stdin)");
            return 2;
        }
        String name = args[0];
        String role = args.length == 2 ? args[1] : "player";
        String why = Names.check(name);
        if (why != null) {
            err.println("invalid user name: " + why);
            return 2;
        }
        why = Names.check(role);
        if (why != null) {
            err.println("invalid role: " + why);
            return 2;
        }
        char[] password = null;
        try {
            password = console != null && console.isTerminal() ? fromTerminal(console, name, err) : fromStream(in, err);
            if (password == null) return 1;
            PasswordHash hash = PasswordHash.create(password, iterations, new SecureRandom());
            out.println(name + " " + role + " " + hash.encode());
            return 0;
        } catch (IOException e) {
            err.println("cannot read the password: " + e.getMessage());
            return 1;
        } finally {
            if (password != null) Arrays.fill(password, '\0');
        }
    }

    private static char[] fromTerminal(Console console, String name, PrintStream err) {
        char[] first = console.readPassword("Password for %s: ", name);
        if (first == null || first.length == 0) {
            err.println("no password given");
            return null;
        }
        char[] again = console.readPassword("Again: ");
        boolean same = Arrays.equals(first, again);
        if (again != null) Arrays.fill(again, '\0');
        if (!same) {
            Arrays.fill(first, '\0');
            err.println("the passwords differ");
            return null;
        }
        return first;
    }

    /** The first line of {@code in} (without its line end), read byte by byte so nothing past it is consumed. */
    private static char[] fromStream(InputStream in, PrintStream err) throws IOException {
        byte[] buf = new byte[MAX_PASSWORD_BYTES + 2];
        int n = 0;
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (n == buf.length) {
                Arrays.fill(buf, (byte) 0);
                err.println("password longer than " + MAX_PASSWORD_BYTES + " bytes");
                return null;
            }
            buf[n++] = (byte) b;
        }
        if (n > 0 && buf[n - 1] == '\r') n--;
        try {
            if (n > MAX_PASSWORD_BYTES) {
                err.println("password longer than " + MAX_PASSWORD_BYTES + " bytes");
                return null;
            }
            if (n == 0) {
                err.println("no password given");
                return null;
            }
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(buf, 0, n));
            char[] password = new char[chars.remaining()];
            chars.get(password);
            Arrays.fill(chars.array(), '\0');
            return password;
        } catch (CharacterCodingException e) {
            err.println("the password is not valid UTF-8");
            return null;
        } finally {
            Arrays.fill(buf, (byte) 0);
        }
    }
}
