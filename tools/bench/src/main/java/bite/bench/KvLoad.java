package bite.bench;

import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request/response load: {@code clients} connections, each on its own virtual thread, each keeping
 * {@code pipeline} requests in flight (that many at the start, one more per reply). Replies that arrive while
 * handling one read are answered with requests that leave together in one send, as kvload does.
 *
 * <p>Latency runs from the send that carried a request to the parse of its reply. Requests issued during
 * {@code --warmup} are checked but not counted. In {@code --seconds} mode the replies that complete inside the
 * window count and ops/s = count / seconds; requests still in flight at the end are drained and checked but not
 * counted. In {@code --requests} mode exactly that many are sent after the warm-up and ops/s = requests / (last
 * reply - end of warm-up).
 */
final class KvLoad {

    private static final byte[] OK = "OK".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERR = "ERR".getBytes(StandardCharsets.US_ASCII);
    private static final int KIND_SET = 0;
    private static final int KIND_GET = 1;
    private static final int KIND_INCR = 2;

    private final BenchOptions options;
    private final PrintStream out;
    private final LongAdder completed = new LongAdder();
    private final AtomicLong tickets = new AtomicLong();
    private volatile long startNanos;
    /** Replies to requests issued before this (the warm-up) are checked but not counted. */
    private volatile long measureFrom;
    private volatile long endNanos;

    /** {@code --tls}: what every connection's TLS socket is made by; null for plaintext. */
    private final SSLSocketFactory tls;

    KvLoad(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.tls = BenchTls.socketFactory(options.tls());
    }

