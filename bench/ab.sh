#!/usr/bin/env bash
# bench/ab.sh - is build B faster than build A? Interleaved, on the same machine phase.
#
# This VM's throughput drifts by tens of percent over minutes, so two builds measured one after the other can
# differ by more than any change under test. Here both servers run at once, pinned to the same CPU (1); the load
# (kvload, pinned to CPU 0) alternates between them in short rounds, so a slow phase hits both alike, and the
# per-round ratio B/A is what to read. The idle server costs the other nothing measurable (no timers run while
# nothing is written). See --help.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/ab.sh [options] JAR_A JAR_B

  --op set|get|mixed|fanout
                        kvload operation (get; get and mixed prefill the keys first); fanout: loadgen's fanout
                        instead, 100 subscribers, 10,000 `s` per second (read the p99 columns; ops/s are the
                        pushes delivered)
  --get-ratio F         share of gets with --op mixed (0.5)
  --pipeline N          requests in flight per connection (1)
  --clients N           connections (50)
  --rounds N            measured rounds per server, alternating A, B, A, B, ... (6)
  --seconds S           length of one round (3)
  --warmup S            unmeasured load on each server first (12: on one core the JIT needs about that long)
  --fsync POLICY        the servers' --fsync (everysec)
  -h, --help            this text

Prints every round (ops/s, server CPU microseconds per request, p99) and the medians, and B/A per round.
Environment: JAVA_HOME (a JDK 25), BITE_JAVA_OPTS (extra JVM flags for both), BITE_SHARED (../shared).
EOF
}

OP=get RATIO=0.5 PIPELINE=1 CLIENTS=50 ROUNDS=6 SECS=3 WARMUP=12 FSYNC=everysec
ARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --op) OP=${2:?}; shift ;;
        --get-ratio) RATIO=${2:?}; shift ;;
        --pipeline) PIPELINE=${2:?}; shift ;;
        --clients) CLIENTS=${2:?}; shift ;;
        --rounds) ROUNDS=${2:?}; shift ;;
        --seconds) SECS=${2:?}; shift ;;
        --warmup) WARMUP=${2:?}; shift ;;
        --fsync) FSYNC=${2:?}; shift ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "ab.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
        *) ARGS+=("$1") ;;
    esac
    shift
done
[ "${#ARGS[@]}" = 2 ] || { echo "ab.sh: give two jars, A and B (see --help)" >&2; exit 2; }
case "$OP" in set|get|mixed|fanout) ;; *) echo "ab.sh: --op is set, get, mixed or fanout" >&2; exit 2 ;; esac
for j in "${ARGS[@]}"; do [ -f "$j" ] || { echo "ab.sh: no jar at $j" >&2; exit 2; }; done
say() { echo "ab.sh: $*" >&2; }

REPO=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${BITE_SHARED:-$REPO/../shared}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bite-ab.XXXXXX")
. "$REPO/bench/lib.sh"
setup_kvload

declare -A PORT PID
BITE_FSYNC=$FSYNC # read by start_bite
for s in A B; do
    JAR=${ARGS[$([ $s = A ] && echo 0 || echo 1)]}
    PORT[$s]=$(free_port)
    start_bite "${PORT[$s]}" "$WORK/server-$s.log" || exit 1
    PID[$s]=$BITE_PID
done

load() { # SERVER SECONDS
    if [ "$OP" = fanout ]; then # the same fields as kvload's: ops and ops_per_sec are the pushes delivered
        "${CLIENT_PIN[@]}" "$REPO/target/loadgen/fanout" --port "${PORT[$1]}" --proto bite --bite-op s \
            --subscribers 100 --rate 10000 --seconds "$2" --warmup 1 2>&1 | grep '^RESULT' \
            | sed 's/.* delivered_per_sec=\([0-9]*\) .* delivered=\([0-9]*\) .*/& ops=\2 ops_per_sec=\1/' || true
        return
    fi
    local extra=()
    [ "$OP" != set ] && extra=(--prefill)
    [ "$OP" = mixed ] && extra+=(--get-ratio "$RATIO")
    "${CLIENT_PIN[@]}" "$KVLOAD" --port "${PORT[$1]}" --proto bite --clients "$CLIENTS" --pipeline "$PIPELINE" \
        --keys 10000 --value-size 32 --op "$OP" --seconds "$2" --warmup 0 "${extra[@]}" 2>&1 | grep '^RESULT' || true
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/${PID[$1]}/stat"; }
TICK=$(getconf CLK_TCK)

say "A: ${ARGS[0]}; B: ${ARGS[1]}; warming each up for $WARMUP s"
load A "$WARMUP" >/dev/null
load B "$WARMUP" >/dev/null
echo "op=$OP pipeline=$PIPELINE clients=$CLIENTS rounds=$ROUNDS x ${SECS}s fsync=$FSYNC$([ "$OP" = mixed ] && echo " get-ratio=$RATIO")"
for r in $(seq "$ROUNDS"); do
    for s in A B; do
        t0=$(cpu_ticks "$s")
        result=$(load "$s" "$SECS")
        t1=$(cpu_ticks "$s")
        [ -n "$result" ] || { say "kvload failed against $s (round $r)"; exit 1; }
        ops=$(sed 's/.* ops=\([0-9]*\).*/\1/' <<<"$result")
        rate=$(sed 's/.*ops_per_sec=\([0-9]*\).*/\1/' <<<"$result")
        p99=$(sed 's/.*p99_us=\([0-9.]*\).*/\1/' <<<"$result")
        awk -v s="$s" -v r="$r" -v rate="$rate" -v ops="$ops" -v t=$((t1 - t0)) -v hz="$TICK" -v p99="$p99" \
            'BEGIN { printf "%s %d %d %.2f %.2f\n", s, r, rate, t * 1e6 / hz / ops, p99 / 1000 }' >>"$WORK/rounds"
    done
done
awk '
    { ops[$1, $2] = $3; cpu[$1, $2] = $4; p99[$1, $2] = $5; n = $2 }
    function median(arr, k,    i, j, t, v, m) {
        m = 0
        for (i = 1; i <= n; i++) v[++m] = arr[k, i]
        for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
        return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
    }
    END {
        printf "%-6s %12s %12s %10s %12s %12s %10s %6s\n", "round", "A ops/s", "A us/req", "A p99 ms", "B ops/s", "B us/req", "B p99 ms", "B/A"
        for (i = 1; i <= n; i++) {
            ratio["r", i] = ops["B", i] / ops["A", i]
            printf "%-6d %12d %12.2f %10.2f %12d %12.2f %10.2f %6.2f\n", i, ops["A", i], cpu["A", i], p99["A", i], ops["B", i], cpu["B", i], p99["B", i], ratio["r", i]
        }
        printf "%-6s %12d %12.2f %10.2f %12d %12.2f %10.2f %6.2f\n", "median", median(ops, "A"), median(cpu, "A"), median(p99, "A"), median(ops, "B"), median(cpu, "B"), median(p99, "B"), median(ratio, "r")
    }' "$WORK/rounds"
