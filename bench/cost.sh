#!/usr/bin/env bash
# bench/cost.sh - what one request costs the server: CPU microseconds and system calls per request.
#
# Throughput on a shared VM moves by tens of percent from run to run; the cost per request moves much less, and
# says where the time goes. This starts Bite (or Redis, to compare) pinned to CPU 1, runs kvload pinned to CPU 0,
# and reads, over the same measured window:
#   - the server's user and system CPU time (/proc/PID/stat), divided by the requests answered;
#   - with --syscalls: system calls per request by kind (perf stat on the syscall tracepoints; needs root or
#     kernel.perf_event_paranoid <= 1, and adds overhead of its own, so the ops/s of such a run is lower).
# See --help.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/cost.sh [options]

  --server bite|redis   what to measure (bite)
  --op set|get          kvload operation (set; get prefills first)
  --pipeline N          requests in flight per connection (1)
  --clients N           connections (50)
  --seconds S           measured window (5)
  --warmup S            unmeasured load first (10: on one core the JIT needs about that long)
  --rounds N            repeat the measurement N times on the same server (1)
  --syscalls            also count system calls per request (perf stat)
  --jar PATH            the Bite jar (target/bite.jar; built with `make build`)
  -h, --help            this text

Environment: JAVA_HOME (a JDK 25), BITE_JAVA_OPTS (extra JVM flags), BITE_SHARED (../shared).
EOF
}

SERVER=bite OP=set PIPELINE=1 CLIENTS=50 SECS=5 WARMUP=10 ROUNDS=1 SYSCALLS=0 JAR=""
while [ $# -gt 0 ]; do
    case "$1" in
        --server) SERVER=${2:?}; shift ;;
        --op) OP=${2:?}; shift ;;
        --pipeline) PIPELINE=${2:?}; shift ;;
        --clients) CLIENTS=${2:?}; shift ;;
        --seconds) SECS=${2:?}; shift ;;
        --warmup) WARMUP=${2:?}; shift ;;
        --rounds) ROUNDS=${2:?}; shift ;;
        --syscalls) SYSCALLS=1 ;;
        --jar) JAR=${2:?}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "cost.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done
case "$SERVER" in bite|redis) ;; *) echo "cost.sh: --server is bite or redis" >&2; exit 2 ;; esac
case "$OP" in set|get) ;; *) echo "cost.sh: --op is set or get" >&2; exit 2 ;; esac
say() { echo "cost.sh: $*" >&2; }

REPO=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${BITE_SHARED:-$REPO/../shared}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bite-cost.XXXXXX")
. "$REPO/bench/lib.sh"
setup_kvload
JAR=${JAR:-$REPO/target/bite.jar}
if [ "$SYSCALLS" = 1 ] && ! command -v perf >/dev/null; then say "--syscalls needs perf (apt-get install linux-perf)"; exit 1; fi

start_server "$SERVER" # the jar that is there (make build)

load() { # SECONDS OUT
    local extra=()
    [ "$OP" = get ] && extra=(--prefill)
    "${CLIENT_PIN[@]}" "$KVLOAD" --port "$PORT" --proto "$PROTO" --clients "$CLIENTS" --pipeline "$PIPELINE" \
        --keys 10000 --value-size 32 --op "$OP" --seconds "$1" --warmup 0 "${extra[@]}" >"$2" 2>&1
}
cpu_ticks() { awk '{print $14, $15}' "/proc/$PID/stat"; }
TICK=$(getconf CLK_TCK)

load "$WARMUP" "$WORK/warmup.out" || { say "warm-up failed: $(tail -2 "$WORK/warmup.out")"; exit 1; }
echo "server=$SERVER op=$OP clients=$CLIENTS pipeline=$PIPELINE seconds=$SECS (after $WARMUP s of warm-up)"
for round in $(seq "$ROUNDS"); do
    read -r u0 s0 < <(cpu_ticks)
    if [ "$SYSCALLS" = 1 ]; then
        load "$SECS" "$WORK/load.out" &
        LPID=$!
        sleep 0.2
        perf stat -x, -p "$PID" -e 'raw_syscalls:sys_enter,syscalls:sys_enter_read,syscalls:sys_enter_write,syscalls:sys_enter_writev,syscalls:sys_enter_epoll_ctl,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_futex,context-switches' \
            -- sleep "$(awk -v s="$SECS" 'BEGIN { print s - 0.5 }')" 2>"$WORK/perf.out" >/dev/null
        wait "$LPID"
    else
        load "$SECS" "$WORK/load.out"
    fi
    read -r u1 s1 < <(cpu_ticks)
    result=$(grep '^RESULT' "$WORK/load.out" || true)
    [ -n "$result" ] || { say "kvload failed: $(tail -2 "$WORK/load.out")"; exit 1; }
    ops=$(sed 's/.* ops=\([0-9]*\).*/\1/' <<<"$result")
    rate=$(sed 's/.*ops_per_sec=\([0-9]*\).*/\1/' <<<"$result")
    p99=$(sed 's/.*p99_us=\([0-9.]*\).*/\1/' <<<"$result")
    awk -v r="$round" -v ops="$ops" -v rate="$rate" -v p99="$p99" -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v t="$TICK" \
        'BEGIN { printf "round %d: %d ops/s, p99 %.2f ms, server CPU per request %.1f us (user %.1f, system %.1f)\n",
                 r, rate, p99 / 1000, (u + s) * 1e6 / t / ops, u * 1e6 / t / ops, s * 1e6 / t / ops }'
    if [ "$SYSCALLS" = 1 ]; then
        # per request: counts over the perf window divided by the requests answered in it (rate x window)
        awk -F, -v rate="$rate" -v secs="$SECS" 'BEGIN { w = secs - 0.5 }
            { printf "  %-28s %7.3f per request\n", $3, $1 / (rate * w) }' "$WORK/perf.out"
    fi
done
