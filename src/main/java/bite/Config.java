package bite;

import bite.http.OriginPolicy;
import bite.storage.FsyncPolicy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Everything an operator can set. Immutable; passed down through constructors, never read from a static. Built on
 * the main thread at start-up and read by any thread after. Each option, its flag, environment variable, default and
 * help text, is defined once in {@link Options#ALL}, which sets the defaults of every {@link Builder}; {@code --help}
 * and the README's "Configuration" table list them.
 *
 * @param host             address to bind ({@code --host}, {@code BITE_HOST}); default {@code 127.0.0.1}
 * @param port             TCP port ({@code --port}, {@code BITE_PORT}); default 1984; 0 picks a free port
 * @param dataDir          where snapshots and the log live ({@code --data}, {@code BITE_DATA}); default {@code ./data}
 * @param persist          false keeps everything in memory only ({@code --no-persist}); default true
 * @param maxLineBytes     longest request line including its {@code \n}; default 1 MiB
 * @param maxKeyBytes      longest key in UTF-8 bytes; default 1024
 * @param maxValueBytes    longest stored value in UTF-8 bytes (what {@code +} may grow a value to); default 1 MiB
 * @param maxOutputBytes   per-connection limit of queued replies and pushes; default 32 MiB
 * @param fsync            write-ahead log fsync policy; default {@code everysec}
 * @param snapshotInterval how often a snapshot is written while there are changes; default 1 s
 * @param logLevel         lowest level logged; default INFO
 * @param importFile       an original BITE {@code DB.json} to load at start ({@code --import}); default none
 * @param password         when set, connections must {@code auth} first ({@code --password}); default none
 * @param maxClients       open connections allowed at once; default 10,000
 * @param idleTimeout      close a connection that sends nothing for this long (subscribers exempt); zero (the
 *                         default) never does
 * @param maxAuthFailures  wrong passwords before the connection is closed; default 5
 * @param logFormat        {@code text} (one line per event, the default) or {@code json} (one object per line)
 * @param published        in a container, where its port is published ({@code --published}); null: unknown. Only
 *                         the start-up warning about a missing password reads it
 * @param history          events kept for protocol 3's {@code from=} replays ({@code --history}); default 100,000;
 *                         0 keeps none
 * @param usersFile        the users file ({@code --users}); null: none
 * @param rulesFile        the rules file ({@code --rules}); null: every user and token holder may do everything
 * @param tokenSecret      the HS256 secret of player tokens ({@code --token-secret}); null: none. Never printed
 * @param tokenSecretFile  a file holding that secret ({@code --token-secret-file}); null: none
 * @param tlsCert          the TLS certificate chain, PEM ({@code --tls-cert}); null: plaintext TCP
 * @param tlsKey           the TLS private key, PEM PKCS#8 ({@code --tls-key}); null: plaintext TCP
 * @param sessionGrace     how long a protocol-3 session outlives its connection ({@code --session-grace}); default
 *                         10 s; zero ends it at the close
 * @param sessionTimeout   close a protocol-3 connection that sends nothing for this long, subscribers too
 *                         ({@code --session-timeout}); default 30 s; zero never does
 * @param httpPort         the HTTP listener's port ({@code --http-port}: WebSocket at {@code /ws}, {@code /metrics},
 *                         {@code /healthz}); -1 (the default) keeps it off; 0 picks a free port
 * @param httpOrigins      which browser origins may open a WebSocket ({@code --http-origins}); default: the same
 *                         host only
 * @param maxMemory        heap in use after GC, in bytes, above which requests that add data are refused
 *                         ({@code --max-memory}); default 80 % of the JVM's maximum heap
 */
