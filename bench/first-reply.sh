#!/usr/bin/env bash
# bench/first-reply.sh - how soon a busy server answers a newcomer.
#
# Starts Bite (or Redis) pinned to CPU 1, saturates it with kvload pinned to CPU 0 (50 clients, pipeline 1, set),
# and meanwhile (1) opens connections one at a time, 100 ms apart, timing each from connect() to the reply to its
# first request (bench/conntool.c, mode `first`), then (2) subscribes 10 new connections to one key and publishes to
# them at 100 messages/s for 3 s with no warm-up (loadgen's fanout): the latency of a newcomer's first pushes. A
# server that serves new connections last shows it here. See --help.
set -euo pipefail

usage() {
    cat <<'EOF2'
usage: bench/first-reply.sh [options]

  --server bite|redis   what to measure (bite)
  --conns N             new connections to time (40), 100 ms apart, during the load
  --clients N           kvload connections keeping the server busy (50), each at pipeline 1
  --warmup S            load before the first new connection (3)
  --jar PATH            the Bite jar (target/bite.jar; built with `make build`)
  -h, --help            this text

Environment: JAVA_HOME (a JDK 25), BITE_JAVA_OPTS (extra JVM flags), BITE_SHARED (../shared).
EOF2
}

SERVER=bite CONNS=40 CLIENTS=50 WARMUP=3 JAR=""
while [ $# -gt 0 ]; do
    case "$1" in
        --server) SERVER=${2:?}; shift ;;
        --conns) CONNS=${2:?}; shift ;;
        --clients) CLIENTS=${2:?}; shift ;;
        --warmup) WARMUP=${2:?}; shift ;;
        --jar) JAR=${2:?}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "first-reply.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done
case "$SERVER" in bite|redis) ;; *) echo "first-reply.sh: --server is bite or redis" >&2; exit 2 ;; esac
say() { echo "first-reply.sh: $*" >&2; }

REPO=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${BITE_SHARED:-$REPO/../shared}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bite-first.XXXXXX")
. "$REPO/bench/lib.sh"
setup_kvload
JAR=${JAR:-$REPO/target/bite.jar}
CONNTOOL=$WORK/conntool
gcc -O2 -Wall -Wextra -std=gnu11 -o "$CONNTOOL" "$REPO/bench/conntool.c"

start_server "$SERVER" # the jar that is there (make build)

# the load lasts the warm-up, 100 ms per new connection and the fan-out, with room to spare
SECS=$((WARMUP + CONNS / 10 + 10))
"${CLIENT_PIN[@]}" "$KVLOAD" --port "$PORT" --proto "$PROTO" --clients "$CLIENTS" --pipeline 1 --keys 10000 \
    --value-size 32 --op set --seconds "$SECS" --warmup 0 >"$WORK/load.out" 2>&1 &
LOAD_PID=$!
PIDS+=("$LOAD_PID")
sleep "$WARMUP"
result=$("${CLIENT_PIN[@]}" timeout 300 "$CONNTOOL" first --port "$PORT" --proto "$PROTO" --conns "$CONNS") \
    || { say "conntool failed"; exit 1; }
fan=$("${CLIENT_PIN[@]}" timeout 60 "$REPO/target/loadgen/fanout" --port "$PORT" --proto "$PROTO" --subscribers 10 \
    --rate 100 --seconds 3 --warmup 0 $([ "$PROTO" = bite ] && echo "--bite-op !") 2>&1 | grep '^RESULT' || true)
[ -n "$fan" ] || { say "fanout failed"; exit 1; }
fan_p99=$(sed 's/.*p99_us=\([0-9.]*\).*/\1/' <<<"$fan")
fan_max=$(sed 's/.*max_us=\([0-9.]*\).*/\1/' <<<"$fan")
fan_lost=$(sed 's/.* lost=\([0-9]*\).*/\1/' <<<"$fan")
wait "$LOAD_PID" || { say "kvload failed: $(tail -2 "$WORK/load.out")"; exit 1; }
ops=$(sed -n 's/^RESULT.*ops_per_sec=\([0-9]*\).*/\1/p' "$WORK/load.out")
echo "server=$SERVER load: $CLIENTS clients at pipeline 1, $ops ops/s; $result"
awk -v p="$fan_p99" -v m="$fan_max" -v l="$fan_lost" \
    'BEGIN { printf "new subscribers (10, 100 messages/s, 3 s, no warm-up): p99 %.1f ms, max %.1f ms, lost %d\n", p / 1000, m / 1000, l }'
