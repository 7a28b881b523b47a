package bite.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The subscriber side of the fan-out test: every subscriber connection on one selector thread, as loadgen's
 * fanout does, so that a million small pushes a second cost reads and parsing, not a thread wake-up each.
 *
 * <p>{@link #subscribe} connects and sends {@code #g CHANNEL} (after {@code auth PASSWORD} when there is a
 * password, in the same send); the thread started by {@link #start} expects {@code OK} to each of them as the
 * connection's first lines and then counts {@link #confirmed} down (anything else is {@link #refused}), then treats
 * every further line as a push {@code <ts>_<pad>} of exactly {@code valueSize} bytes. Everything but
 * {@link #delivered} and {@link #confirmed} belongs to that thread until {@link #stop} has returned.
 */
final class PushReader {

    private static final byte[] EMPTY = new byte[0];

    private final Selector selector;
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final int valueSize;
    private final long base;
    private final Tally tally = new Tally();
    private final LongAdder delivered = new LongAdder();
    private final CountDownLatch confirmed;
    private final AtomicInteger refused = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closing;

    /** One connection's state: what is left of a line split across reads, and the requests still to be answered. */
    private static final class Subscriber {
        final SocketChannel channel;
        /** The requests sent before the pushes ({@code auth}, {@code #g}) whose replies have not come yet. */
        final Deque<String> unanswered;
        byte[] partial = EMPTY;
        boolean refused;
        final WebSocketClient.Unframer unframer; // null on TCP

        Subscriber(SocketChannel channel, List<String> requests, WebSocketClient.Unframer unframer) {
            this.channel = channel;
            this.unframer = unframer;
            this.unanswered = new ArrayDeque<>(requests);
        }
    }

    /** @param base the publisher's clock origin: a push carries {@code System.nanoTime() - base} */
    PushReader(int subscribers, int valueSize, long base) throws IOException {
        this.selector = Selector.open();
        this.valueSize = valueSize;
        this.base = base;
        this.confirmed = new CountDownLatch(subscribers);
        this.thread = Thread.ofPlatform().name("bench-subscribers").daemon().unstarted(this::run);
    }

    /**
     * Connects one subscriber and sends its {@code #g}, after {@code auth PASSWORD} unless {@code password} is null;
     * call before {@link #start}.
     */
    void subscribe(String host, int port, String password, String channel) throws IOException {
        subscribe(host, port, password, channel, false);
    }

    /** The same, over a WebSocket at {@code /ws} when {@code webSocket}: the requests go in one text message. */
    void subscribe(String host, int port, String password, String channel, boolean webSocket) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.socket().connect(new InetSocketAddress(host, port), LineConnection.READ_TIMEOUT_MILLIS);
            byte[] auth = password == null ? EMPTY : LineConnection.authLine(password);
            byte[] subscribe = ("#g " + channel + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer requests = ByteBuffer.allocate(auth.length + subscribe.length).put(auth).put(subscribe).flip();
            if (webSocket) {
                WebSocketClient.handshake(ch.socket(), host, port);
                byte[] frame = new byte[WebSocketClient.frameSize(requests.remaining())];
                int n = WebSocketClient.frame(requests.array(), 0, requests.remaining(), frame);
                requests = ByteBuffer.wrap(frame, 0, n);
            }
            while (requests.hasRemaining()) {
                ch.write(requests);
            }
            ch.configureBlocking(false);
            Subscriber s = new Subscriber(ch, password == null ? List.of("#g") : List.of("auth", "#g"),
                    webSocket ? new WebSocketClient.Unframer() : null);
            ch.register(selector, SelectionKey.OP_READ, s);
            subscribers.add(s);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    void start() {
        thread.start();
    }

    /** Counted down once per subscriber when its {@code #g} is answered, with OK or not. */
    CountDownLatch confirmed() {
        return confirmed;
    }

    /** Subscribers whose {@code #g} got something else than OK. */
    int refused() {
        return refused.get();
    }

    LongAdder delivered() {
        return delivered;
    }

    /** Stops reading, closes every connection, and hands over what was seen. */
    Tally stop() throws InterruptedException {
        closing = true;
        if (thread.getState() == Thread.State.NEW) {
            closeAll();
        } else {
            selector.wakeup();
            thread.join();
        }
        return tally;
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
        try {
            while (!closing) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    readFrom((Subscriber) key.attachment(), buffer);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            tally.connectionFailures++;
            tally.problem("subscriber selector: " + e.getMessage());
        } finally {
            closeAll();
        }
    }

    private void closeAll() {
        for (Subscriber s : subscribers) {
            closeQuietly(s.channel);
        }
        closeQuietly(selector);
    }

    private void readFrom(Subscriber s, ByteBuffer buffer) {
        if (!s.channel.isOpen()) {
            return;
        }
        buffer.clear();
        buffer.put(s.partial);
        int n;
        try {
            n = s.channel.read(buffer);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            if (!closing) {
                tally.connectionFailures++;
                tally.problem("a subscriber's connection closed");
            }
            closeQuietly(s.channel);
            return;
        }
        long now = System.nanoTime() - base;
        byte[] b = buffer.array();
        int end = buffer.position();
        if (s.unframer != null) end = s.unframer.unframe(b, s.partial.length, end); // the lines' bytes only
        int lineStart = 0;
        long lines = 0;
        for (int i = s.partial.length; i < end; i++) {
            if (b[i] == '\n') {
                int length = i - lineStart;
                if (length > 0 && b[i - 1] == '\r') {
                    length--;
                }
                if (onLine(s, b, lineStart, length, now)) {
                    lines++;
                }
                lineStart = i + 1;
            }
        }
        s.partial = lineStart == end ? EMPTY : Arrays.copyOfRange(b, lineStart, end);
        if (s.partial.length > buffer.capacity() / 2) {
            tally.wrongReplies++;
            tally.problem("a push longer than " + s.partial.length + " bytes");
            s.partial = EMPTY;
        }
        if (lines > 0) {
            delivered.add(lines);
        }
    }

    /** True when the line was one of the publisher's messages. */
    private boolean onLine(Subscriber s, byte[] b, int start, int length, long now) {
        if (s.refused) {
            return false; // the replies after a refusal (ERR auth required) add nothing
        }
        if (!s.unanswered.isEmpty()) {
            String request = s.unanswered.poll();
            if (length == 2 && b[start] == 'O' && b[start + 1] == 'K') {
                if (s.unanswered.isEmpty()) {
                    confirmed.countDown();
                }
            } else {
                // refused: count it as answered, so that run() sees it at once instead of after a timeout
                s.refused = true;
                refused.incrementAndGet();
                confirmed.countDown();
                tally.errorReplies++;
                tally.problem(request + " got '"
                        + Tally.printable(new String(b, start, length, StandardCharsets.UTF_8)) + "'");
            }
            return false;
        }
        long ts = length == valueSize ? timestamp(b, start, length) : -1;
        if (ts <= 0) {
            tally.wrongReplies++;
            tally.problem("push '" + Tally.printable(new String(b, start, length, StandardCharsets.UTF_8))
                    + "' carries no timestamp");
            return false;
        }
        tally.measured++;
        tally.latency.record(now - ts);
        return true;
    }

    /** The {@code <ts>} of {@code <ts>_<pad>}, or -1. */
    static long timestamp(byte[] b, int start, int length) {
        long ts = 0;
        for (int i = start; i < start + length && i < start + 19; i++) {
            byte c = b[i];
            if (c == '_') {
                return i > start ? ts : -1;
            }
            if (c < '0' || c > '9') {
                return -1;
            }
            ts = ts * 10 + (c - '0');
        }
        return -1;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // best effort at the end of the run
        }
    }
}
