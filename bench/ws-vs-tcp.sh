#!/usr/bin/env bash
# bench/ws-vs-tcp.sh - the WebSocket transport against TCP, on the same server and the same load tool.
#
# One server (target/bite.jar, --http-port on) takes, round after round, the same load over TCP and over /ws
# (tools/bench's --ws), so that a slow phase of this VM hits both alike: set at pipeline 1, get at pipeline 16,
# fan-out (100 subscribers, 2,000 `!` per second: 200,000 pushes/s; read the p99). Then the memory of N idle subscribers: a fresh
# server each, RSS before and after N connections that each subscribed to their own key (TCP: bench/conntool.c;
# WebSocket: bench/ws-idle.py, Python's websockets package). See --help.
set -euo pipefail

usage() {
    cat <<'USAGE'
usage: bench/ws-vs-tcp.sh [--rounds N] [--seconds S] [--conns N] [--only load|idle]

  --rounds N    measured rounds, each case over TCP then over WebSocket (3)
  --seconds S   length of one measured run (5)
  --conns N     idle subscribers per transport (10000)
  --only WHAT   load (ops/s and fan-out) or idle (memory) alone
Needs target/bite.jar and tools/bench/target/bite-bench.jar (make build), gcc, python3 with websockets.
USAGE
}

ROUNDS=3 SECS=5 CONNS=10000 ONLY=""
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) ROUNDS=${2:?}; shift ;;
        --seconds) SECS=${2:?}; shift ;;
        --conns) CONNS=${2:?}; shift ;;
        --only) ONLY=${2:?}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
    shift
done

say() { echo "ws-vs-tcp: $*" >&2; }
REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bite-ws-vs-tcp.XXXXXX")
# shellcheck source=lib.sh
. "$REPO/bench/lib.sh"

JDK=$(find_jdk25) || { say "no JDK 25 found (set JAVA_HOME)"; exit 1; }
JAVA=$JDK/bin/java
LOGDIR=$WORK
JAR=$REPO/target/bite.jar
BENCH=$REPO/tools/bench/target/bite-bench.jar
[ -f "$BENCH" ] || { say "no $BENCH: run make build"; exit 1; }
BUILD=0 build_jar
SERVER_PIN=() CLIENT_PIN=()
if [ "$(nproc)" -ge 2 ]; then SERVER_PIN=(taskset -c 1); CLIENT_PIN=(taskset -c 0); fi

result() { # FIELD LINE: the value of FIELD=... in a RESULT line
    tr ' ' '\n' <<<"$2" | awk -F= -v f="$1" '$1 == f {print $2}'
}
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
load() { # PORT ARGS...: one load tool run, its RESULT line
    local port=$1
    shift
    "${CLIENT_PIN[@]}" "$JAVA" -jar "$BENCH" --quiet --port "$port" "$@" | grep '^RESULT' || echo "RESULT failed=1"
}

if [ "$ONLY" != idle ]; then
    PORT=$(free_port)
    HTTP=$(free_port)
    BITE_HTTP_PORT=$HTTP start_bite "$PORT" "$WORK/server.log" || exit 1
    declare -A CASES=(
        [set-p1]="--op set --clients 50 --pipeline 1"
        [get-p16]="--op get --prefill --clients 50 --pipeline 16"
        [fanout]="--subscribers 100 --rate 2000"
    )
    say "warming up: 10 s of set and get over each transport"
    load "$PORT" --op set --clients 50 --seconds 5 >/dev/null
    load "$HTTP" --ws --op set --clients 50 --seconds 5 >/dev/null
    declare -A SAMPLES=()
    printf '%-7s %-8s %12s %10s\n' round case "TCP" "WebSocket"
    for r in $(seq "$ROUNDS"); do
        for c in set-p1 get-p16 fanout; do
            field=ops_per_sec
            [ "$c" = fanout ] && field=p99_us
            # shellcheck disable=SC2086
            tcp=$(result "$field" "$(load "$PORT" ${CASES[$c]} --seconds "$SECS")")
            # shellcheck disable=SC2086
            ws=$(result "$field" "$(load "$HTTP" --ws ${CASES[$c]} --seconds "$SECS")")
            printf '%-7s %-8s %12s %10s\n' "$r" "$c" "${tcp:-failed}" "${ws:-failed}"
            SAMPLES[$c.tcp]+="${tcp:-0} "
            SAMPLES[$c.ws]+="${ws:-0} "
        done
    done
    for c in set-p1 get-p16 fanout; do
        unit="ops/s"
        [ "$c" = fanout ] && unit="p99 us"
        printf '%-7s %-8s %12s %10s   (%s)\n' median "$c" "$(tr ' ' '\n' <<<"${SAMPLES[$c.tcp]}" | grep . | median)" \
            "$(tr ' ' '\n' <<<"${SAMPLES[$c.ws]}" | grep . | median)" "$unit"
    done
    stop_pid "$BITE_PID"
fi

if [ "$ONLY" != load ]; then
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    CONNTOOL=$WORK/conntool
    gcc -O2 -Wall -Wextra -std=gnu11 -o "$CONNTOOL" "$REPO/bench/conntool.c"
    rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
    idle() { # tcp|ws: prints "RSS before, after, per connection"
        local port http before after holder ready
        port=$(free_port)
        http=$(free_port)
        BITE_HTTP_PORT=$http start_bite "$port" "$WORK/idle-$1.log" || exit 1
        sleep 2
        before=$(rss_kb "$BITE_PID")
        if [ "$1" = tcp ]; then
            "$CONNTOOL" idle --port "$port" --proto bite --conns "$CONNS" --hold 300 >"$WORK/holder.out" 2>&1 &
        else
            python3 "$REPO/bench/ws-idle.py" --port "$http" --conns "$CONNS" --hold 300 >"$WORK/holder.out" 2>&1 &
        fi
        holder=$!
        PIDS+=("$holder")
        await_ready "$WORK/holder.out" "$holder" || true
        ready=$(grep '^ready' "$WORK/holder.out" || echo "not ready: $(tail -1 "$WORK/holder.out")")
        sleep 5 # let the server settle (a young collection, the spares)
        after=$(rss_kb "$BITE_PID")
        printf '%-10s %s; RSS before %d MiB, with them %d MiB: +%d MiB, %.1f KiB each\n' "$1" "$ready" \
            $((before / 1024)) $((after / 1024)) $(((after - before) / 1024)) \
            "$(awk -v a="$after" -v b="$before" -v n="$CONNS" 'BEGIN {print (a - b) / n}')"
        stop_pid "$holder"
        stop_pid "$BITE_PID"
    }
    idle tcp
    idle ws
fi
