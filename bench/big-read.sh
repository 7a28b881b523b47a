#!/usr/bin/env bash
# bench/big-read.sh - how long does a big read hold everyone else? (issue 14's closing-note measurement)
#
# Starts the jar in memory only, loads --keys keys with `sl` (10,000 per line), starts a control client that sends
# `g` every 5 ms and times each round trip, then sends one whole-database `j` (and then `k`) from another
# connection. Prints the j's own time and reply size, the control client's worst and p99 round trip while the read
# was out, and its worst outside. Also the server's heap in use after a full GC with the keys loaded (jcmd). See
# --help.
set -euo pipefail

usage() {
    cat <<'EOF2'
usage: bench/big-read.sh [--keys N] [--value-bytes N] [JAR]

  --keys N          keys loaded before the read (1000000)
  --value-bytes N   bytes per value (20)
  JAR               the server (target/bite.jar)

Environment: JAVA_HOME (a JDK 25), BITE_JAVA_OPTS (the server's JVM flags, default -Xmx2g).
EOF2
}

KEYS=1000000 VALUE_BYTES=20 JAR=""
while [ $# -gt 0 ]; do
    case "$1" in
        --keys) KEYS=${2:?}; shift ;;
        --value-bytes) VALUE_BYTES=${2:?}; shift ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "big-read.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
        *) JAR=$1 ;;
    esac
    shift
done
say() { echo "big-read.sh: $*" >&2; }
REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bite-bigread.XXXXXX")
. "$REPO/bench/lib.sh"
JDK=$(find_jdk25) || { say "no JDK 25 found (set JAVA_HOME)"; exit 1; }
JAR=${JAR:-$REPO/target/bite.jar}
[ -f "$JAR" ] || { say "no jar at $JAR"; exit 2; }
PORT=$(free_port)
# shellcheck disable=SC2086
"$JDK/bin/java" ${BITE_JAVA_OPTS:--Xmx2g} -jar "$JAR" --port "$PORT" --no-persist --max-line-bytes 8m >"$WORK/server.log" 2>&1 &
SERVER=$!
PIDS+=("$SERVER")
for _ in $(seq 100); do grep -q "listening" "$WORK/server.log" 2>/dev/null && break; sleep 0.1; done

python3 - "$PORT" "$KEYS" "$VALUE_BYTES" "$JDK" "$SERVER" <<'PY'
import socket, subprocess, sys, threading, time
port, keys, vbytes, jdk, pid = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]

def connect():
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s, s.makefile("rb")

loader, lin = connect()
value = "v" * vbytes
t0 = time.time()
for start in range(0, keys, 10000):
    items = "".join("|room.%d.player.%d %s" % (i // 1000, i % 1000, value) for i in range(start, min(keys, start + 10000)))
    loader.sendall(("sl |" + items[1:] + "\n").encode())
    assert lin.readline() == b"OK\n"
print("loaded %d keys in %.1f s" % (keys, time.time() - t0))
subprocess.run([jdk + "/bin/jcmd", pid, "GC.run"], capture_output=True)
heap = subprocess.run([jdk + "/bin/jcmd", pid, "GC.heap_info"], capture_output=True, text=True).stdout
for line in heap.splitlines():
    if "used" in line and ("garbage-first heap" in line or "total" in line):
        print("heap after full GC:", line.strip()); break

control, cin = connect()
samples = []  # (start, end)
stop = False
def probe():
    while not stop:
        t = time.perf_counter()
        control.sendall(b"g room.1.player.1\n"); cin.readline()
        samples.append((t, time.perf_counter()))
        time.sleep(0.005)
th = threading.Thread(target=probe); th.start()
time.sleep(1.0)
reader, rin = connect()
for cmd in (b"j\n", b"k\n"):
    t1 = time.perf_counter()
    reader.sendall(cmd)
    n = len(rin.readline())
    t2 = time.perf_counter()
    time.sleep(0.5)
    during = sorted(e - s for s, e in samples if e >= t1 and s <= t2)
    outside = sorted(e - s for s, e in samples if e < t1 - 0.1)
    p99 = during[int(len(during) * 0.99)] if during else 0
    print("%s of %d keys: %d bytes in %.0f ms; control client during it: %d probes, worst %.1f ms, p99 %.1f ms;"
          " before it: worst %.1f ms" % (cmd.decode().strip(), keys, n, (t2 - t1) * 1000, len(during),
          (during[-1] if during else 0) * 1000, p99 * 1000, (outside[-1] if outside else 0) * 1000))
stop = True; th.join()
PY
