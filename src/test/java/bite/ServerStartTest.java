package bite;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Start-up, in process: what a failure says, the order of binding and loading, and what is logged. */
class ServerStartTest {

    @TempDir
    Path tmp;

    private final Logger bite = Logger.getLogger("bite");
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        bite.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        bite.removeHandler(capture);
    }

    private Config.Builder config() {
        return Config.builder().port(0).dataDir(tmp.resolve("data"));
    }

    private static String failure(Config config) {
        Server server = new Server(config);
        StartupFailure e = catchThrowableOfType(StartupFailure.class, server::start);
        assertThat(e).as("start should have failed").isNotNull();
        return "bite: " + StartupFailure.describe(e);
    }

    @Test
    void anUnknownHostIsNamedNotNull() {
        assertThat(failure(config().persist(false).host("nosuch.invalid").build()))
                .startsWith("bite: --host nosuch.invalid: unknown host").doesNotContain("null");
    }

    /** Damaged data behind a taken port: the port is what is reported, so it was tried before any loading. */
    @Test
    void aTakenPortIsReportedBeforeTheDataIsLoaded() throws Exception {
        Files.createDirectories(tmp.resolve("data"));
        Files.writeString(tmp.resolve("data").resolve("snapshot.bite"), "not a snapshot");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThat(failure(config().port(port).build())).startsWith("bite: --port " + port
                    + ": cannot listen on 127.0.0.1:" + port + ": ").contains("in use");
        }
        assertThat(logged).noneMatch(r -> r.getMessage().startsWith("recover"));
        assertThat(failure(config().build())).startsWith("bite: --data " + tmp.resolve("data") + ": ");
    }

    @Test
    void anImportFileThatIsMissingOrADirectoryIsNamed() throws Exception {
        Path missing = tmp.resolve("nonexistent.json");
        assertThat(failure(config().persist(false).importFile(missing).build()))
                .isEqualTo("bite: --import " + missing + ": no such file");
        assertThat(failure(config().persist(false).importFile(tmp).build()))
                .isEqualTo("bite: --import " + tmp + ": is a directory, not a file");
        Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"a\":");
        assertThat(failure(config().persist(false).importFile(bad).build())).startsWith("bite: --import " + bad + ": ");
    }

    /** The first start imports; a restart with the import still set refuses, and the live data stays. */
    @Test
    void anImportFillsAnEmptyDatabaseOnlyAndNeverRevertsLiveData() throws Exception {
        Path json = Files.writeString(tmp.resolve("DB.json"), "{\"score\":\"1\",\"name\":\"BITE\"}");
        try (Server server = new Server(config().importFile(json).build()).start()) {
            assertThat(server.stats().keys()).isEqualTo(2);
        }
        String refused = failure(config().importFile(json).build());
        assertThat(refused).startsWith("bite: --import " + json + ": the database in " + tmp.resolve("data")
                + " already holds 2 keys, and --import only fills an empty one");
        try (Server server = new Server(config().build()).start()) {
            assertThat(server.stats().keys()).isEqualTo(2);
        }
    }

    @Test
    void everyInterfaceIsLoggedAsWrittenWithAPreciseWarning() throws Exception {
        try (Server server = new Server(config().persist(false).host("0.0.0.0").build()).start()) {
            assertThat(messages(Level.INFO)).contains("Bite listening on 0.0.0.0:" + server.port());
            assertThat(messages(Level.WARNING)).singleElement().asString()
                    .contains("listens on 0.0.0.0:" + server.port())
                    .contains("anyone who can reach this port (in a container: wherever it is published)");
        }
    }

    @Test
    void aPortPublishedOnLoopbackOnlyNeedsNoWarning() throws Exception {
        try (Server server = new Server(config().persist(false).host("0.0.0.0").published("127.0.0.1:1984")
                .build()).start()) {
            assertThat(messages(Level.WARNING)).isEmpty();
            assertThat(messages(Level.INFO)).anyMatch(m -> m.contains("published on 127.0.0.1:1984 only"));
        }
    }

    /** A step that takes seconds shows up in the log while it runs, without waiting for it to end. */
    @Test
    void aLongLoadingStepIsLoggedWhileItRuns() throws Exception {
        java.util.concurrent.CountDownLatch logged = new java.util.concurrent.CountDownLatch(1);
        Handler watch = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getMessage().startsWith("loading: indexing 1000000 keys, ")) logged.countDown();
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        bite.addHandler(watch);
        try (bite.util.Deadlines timers = new bite.util.Deadlines().start();
             StartProgress progress = new StartProgress(timers)) {
            progress.step("indexing 1000000 keys");
            assertThat(logged.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("a progress line").isTrue();
        } finally {
            bite.removeHandler(watch);
        }
    }

    private List<String> messages(Level level) {
        return logged.stream().filter(r -> r.getLevel().equals(level)).map(LogRecord::getMessage).toList();
    }
}
