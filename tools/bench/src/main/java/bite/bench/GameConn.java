package bite.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * One connection of a game player: a non-blocking socket with its unsent bytes and the part of a line that a read
 * split. Bite players have one (writes, replies and pushes); Redis players two, one for SET + PUBLISH and their
 * replies ({@link Role#REDIS_COMMANDS}) and one that is SUBSCRIBEd ({@link Role#REDIS_SUBSCRIBER}), whose RESP
 * messages span several lines ({@link #respLeft}, {@link #respIndex}). Owned by the game's loop thread.
 */
final class GameConn {

    enum Role { BITE, REDIS_COMMANDS, REDIS_SUBSCRIBER }

    /** Unsent bytes beyond this mean the server stopped reading us: further writes of the player are skipped. */
    static final int MAX_UNSENT = 1 << 20;
    private static final byte[] EMPTY = new byte[0];

    final SocketChannel channel;
    final Role role;
    final int room;
    final int player;
    /** Replies still expected to the requests sent before the game starts (auth, hello, subscribe). */
    int setupReplies;
    boolean closed;
    private ByteBuffer unsent = ByteBuffer.allocate(4096).flip();
    private byte[] partial = EMPTY;

    /** RESP state of a subscriber connection: elements left in the current array, and the next one's index. */
    private int respLeft;
    private int respIndex;
    private boolean respBulkNext;
    private boolean respMessage;

    /** What a line of a Redis subscriber connection was. */
    enum RespLine { PAYLOAD, SUBSCRIBED, OTHER, BAD }

    GameConn(SocketChannel channel, Role role, int room, int player) {
        this.channel = channel;
        this.role = role;
        this.room = room;
        this.player = player;
    }

    /** Connects (blocking), then turns the socket non-blocking for the loop. */
    static GameConn open(String host, int port, Role role, int room, int player) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.socket().connect(new InetSocketAddress(host, port), LineConnection.READ_TIMEOUT_MILLIS);
            ch.configureBlocking(false);
            return new GameConn(ch, role, room, player);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Queues {@code bytes} and sends what the socket takes now.
     *
     * @return false when the bytes were not queued because too much is unsent already
     */
    boolean send(byte[] bytes, int length) throws IOException {
        if (unsent.remaining() + length > MAX_UNSENT) {
            return false;
        }
        if (unsent.remaining() == 0) {
            unsent.clear().limit(0);
        }
        if (unsent.capacity() - unsent.limit() < length) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(unsent.capacity() * 2, unsent.remaining() + length));
            bigger.put(unsent).flip();
            unsent = bigger;
        }
        int end = unsent.limit();
        unsent.limit(end + length);
        unsent.put(end, bytes, 0, length);
        flush();
        return true;
    }

    boolean hasUnsent() {
        return unsent.hasRemaining();
    }

    /** Sends what the socket takes of the unsent bytes; true when some are left. */
    boolean flush() throws IOException {
        if (unsent.hasRemaining()) {
            channel.write(unsent);
            if (!unsent.hasRemaining()) {
                unsent.clear().limit(0);
            } else if (unsent.position() > unsent.capacity() / 2) {
                unsent.compact().flip();
            }
        }
        return unsent.hasRemaining();
    }

    /** Receives complete lines (without {@code \n} and a {@code \r} before it). */
    interface LineSink {
        void line(GameConn c, byte[] b, int start, int length) throws IOException;
    }

    /**
     * Reads what has arrived into {@code buffer} and hands every complete line to {@code sink}.
     *
     * @return the bytes read; -1 when the server closed the connection
     */
    int read(ByteBuffer buffer, LineSink sink) throws IOException {
        buffer.clear();
        int n = channel.read(buffer);
        if (n <= 0) {
            return n;
        }
        byte[] b = buffer.array();
        int limit = n;
        int start = 0;
        for (int i = 0; i < limit; i++) {
            if (b[i] != '\n') {
                continue;
            }
            if (partial.length > 0) {
                byte[] line = Arrays.copyOf(partial, partial.length + i);
                System.arraycopy(b, 0, line, partial.length, i);
                partial = EMPTY;
                sink.line(this, line, 0, trimmed(line, 0, line.length));
            } else {
                sink.line(this, b, start, trimmed(b, start, i - start));
            }
            start = i + 1;
        }
        if (start < limit) {
            byte[] rest = Arrays.copyOf(partial, partial.length + limit - start);
            System.arraycopy(b, start, rest, partial.length, limit - start);
            partial = rest;
        }
        return n;
    }

    private static int trimmed(byte[] b, int start, int length) {
        return length > 0 && b[start + length - 1] == '\r' ? length - 1 : length;
    }

    /**
     * Follows a subscriber connection's RESP arrays ({@code *3}, {@code $N} before each bulk, {@code :N} integers):
     * {@link RespLine#PAYLOAD} for the payload of a {@code message}, {@link RespLine#SUBSCRIBED} for the count that
     * ends a {@code subscribe} confirmation, {@link RespLine#BAD} for a line outside an array.
     */
    RespLine respLine(byte[] b, int start, int length) {
        if (respLeft == 0) {
            boolean array = length >= 2 && b[start] == '*';
            respLeft = array ? b[start + 1] - '0' : 0;
            respIndex = 0;
            respBulkNext = false;
            return array ? RespLine.OTHER : RespLine.BAD;
        }
        if (!respBulkNext && length > 0 && b[start] == '$') {
            respBulkNext = true;
            return RespLine.OTHER;
        }
        respBulkNext = false;
        int index = respIndex++;
        respLeft--;
        if (index == 0) {
            respMessage = length == 7 && b[start] == 'm';
            return RespLine.OTHER;
        }
        if (index != 2) {
            return RespLine.OTHER;
        }
        if (respMessage) {
            return RespLine.PAYLOAD;
        }
        return length > 0 && b[start] == ':' ? RespLine.SUBSCRIBED : RespLine.OTHER; // [subscribe, channel, :count]
    }

    void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // the run is over for this connection either way
        }
    }
}
