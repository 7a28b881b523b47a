package bite.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Fan-out: {@code subscribers} connections each subscribe with {@code #g CHANNEL}; once all are confirmed, one
 * publisher sends {@code ! CHANNEL <ts>_<pad>} at a fixed rate (open loop: message i is due at start + i/rate, a
 * late publisher catches up rather than slowing down). {@code <ts>} is the publisher's clock just before the send;
 * every subscriber reads it back from the push, so latency is publish-to-delivery. Expected deliveries =
 * published x subscribers; what has not arrived two seconds after the last publish is reported lost.
 */
final class FanoutLoad {

    private static final byte[] OK = "OK".getBytes(StandardCharsets.US_ASCII);
    private static final long DRAIN_NANOS = 2_000_000_000L;
    /** Subscribers share a few histograms, locked, instead of 32 KiB each. */
    private static final int STRIPES = 16;

    private final BenchOptions options;
    private final PrintStream out;
    private final long base = System.nanoTime() - 1;
    private final LongAdder delivered = new LongAdder();
    private final AtomicLong acks = new AtomicLong();
    private final Tally[] stripes = new Tally[STRIPES];
    private volatile boolean closing;

    FanoutLoad(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Tally();
        }
    }

    int run() throws InterruptedException {
        List<LineConnection> subscribers = new ArrayList<>();
        LineConnection publisher = null;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                long t0 = System.nanoTime();
                List<Future<LineConnection>> subscribing = new ArrayList<>();
                for (int i = 0; i < options.subscribers(); i++) {
                    subscribing.add(threads.submit(this::subscribe));
                }
                for (Future<LineConnection> f : subscribing) {
                    subscribers.add(f.get());
                }
                out.printf(Locale.ROOT, "subscribed: %d connections to '%s' in %.3f s%n", subscribers.size(),
                        options.channel(), (System.nanoTime() - t0) / 1e9);
                publisher = LineConnection.open(options.host(), options.port());
            } catch (ExecutionException | IOException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                out.println("bench: cannot subscribe " + options.subscribers() + " connections to "
                        + options.host() + ":" + options.port() + ": " + cause.getMessage());
                return 1;
            }
            List<Future<?>> readers = new ArrayList<>();
            for (int i = 0; i < subscribers.size(); i++) {
                LineConnection s = subscribers.get(i);
                Tally stripe = stripes[i % STRIPES];
                readers.add(threads.submit(() -> readPushes(s, stripe)));
            }
            Tally publisherTally = new Tally();
            LineConnection pub = publisher;
            readers.add(threads.submit(() -> readAcks(pub, publisherTally)));
            Publisher p = new Publisher(pub, publisherTally);
            Future<?> publishing = threads.submit(p::publish);
            Progress.report(out, options.quiet(), System.nanoTime(), delivered::sum, publishing::isDone);
            join(publishing, publisherTally);

            // drain: wait for every delivery and ack, or give up after DRAIN_NANOS
            long expected = p.sent * subscribers.size();
            long drainEnd = System.nanoTime() + DRAIN_NANOS;
            while ((delivered.sum() < expected || acks.get() < p.sent) && System.nanoTime() < drainEnd) {
                Thread.sleep(10); // the tool's own drain deadline, polling counters
            }
            closing = true;
            subscribers.forEach(LineConnection::close);
            pub.close();
            for (Future<?> r : readers) {
                join(r, publisherTally);
            }
            return summary(p, expected, publisherTally);
        } finally {
            closing = true;
            subscribers.forEach(LineConnection::close);
            if (publisher != null) {
                publisher.close();
            }
        }
    }

    private LineConnection subscribe() throws IOException {
        LineConnection c = LineConnection.open(options.host(), options.port());
        try {
            c.write("#g " + options.channel() + "\n");
            c.flush();
            c.readLine();
            if (!c.lineEquals(OK)) {
                throw new IOException("#g " + options.channel() + " got '" + Tally.printable(c.line()) + "'");
            }
            return c;
        } catch (IOException e) {
            c.close();
            throw e;
        }
    }

    private void readPushes(LineConnection c, Tally stripe) {
        long count = 0;
        try {
            while (true) {
                c.readLine();
                long now = System.nanoTime() - base;
                long ts = timestamp(c);
                synchronized (stripe) {
                    if (ts <= 0) {
                        stripe.wrongReplies++;
                        stripe.problem("push '" + Tally.printable(c.line()) + "' carries no timestamp");
                        continue;
                    }
                    stripe.measured++;
                    stripe.latency.record(now - ts);
                }
                count++;
                delivered.increment();
            }
        } catch (IOException e) {
            if (!closing) {
                synchronized (stripe) {
                    stripe.connectionFailures++;
                    stripe.problem("subscriber after " + count + " pushes: " + e.getMessage());
                }
            }
        }
    }

    /** The {@code <ts>} of a {@code <ts>_<pad>} push of the right length, or -1. */
    private long timestamp(LineConnection c) {
        byte[] buf = c.buffer();
        int start = c.lineStart();
        if (c.lineLength() != options.valueSize()) {
            return -1;
        }
        long ts = 0;
        for (int i = start; i < start + c.lineLength() && i < start + 19; i++) {
            byte b = buf[i];
            if (b == '_') {
                return i > start ? ts : -1;
            }
            if (b < '0' || b > '9') {
                return -1;
            }
            ts = ts * 10 + (b - '0');
        }
        return -1;
    }

    private void readAcks(LineConnection c, Tally tally) {
        try {
            while (true) {
                c.readLine();
                if (!c.lineEquals(OK)) {
                    synchronized (tally) {
                        tally.errorReplies++;
                        tally.problem("! " + options.channel() + " got '" + Tally.printable(c.line()) + "'");
                    }
                }
                acks.incrementAndGet();
            }
        } catch (IOException e) {
            if (!closing) {
                synchronized (tally) {
                    tally.connectionFailures++;
                    tally.problem("publisher: " + e.getMessage());
                }
            }
        }
    }

    /** Sends the messages, paced; the reading side of its connection is {@link #readAcks}'s. */
    private final class Publisher {
        private final LineConnection conn;
        private final Tally tally;
        volatile long sent;
        volatile long elapsedNanos;

        Publisher(LineConnection conn, Tally tally) {
            this.conn = conn;
            this.tally = tally;
        }

        void publish() {
            long total = options.timed() ? (long) (options.seconds() * options.rate()) : options.requests();
            double interval = 1e9 / options.rate();
            long start = System.nanoTime();
            long n = 0;
            try {
                while (n < total) {
                    long due = start + (long) (n * interval);
                    long now = System.nanoTime();
                    if (now < due) {
                        conn.flush();
                        LockSupport.parkNanos(due - now);
                        continue;
                    }
                    // everything due by now goes out in one send
                    while (n < total && start + (long) (n * interval) <= now) {
                        writeMessage(now - base);
                        n++;
                    }
                    conn.flush();
                    sent = n;
                }
            } catch (IOException e) {
                synchronized (tally) {
                    tally.connectionFailures++;
                    tally.problem("publisher: " + e.getMessage());
                }
            }
            sent = n;
            elapsedNanos = System.nanoTime() - start;
        }

        private void writeMessage(long ts) {
            conn.write("! " + options.channel() + " ");
            int before = conn.pendingBytes();
            conn.writeDecimal(ts);
            conn.write((byte) '_');
            for (int i = conn.pendingBytes() - before; i < options.valueSize(); i++) {
                conn.write((byte) 'x');
            }
            conn.write((byte) '\n');
        }
    }

    private static void join(Future<?> f, Tally tally) throws InterruptedException {
        try {
            f.get();
        } catch (ExecutionException e) {
            synchronized (tally) {
                tally.connectionFailures++;
                tally.problem("crashed: " + e.getCause());
            }
        }
    }

    private int summary(Publisher p, long expected, Tally publisherTally) {
        Tally t = new Tally();
        for (Tally s : stripes) {
            t.add(s);
        }
        t.add(publisherTally);
        long got = delivered.sum();
        long lost = Math.max(0, expected - got);
        long extra = Math.max(0, got - expected);
        long missingAcks = Math.max(0, p.sent - acks.get());
        double seconds = p.elapsedNanos / 1e9;
        double deliveredPerSec = seconds > 0 ? got / seconds : 0;
        long errors = t.errors() + missingAcks + extra;
        out.printf(Locale.ROOT, "published=%d in %.3f s (%.0f/s), subscribers=%d, acks=%d%n", p.sent, seconds,
                seconds > 0 ? p.sent / seconds : 0, options.subscribers(), acks.get());
        out.printf(Locale.ROOT, "expected deliveries=%d delivered=%d lost=%d (%.3f%%) delivered/s=%.0f%n",
                expected, got, lost, expected > 0 ? 100.0 * lost / expected : 0, deliveredPerSec);
        Progress.printLatency(out, "publish-to-delivery latency", t.latency);
        out.printf("errors=%d (error replies=%d, bad pushes=%d, missing acks=%d, extra pushes=%d, "
                        + "connection failures=%d)%n", errors, t.errorReplies, t.wrongReplies, missingAcks, extra,
                t.connectionFailures);
        if (t.firstProblem != null) {
            out.println("first problem: " + t.firstProblem);
        }
        out.printf(Locale.ROOT, "RESULT op=pubsub subscribers=%d rate=%d value_size=%d published=%d expected=%d "
                        + "delivered=%d lost=%d delivered_per_sec=%.0f %s errors=%d%n",
                options.subscribers(), options.rate(), options.valueSize(), p.sent, expected, got, lost,
                deliveredPerSec, Progress.percentileFields(t.latency), errors);
        return errors == 0 && lost == 0 ? 0 : 1;
    }
}
