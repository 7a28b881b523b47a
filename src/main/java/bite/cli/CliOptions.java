package bite.cli;

import bite.PasswordFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code bite cli} was asked to do: where to connect, how to authenticate, how to show lines, and the command
 * given as arguments (empty: read commands from stdin). Parsed by {@link #parse} from the arguments after
 * {@code cli} and the environment; a value, made on the main thread.
 *
 * @param host        {@code --host}, else {@code BITE_HOST}, else 127.0.0.1; a wildcard ({@code 0.0.0.0}, {@code ::})
 *                    means this machine, as in a container whose server listens on every interface
 * @param port        {@code --port}, else {@code BITE_PORT}, else 1984
 * @param secret      what {@code auth} is sent with: {@code --token}, {@code --password}, {@code --password-file},
 *                    {@code BITE_PASSWORD}, {@code BITE_PASSWORD_FILE} (the first given, in that order); null: none
 * @param tls         connect with TLS ({@code --tls}, implied by the two below)
 * @param tlsInsecure accept any certificate and host name ({@code --tls-insecure})
 * @param tlsCa       a PEM file of the certificate authorities to trust instead of the JDK's ({@code --tls-ca})
 * @param raw         print every line as the server sends it, tag included ({@code --raw})
 * @param follow      after the last reply, keep printing pushes until the server closes ({@code --follow})
 * @param help        {@code --help}
 * @param command     the command words, joined into one request line; empty when none were given
 */
record CliOptions(String host, int port, String secret, boolean tls, boolean tlsInsecure, Path tlsCa, boolean raw,
                  boolean follow, boolean help, String command) {

    /** A bad option or value: one line, exit code {@link CliExit#USAGE}. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** {@code host:port} as the prompt and the messages show it ({@code [::1]:1984} for IPv6). */
    String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    static final String USAGE = """
            Usage: java -jar bite.jar cli [options] [COMMAND WORDS...]

            A client for Bite, like redis-cli. With a command (bite cli g room.7.name) it sends that one request line,
            prints the reply and exits. Without one it reads request lines from stdin: with a prompt when stdin is
            a terminal, else one request per line, replies printed in order. It speaks protocol 3: pushes are shown
            as 'push KIND KEY @REV: PAYLOAD', replies without their '=' tag.

            Options (options come before the command; '--' ends them):
              --host H             server address (default 127.0.0.1, or BITE_HOST; 0.0.0.0 and :: mean this machine)
              --port P             server port (default 1984, or BITE_PORT)
              --password P         send 'auth P' first (or BITE_PASSWORD)
              --password-file F    the same, the password read from file F (or BITE_PASSWORD_FILE)
              --token T            send 'auth T' first: a signed token
              --tls                connect with TLS, verifying the server's certificate with the JDK's trusted CAs
              --tls-ca FILE        TLS, trusting the certificate authorities in the PEM file FILE instead
              --tls-insecure       TLS without verifying the certificate (a self-signed test server only)
              --raw                print lines exactly as the server sends them, '=' and '>' tags included
              --follow             after stdin ends (or the one command), keep printing pushes until the server closes
              --help               this text

            Exit codes: 0 every reply came, none was ERR; 1 a reply was ERR (one-shot: printed to stderr) or auth
            failed; 2 bad usage; 3 cannot connect (refused, unknown host, TLS, no answer to hello 3); 4 the connection
            was lost before every reply arrived.
            """;

    static CliOptions parse(List<String> args, Map<String, String> env) throws UsageException {
        String host = nonEmpty(env.get("BITE_HOST"), "127.0.0.1");
        String portText = nonEmpty(env.get("BITE_PORT"), "1984");
        String portSource = env.get("BITE_PORT") == null || env.get("BITE_PORT").isEmpty() ? "--port" : "BITE_PORT";
        String password = null;
        String passwordFile = null;
        String token = null;
        boolean tls = false;
        boolean insecure = false;
        Path ca = null;
        boolean raw = false;
        boolean follow = false;
        boolean help = false;
        List<String> words = new ArrayList<>();
        int i = 0;
        for (; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                i++;
                break;
            }
            if (!arg.startsWith("--")) break;
            String flag = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                flag = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (flag) {
                case "--tls", "--tls-insecure", "--raw", "--follow", "--help" -> {
                    if (value != null) throw new UsageException(flag + " takes no value: " + arg);
                    switch (flag) {
                        case "--tls" -> tls = true;
                        case "--tls-insecure" -> insecure = true;
                        case "--raw" -> raw = true;
                        case "--follow" -> follow = true;
                        default -> help = true;
                    }
                }
                case "--host", "--port", "--password", "--password-file", "--token", "--tls-ca" -> {
                    if (value == null) {
                        if (i + 1 >= args.size()) throw new UsageException("missing value for " + flag);
                        value = args.get(++i);
                    }
                    if (value.isBlank()) throw new UsageException("empty value for " + flag);
                    switch (flag) {
                        case "--host" -> host = value;
                        case "--port" -> {
                            portText = value;
                            portSource = "--port";
                        }
                        case "--password" -> password = value;
                        case "--password-file" -> passwordFile = value;
                        case "--token" -> token = value;
                        default -> ca = Path.of(value);
                    }
                }
                default -> throw new UsageException("unknown option: " + arg);
            }
        }
        for (; i < args.size(); i++) words.add(args.get(i));
        String secret = token != null ? token
                : password != null ? password
                : passwordFile != null ? readPasswordFile(passwordFile, "--password-file")
                : nonEmpty(env.get("BITE_PASSWORD"), null);
        if (secret == null && nonEmpty(env.get("BITE_PASSWORD_FILE"), null) != null) {
            secret = readPasswordFile(env.get("BITE_PASSWORD_FILE"), "BITE_PASSWORD_FILE");
        }
        return new CliOptions(connectable(host), port(portText, portSource), secret, tls || insecure || ca != null,
                insecure, ca, raw, follow, help, String.join(" ", words));
    }

    private static String readPasswordFile(String file, String source) throws UsageException {
        try {
            return PasswordFile.read(Path.of(file));
        } catch (IllegalArgumentException e) {
            throw new UsageException(source + " " + file + ": " + e.getMessage());
        }
    }

    /** A listening wildcard is not an address to connect to: it means this machine. */
    private static String connectable(String host) {
        return switch (host) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "[::]" -> "::1";
            default -> host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        };
    }

    private static int port(String text, String source) throws UsageException {
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= 1 && port <= 65535) return port;
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException("invalid value for " + source + ": " + text + " (expected a port, 1-65535)");
    }

    private static String nonEmpty(String value, String otherwise) {
        return value == null || value.isEmpty() ? otherwise : value;
    }
}
