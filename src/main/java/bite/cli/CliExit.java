package bite.cli;

/** {@code bite cli}'s exit codes (its {@code --help} and the README list them). */
enum CliExit {
    /** Every reply came, none was an {@code ERR}. */
    OK(0),
    /** A reply was {@code ERR ...}, or {@code auth} was refused. */
    ERR_REPLY(1),
    /** A bad option or value. */
    USAGE(2),
    /** No session: the connection, the TLS handshake or {@code hello 3} failed. */
    CANNOT_CONNECT(3),
    /** The server closed the connection (or it broke) before every reply arrived. */
    CONNECTION_LOST(4);

    final int code;

    CliExit(int code) {
        this.code = code;
    }

    /** The worse of two outcomes: a lost connection over an ERR over success. */
    CliExit worst(CliExit other) {
        return other.code > code ? other : this;
    }
}
