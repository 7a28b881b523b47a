package bite.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
    private static final long SUBSCRIBE_TIMEOUT_SECONDS = 60;

    private final BenchOptions options;
    private final PrintStream out;
    private final long base = System.nanoTime() - 1;
    private final AtomicLong acks = new AtomicLong();
    private volatile boolean closing;

    FanoutLoad(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    int run() throws InterruptedException {
        PushReader reader;
        LineConnection publisher;
        long t0 = System.nanoTime();
        try {
            reader = new PushReader(options.subscribers(), options.valueSize(), base);
        } catch (IOException e) {
            out.println("bench: " + e.getMessage());
            return 1;
        }
        try {
            for (int i = 0; i < options.subscribers(); i++) {
                reader.subscribe(options.host(), options.port(), options.password(), options.channel(),
                        options.ws());
            }
            reader.start();
            boolean answered = reader.confirmed().await(SUBSCRIBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!answered || reader.refused() > 0) {
                long ok = options.subscribers() - reader.confirmed().getCount() - reader.refused();
                Tally t = reader.stop();
                out.printf("bench: only %d of %d subscriptions were confirmed%s%n", ok, options.subscribers(),
                        t.firstProblem == null ? "" : " (" + t.firstProblem + ")");
                return 1;
            }
            out.printf(Locale.ROOT, "subscribed: %d connections to '%s' in %.3f s%n", options.subscribers(),
                    options.channel(), (System.nanoTime() - t0) / 1e9);
            publisher = LineConnection.open(options.host(), options.port(), options.password(), null,
                    options.ws());
        } catch (IOException e) {
            reader.stop();
            out.println("bench: cannot subscribe " + options.subscribers() + " connections to "
                    + options.host() + ":" + options.port() + ": " + e.getMessage());
            return 1;
        }
        Tally publisherTally = new Tally();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> ackReader = threads.submit(() -> readAcks(publisher, publisherTally));
            Publisher p = new Publisher(publisher, publisherTally);
            Future<?> publishing = threads.submit(p::publish);
            LongAdder delivered = reader.delivered();
            Progress.report(out, options.quiet(), System.nanoTime(), delivered::sum, publishing::isDone);
            join(publishing, publisherTally);

            // drain: wait for every delivery and ack, or give up after DRAIN_NANOS
            long expected = p.sent * options.subscribers();
            long drainEnd = System.nanoTime() + DRAIN_NANOS;
            while ((delivered.sum() < expected || acks.get() < p.sent) && System.nanoTime() < drainEnd) {
                Thread.sleep(10); // the tool's own drain deadline, polling counters
            }
            closing = true;
            publisher.close();
            join(ackReader, publisherTally);
            Tally t = reader.stop();
            t.add(publisherTally);
            return summary(p, expected, delivered.sum(), t);
        } finally {
            closing = true;
            publisher.close();
        }
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

    private int summary(Publisher p, long expected, long got, Tally t) {
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
