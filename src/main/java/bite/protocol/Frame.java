package bite.protocol;

/** What {@link LineFramer} cuts out of the byte stream: one request line, or a reason the stream is bad. */
public sealed interface Frame {

    /** A complete line, {@code \n} and a single {@code \r} before it removed, decoded from valid UTF-8. */
    record Line(String text) implements Frame {}

    /** A complete line that is not valid UTF-8; the connection goes on. */
    record Malformed() implements Frame {}

    /** The line reached the limit without its {@code \n}; the connection must close. Nothing follows. */
    record TooLong() implements Frame {}

    Frame MALFORMED = new Malformed();
    Frame TOO_LONG = new TooLong();
}
