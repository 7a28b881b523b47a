package bite;

import bite.db.DatabaseStats;
import bite.http.HttpPages;
import bite.http.HttpRequestHead;
import bite.http.HttpResponse;
import bite.http.PrometheusText;
import bite.http.PrometheusText.Sample;
import bite.net.Acceptor;
import bite.net.HttpListener;
import bite.storage.StorageStats;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The HTTP listener's own pages: {@code /healthz} and {@code /metrics} (Prometheus text format). Called on HTTP
 * connection threads ({@code bite-http-N}), any number at once: it reads the server's thread-safe counters and asks
 * bite-db for its own through a request, never touching its state.
 *
 * <ul>
 *   <li>{@code /healthz}: {@code 200 ok} while the server serves and storage is healthy; else {@code 503} and a
 *       one-line reason ({@code database thread stopped}, {@code stopping}, {@code storage disk error}). Open to
 *       everyone, for probes: it tells nothing about the data.
 *   <li>{@code /metrics}: behind the server's password when one is set ({@code Authorization: Bearer PASSWORD}).
 * </ul>
 */
final class StatusPages implements HttpPages {

    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    private final Server server;

    StatusPages(Server server) {
        this.server = server;
    }

    @Override
    public HttpResponse respond(HttpRequestHead head) {
        return switch (head.path()) {
            case "/healthz" -> health();
            case "/metrics" -> HttpResponse.of(200, PrometheusText.CONTENT_TYPE,
                    metrics().getBytes(StandardCharsets.UTF_8));
            default -> null;
        };
    }

    @Override
    public boolean needsPassword(String path) {
        return path.equals("/metrics");
    }

    private HttpResponse health() {
        String problem = server.healthProblem();
        return problem == null ? HttpResponse.text(200, "ok\n") : HttpResponse.text(503, problem + "\n");
    }

    String metrics() {
        PrometheusText out = new PrometheusText();
        connections(out);
        DatabaseStats db = databaseStats();
        out.gauge("bite_database_up", "1 while the database thread answers, else 0.", db == null ? 0 : 1);
        bite.util.MemoryCap memory = server.memory();
        out.gauge("bite_memory_after_gc_bytes", "Heap in use after the latest garbage collection.", memory.used())
                .gauge("bite_memory_cap_bytes", "--max-memory: above it, writes that add data are refused.",
                        memory.cap())
                .gauge("bite_memory_over_cap", "1 while writes that add data get ERR out of memory.",
                        memory.over() ? 1 : 0);
        if (db != null) {
            out.gauge("bite_keys", "Keys with a value.", db.keys())
                    .gauge("bite_subscriptions", "Open subscriptions.", db.subscriptions())
                    .counter("bite_commands_total", "Commands applied by the database thread, by kind.",
                            db.commandsByKind().entrySet().stream()
                                    .map(e -> PrometheusText.Sample.of("command", e.getKey(), e.getValue()))
                                    .toList())
                    .counter("bite_pushes_total", "Pushes sent to subscribers.", db.pushesSent())
                    .counter("bite_slow_consumer_disconnects_total",
                            "Connections dropped because their output queue went over its limit.",
                            db.slowConsumerDisconnects())
                    .gauge("bite_revision", "The newest event's revision (protocol 3).", db.revision())
                    .gauge("bite_history_events", "Events kept for from= replays.", db.historySize())
                    .gauge("bite_sessions", "Protocol-3 sessions: of open connections, and in their grace.",
                            List.of(Sample.of("state", "open", db.sessions()),
                                    Sample.of("state", "grace", db.sessionsInGrace())));
        }
        storage(out, server.storageStats());
        memory(out);
        return out.text();
    }

    private void connections(PrometheusText out) {
        Acceptor tcp = server.acceptor();
        HttpListener http = server.http();
        int[] tcpByProtocol = tcp.connectionsByProtocol();
        int[] wsByProtocol = http == null ? new int[4] : http.webSocketsByProtocol();
        List<Sample> open = new ArrayList<>();
        for (int protocol = 2; protocol <= 3; protocol++) {
            open.add(new Sample(Map.of("transport", "tcp", "protocol", Integer.toString(protocol)),
                    tcpByProtocol[protocol]));
            open.add(new Sample(Map.of("transport", "websocket", "protocol", Integer.toString(protocol)),
                    wsByProtocol[protocol]));
        }
        out.gauge("bite_connections", "Open client connections, by transport and protocol.", open)
                .gauge("bite_http_connections", "Open HTTP connections, WebSockets included.",
                        http == null ? 0 : http.connectionCount())
                .gauge("bite_parked_connections", "Idle TCP connections whose reader waits without a thread.",
                        tcp.parkedConnections())
                .counter("bite_rejected_connections_total", "Connections turned away at --max-clients.",
                        tcp.rejectedConnections())
                .counter("bite_auth_failures_total", "Wrong credentials given (auth, or a page's Bearer).",
                        tcp.access().authFailures())
                .counter("bite_denied_requests_total", "Requests refused with ERR forbidden by the rules.",
                        tcp.access().deniedRequests());
    }

    private DatabaseStats databaseStats() {
        try {
            return server.stats();
        } catch (IllegalStateException e) {
            return null; // bite-db is gone: the rest still says something
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void storage(PrometheusText out, StorageStats st) {
        if (st == null) return; // --no-persist: no storage to describe
        out.gauge("bite_wal_bytes", "Bytes in the write-ahead log files kept since the last snapshot.", st.logBytes())
                .counter("bite_wal_records_total", "Change sets written to the write-ahead log.", st.logRecords())
                .counter("bite_wal_fsyncs_total", "Fsyncs of the write-ahead log.", st.logFsyncs())
                .gauge("bite_snapshot_bytes", "Size of the newest snapshot.", st.lastSnapshotBytes())
                .gauge("bite_snapshot_last_time_seconds", "When the newest snapshot was started (Unix time); 0: none.",
                        st.lastSnapshotMillis() / 1000.0)
                .counter("bite_snapshots_total", "Snapshots written since start.", st.snapshots())
                .gauge("bite_storage_acks_held", "Change sets whose durable report waits for the disk.", st.heldAcks())
                .gauge("bite_storage_disk_error", "1 while a disk failure lasts, else 0.",
                        st.diskError() == null ? 0 : 1);
    }

    private static void memory(PrometheusText out) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        out.gauge("bite_jvm_heap_used_bytes", "Java heap in use.", heap.getUsed())
                .gauge("bite_jvm_heap_max_bytes", "Java heap limit.", heap.getMax())
                .gauge("process_start_time_seconds", "Start time of the process (Unix time).",
                        ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0);
        long rss = residentBytes();
        if (rss >= 0) out.gauge("process_resident_memory_bytes", "Resident memory size.", rss);
    }

    /** VmRSS from /proc (Linux), or -1 elsewhere. */
    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(PROC_STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").strip()) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unexpected format: no such sample
        }
        return -1;
    }
}