    /** Runs the load and prints the summary; returns the exit status. */
    int run() throws InterruptedException {
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < options.clients(); i++) {
            clients.add(new Client(i));
        }
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            String failure = firstFailure(threads.invokeAll(clients.stream().map(c -> c.prepare()).toList()));
            if (failure != null) {
                out.println("bench: " + failure);
                clients.forEach(Client::close);
                return 1;
            }
            tickets.set(options.requests());
            startNanos = System.nanoTime();
            measureFrom = startNanos + (long) (options.warmup() * 1e9);
            endNanos = options.timed() ? measureFrom + (long) (options.seconds() * 1e9) : Long.MAX_VALUE;
            List<Future<Tally>> running = new ArrayList<>();
            for (Client c : clients) {
                running.add(threads.submit(c::run));
            }
            Progress.report(out, options.quiet(), startNanos, completed::sum, () -> running.stream().allMatch(Future::isDone));
            Tally total = new Tally();
            long lastReply = measureFrom;
            for (int i = 0; i < clients.size(); i++) {
                total.add(join(running.get(i)));
                lastReply = Math.max(lastReply, clients.get(i).lastReplyNanos);
            }
            double elapsed = options.timed() ? options.seconds() : (lastReply - measureFrom) / 1e9;
            return summary(total, elapsed);
        }
    }

    private int summary(Tally t, double elapsed) {
        double opsPerSec = elapsed > 0 ? t.measured / elapsed : 0;
        out.printf(Locale.ROOT, "requests=%d elapsed=%.3f s ops/s=%.0f%n", t.measured, elapsed, opsPerSec);
        Progress.printLatency(out, "latency", t.latency);
        if (t.getLatency != null) {
            Progress.printLatency(out, "latency of gets", t.getLatency);
            Progress.printLatency(out, "latency of sets", t.setLatency);
        }
        out.printf(Locale.ROOT, "errors=%d (error replies=%d, wrong replies=%d, connection failures=%d) misses=%d%n",
                t.errors(), t.errorReplies, t.wrongReplies, t.connectionFailures, t.misses);
        if (t.firstProblem != null) {
            out.println("first problem: " + t.firstProblem);
        }
        if (t.misses > 0 && !options.prefill()) {
            out.println("(get of a key never set is a miss: --prefill sets every key first)");
        }
        if (t.firstProblem != null && t.firstProblem.endsWith("got 'ERR auth required'")) {
            out.println("(the server wants a password: --password P)");
        }
        String apart = t.getLatency == null ? "" : String.format(Locale.ROOT,
                " get_ratio=%s get_p99_us=%.1f set_p99_us=%.1f", options.getRatio(),
                t.getLatency.percentile(99) / 1e3, t.setLatency.percentile(99) / 1e3);
        out.printf(Locale.ROOT, "RESULT op=%s clients=%d pipeline=%d keys=%d value_size=%d ops=%d ops_per_sec=%.0f %s%s errors=%d%n",
                options.op().wireName(), options.clients(), options.pipeline(), options.keys(), options.valueSize(),
                t.measured, opsPerSec, Progress.percentileFields(t.latency), apart, t.errors());
        return t.errors() == 0 ? 0 : 1;
    }

    private static String firstFailure(List<Future<String>> results) throws InterruptedException {
        for (Future<String> f : results) {
            try {
                if (f.get() != null) {
                    return f.get();
                }
            } catch (ExecutionException e) {
                return String.valueOf(e.getCause());
            }
        }
        return null;
    }

    private static Tally join(Future<Tally> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Tally t = new Tally();
            t.connectionFailures++;
            t.problem("client crashed: " + e.getCause());
            return t;
        }
    }

    /** One connection: its requests in flight form a ring of (kind, key, sent-at). */
    private final class Client {
        private final int id;
        private final SplittableRandom random;
        private final int[] kinds;
        private final long[] keys;
        private final long[] sentAt;
        private final boolean[] counted;
        private int head;
        private int inFlight;
        private int unsent;
        private final Tally tally = new Tally();
        private LineConnection conn;
        volatile long lastReplyNanos;

        Client(int id) {
            this.id = id;
            this.random = new SplittableRandom(0x5EED + id);
            int p = options.pipeline();
            kinds = new int[p];
            keys = new long[p];
            sentAt = new long[p];
            counted = new boolean[p];
            if (options.op() == BenchOptions.Op.MIXED) {
                tally.getLatency = new Histogram();
                tally.setLatency = new Histogram();
            }
        }

        /** Connects and, with --prefill, sets this client's share of the keys. Returns a failure, or null. */
        Callable<String> prepare() {
            return () -> {
                try {
                    conn = LineConnection.open(options.host(), options.port(), options.password(), tls,
                            options.ws());
                } catch (IOException e) {
                    return "cannot connect to " + options.host() + ":" + options.port() + ": " + e.getMessage();
                }
                if (options.prefill()) {
                    try {
                        prefill();
                    } catch (IOException e) {
                        return "prefill failed: " + e.getMessage();
                    }
                }
                return null;
            };
        }

        private void prefill() throws IOException {
            int batch = 64;
            for (long key = id; key < options.keys(); ) {
                int sent = 0;
                for (; sent < batch && key < options.keys(); sent++, key += options.clients()) {
                    writeSet(key);
                }
                conn.flush();
                for (int i = 0; i < sent; i++) {
                    conn.readLine();
                    if (!conn.lineEquals(OK)) {
                        throw new IOException("set during prefill got '" + Tally.printable(conn.line()) + "'");
                    }
                }
            }
        }

        Tally run() {
            try {
                for (int i = 0; i < options.pipeline() && tryIssue(System.nanoTime()); i++) {
                    // the first requests of the pipeline
                }
                while (inFlight > 0) {
                    if (!conn.hasBufferedLine()) {
                        send();
                    }
                    conn.readLine();
                    long now = System.nanoTime();
                    check(now);
                    tryIssue(now);
                }
            } catch (IOException e) {
                tally.connectionFailures++;
                tally.problem("connection " + id + ": " + e.getMessage());
            } finally {
                close();
            }
            return tally;
        }

        /** Issues one more request unless the run is over: uncounted during the warm-up, counted after. */
        private boolean tryIssue(long now) {
            if (now < measureFrom) {
                issue(false);
                return true;
            }
            if (options.timed() ? now < endNanos : tickets.decrementAndGet() >= 0) {
                issue(true);
                return true;
            }
            return false;
        }

        private void issue(boolean count) {
            int kind = switch (options.op()) {
                case SET -> KIND_SET;
                case GET -> KIND_GET;
                case INCR -> KIND_INCR;
                case MIXED -> random.nextDouble() < options.getRatio() ? KIND_GET : KIND_SET;
                case PUBSUB, GAME -> throw new IllegalStateException(options.op().wireName() + " is no request load");
            };
            long key = random.nextLong(options.keys());
            switch (kind) {
                case KIND_SET -> writeSet(key);
                case KIND_GET -> {
                    conn.write("g key:");
                    conn.writeDecimal(key);
                    conn.write((byte) '\n');
                }
                default -> {
                    conn.write("+1 ctr:");
                    conn.writeDecimal(key);
                    conn.write((byte) '\n');
                }
            }
            int slot = (head + inFlight) % kinds.length;
            kinds[slot] = kind;
            keys[slot] = key;
            counted[slot] = count;
            inFlight++;
            unsent++;
        }

        private void writeSet(long key) {
            conn.write("s key:");
            conn.writeDecimal(key);
            conn.write((byte) ' ');
            KvValues.append(conn, key, options.valueSize());
            conn.write((byte) '\n');
        }

        /** Sends what was issued since the last send; their latency starts now. */
        private void send() throws IOException {
            long now = System.nanoTime();
            for (int i = inFlight - unsent; i < inFlight; i++) {
                sentAt[(head + i) % kinds.length] = now;
            }
            unsent = 0;
            conn.flush();
        }

        private void check(long now) {
            int kind = kinds[head];
            long key = keys[head];
            long sent = sentAt[head];
            boolean count = counted[head];
            head = (head + 1) % kinds.length;
            inFlight--;
            lastReplyNanos = now;
            byte[] buf = conn.buffer();
            int start = conn.lineStart();
            int length = conn.lineLength();
            boolean miss = kind == KIND_GET && length == 0;
            boolean good = switch (kind) {
                case KIND_SET -> conn.lineEquals(OK);
                case KIND_GET -> miss ? !options.prefill()
                        : KvValues.isValue(buf, start, length, key, options.valueSize());
                default -> KvValues.isPositiveInteger(buf, start, length);
            };
            if (!good) {
                if (conn.lineStartsWith(ERR)) {
                    tally.errorReplies++;
                } else {
                    tally.wrongReplies++;
                }
                String request = switch (kind) {
                    case KIND_SET -> "s key:" + key;
                    case KIND_GET -> "g key:" + key;
                    default -> "+1 ctr:" + key;
                };
                tally.problem(request + " got '" + Tally.printable(conn.line()) + "'");
            }
            completed.increment();
            // misses, like requests, count the measured ones only: not the warm-up's, nor those answered after
            // the end of a --seconds run
            if (count && now <= endNanos) {
                tally.measured++;
                if (miss) {
                    tally.misses++;
                }
                tally.latency.record(now - sent);
                if (tally.getLatency != null) {
                    (kind == KIND_GET ? tally.getLatency : tally.setLatency).record(now - sent);
                }
            }
        }

        void close() {
            if (conn != null) {
                conn.close();
            }
        }
    }
}
