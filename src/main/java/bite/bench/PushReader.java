package bite.bench;

import bite.util.Closing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The subscriber side of the fan-out test: every subscriber connection on one selector thread, as loadgen's
 * fanout does, so that a million small pushes a second cost reads and parsing, not a thread wake-up each.
 *
 * <p>{@link #subscribe} connects and sends {@code #g CHANNEL}; the thread started by {@link #start} expects
 * {@code OK} as each connection's first line and counts {@link #confirmed} down (anything else is {@link #refused}), then treats every further line as
 * a push {@code <ts>_<pad>} of exactly {@code valueSize} bytes. Everything but {@link #delivered} and
 * {@link #confirmed} belongs to that thread until {@link #stop} has returned.
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

    /** One connection's state: what is left of a line split across reads, and whether OK came. */
    private static final class Subscriber {
        final SocketChannel channel;
        byte[] partial = EMPTY;
        boolean subscribed;

        Subscriber(SocketChannel channel) {
            this.channel = channel;
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

    /** Connects one subscriber and sends its {@code #g}; call before {@link #start}. */
    void subscribe(String host, int port, String channel) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.socket().connect(new InetSocketAddress(host, port), LineConnection.READ_TIMEOUT_MILLIS);
            ch.write(ByteBuffer.wrap(("#g " + channel + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.configureBlocking(false);
            Subscriber s = new Subscriber(ch);
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
            Closing.closeQuietly(s.channel, null);
        }
        Closing.closeQuietly(selector, null);
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
            Closing.closeQuietly(s.channel, null);
            return;
        }
        long now = System.nanoTime() - base;
        byte[] b = buffer.array();
        int end = buffer.position();
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
        if (!s.subscribed) {
            if (length == 2 && b[start] == 'O' && b[start + 1] == 'K') {
                s.subscribed = true;
                confirmed.countDown();
            } else {
                // refused: count it as answered, so that run() sees it at once instead of after a timeout
                refused.incrementAndGet();
                confirmed.countDown();
                tally.errorReplies++;
                tally.problem("#g got '" + Tally.printable(new String(b, start, length, StandardCharsets.UTF_8)) + "'");
                s.subscribed = true;
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
}