public record Config(
        String host,
        int port,
        Path dataDir,
        boolean persist,
        int maxLineBytes,
        int maxKeyBytes,
        int maxValueBytes,
        long maxOutputBytes,
        FsyncPolicy fsync,
        Duration snapshotInterval,
        System.Logger.Level logLevel,
        Path importFile,
        String password,
        int maxClients,
        Duration idleTimeout,
        int maxAuthFailures,
        LogFormat logFormat,
        String published,
        int history,
        Path usersFile,
        Path rulesFile,
        String tokenSecret,
        Path tokenSecretFile,
        Path tlsCert,
        Path tlsKey,

        Duration sessionGrace,
        Duration sessionTimeout,
        int httpPort,
        OriginPolicy httpOrigins,
        long maxMemory) {

    /** How log events are written to stderr. */
    public enum LogFormat {
        TEXT, JSON;

        static LogFormat parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "text" -> TEXT;
                case "json" -> JSON;
                default -> throw new IllegalArgumentException("expected text or json");
            };
        }
    }

    public static Config defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "Config[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", persist=" + persist
                + ", fsync=" + fsync + ", password=" + (password == null ? "none" : "set") + ", maxClients="
                + maxClients + ", users=" + usersFile + ", rules=" + rulesFile + ", tokenSecret="
                + (tokenSecret == null ? "none" : "set") + ", tlsCert=" + tlsCert + "]";
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.dataDir = dataDir;
        b.persist = persist;
        b.maxLineBytes = maxLineBytes;
        b.maxKeyBytes = maxKeyBytes;
        b.maxValueBytes = maxValueBytes;
        b.maxOutputBytes = maxOutputBytes;
        b.fsync = fsync;
        b.snapshotInterval = snapshotInterval;
        b.logLevel = logLevel;
        b.importFile = importFile;
        b.password = password;
        b.maxClients = maxClients;
        b.idleTimeout = idleTimeout;
        b.maxAuthFailures = maxAuthFailures;
        b.logFormat = logFormat;
        b.published = published;
        b.history = history;
        b.usersFile = usersFile;
        b.rulesFile = rulesFile;
        b.tokenSecret = tokenSecret;
        b.tokenSecretFile = tokenSecretFile;
        b.tlsCert = tlsCert;
        b.tlsKey = tlsKey;
        b.sessionGrace = sessionGrace;
        b.sessionTimeout = sessionTimeout;
        b.httpPort = httpPort;
        b.httpOrigins = httpOrigins;
        b.maxMemory = maxMemory;
        return b;
    }

    /** Starts from the defaults of {@link Options#ALL}. */
    public static final class Builder {
        private String host;
        private int port;
        private Path dataDir;
        private boolean persist = true; // --no-persist is a switch: off unless given
        private int maxLineBytes;
        private int maxKeyBytes;
        private int maxValueBytes;
        private long maxOutputBytes;
        private FsyncPolicy fsync;
        private Duration snapshotInterval;
        private System.Logger.Level logLevel;
        private Path importFile;
        private String password;
        private int maxClients;
        private Duration idleTimeout;
        private int maxAuthFailures;
        private LogFormat logFormat;
        private String published;
        private int history;
        private Path usersFile;
        private Path rulesFile;
        private String tokenSecret;
        private Path tokenSecretFile;
        private Path tlsCert;
        private Path tlsKey;
        private Duration sessionGrace;
        private Duration sessionTimeout;
        private int httpPort = -1; // off unless given
        private OriginPolicy httpOrigins;
        private long maxMemory;

        private Builder() {
            Options.applyDefaults(this);
        }

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder persist(boolean v) { persist = v; return this; }
        public Builder maxLineBytes(int v) { maxLineBytes = v; return this; }
        public Builder maxKeyBytes(int v) { maxKeyBytes = v; return this; }
        public Builder maxValueBytes(int v) { maxValueBytes = v; return this; }
        public Builder maxOutputBytes(long v) { maxOutputBytes = v; return this; }
        public Builder fsync(FsyncPolicy v) { fsync = v; return this; }
        public Builder snapshotInterval(Duration v) { snapshotInterval = v; return this; }
        public Builder logLevel(System.Logger.Level v) { logLevel = v; return this; }
        public Builder importFile(Path v) { importFile = v; return this; }
        public Builder password(String v) { password = v; return this; }
        public Builder maxClients(int v) { maxClients = v; return this; }
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        public Builder maxAuthFailures(int v) { maxAuthFailures = v; return this; }
        public Builder logFormat(LogFormat v) { logFormat = v; return this; }
        public Builder published(String v) { published = v; return this; }
        public Builder history(int v) { history = v; return this; }
        public Builder usersFile(Path v) { usersFile = v; return this; }
        public Builder rulesFile(Path v) { rulesFile = v; return this; }
        public Builder tokenSecret(String v) { tokenSecret = v; return this; }
        public Builder tokenSecretFile(Path v) { tokenSecretFile = v; return this; }
        public Builder tlsCert(Path v) { tlsCert = v; return this; }
        public Builder tlsKey(Path v) { tlsKey = v; return this; }
        public Builder sessionGrace(Duration v) { sessionGrace = v; return this; }
        public Builder sessionTimeout(Duration v) { sessionTimeout = v; return this; }
        public Builder httpPort(int v) { httpPort = v; return this; }
        public Builder httpOrigins(OriginPolicy v) { httpOrigins = v; return this; }
        public Builder maxMemory(long v) { maxMemory = v; return this; }

        public Config build() {
            return new Config(host, port, dataDir, persist, maxLineBytes, maxKeyBytes, maxValueBytes,
                    maxOutputBytes, fsync, snapshotInterval, logLevel, importFile, password, maxClients, idleTimeout,
                    maxAuthFailures, logFormat, published, history, usersFile, rulesFile, tokenSecret,
                    tokenSecretFile, tlsCert, tlsKey, sessionGrace, sessionTimeout, httpPort,
                    httpOrigins, maxMemory);
        }
    }
}
