#!/usr/bin/env bash
# bench/soak.sh - run the Bite jar for N minutes under a mixed load with connection churn, and watch it.
#
# Load, all on loopback, from ../shared/tools/loadgen (built into target/loadgen):
#   steady   kvload, mixed get/set, back to back, one run per sample window: its p99 and errors are the window's
#   churn    short kvload incr runs (each opens and closes --churn connections) plus connections dropped mid-line
#   fan-out  fanout: --subscribers subscribers of one key, notified with '!' at --rate messages/s, the whole run
#   extras   bench/soak-extras.py: big reads (whole-database j and k, js of a 50,000-key subtree, a tagged j) every
#            2 s; protocol-3 subscribers (every=50) of a counter, reconnecting every 10 s with from=; then, after
#            the load, --pressure-cycles memory-cap cycles (fill until ERR out of memory, dd, writes work again)
# Every --interval seconds it samples the server's RSS (/proc/PID/status VmRSS), open fds and threads, and asks
# `info` for connections, keys and heap in use; at the end it prints the table and a verdict. Everything it starts
# it stops (trap); every client run has a time limit. Not part of `mvn test`: run it with `make soak`.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/soak.sh [options]

  --minutes N        how long the load runs (2)
  --interval S       seconds per sample window (10)
  --clients N        steady kvload connections (20), each with --pipeline requests in flight (4)
  --pipeline N
  --churn N          connections per churn run (20)
  --subscribers N    fan-out subscribers (20), notified at --rate messages/s (500)
  --rate N
  --pressure-cycles N  memory-cap cycles after the load (3): fill until ERR out of memory, dd, recover
  --no-build         use the existing jar, do not run Maven
  --jar PATH         the jar to run (default target/bite.jar)
  -h, --help         this text

Environment: JAVA_HOME (a JDK 25; default: the first under /usr/lib/jvm), BITE_SHARED (the shared/ checkout,
default ../shared beside the repo), SOAK_JAVA_OPTS (the server's JVM flags, default "-Xms64m -Xmx256m": a fixed
heap ceiling, so a leak shows as RSS and heap that keep growing instead of a heap that is merely sizing itself).
Exit status: 0 when the server stayed up and no client saw an error, 1 otherwise, 2 on bad usage.
EOF
}

MINUTES=2
INTERVAL=10
CLIENTS=20
PIPELINE=4
CHURN=20
SUBSCRIBERS=20
RATE=500
PRESSURE=3
BUILD=1
JAR=""
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) MINUTES=${2:?--minutes needs a value}; shift ;;
        --interval) INTERVAL=${2:?--interval needs a value}; shift ;;
        --clients) CLIENTS=${2:?--clients needs a value}; shift ;;
        --pipeline) PIPELINE=${2:?--pipeline needs a value}; shift ;;
        --churn) CHURN=${2:?--churn needs a value}; shift ;;
        --subscribers) SUBSCRIBERS=${2:?--subscribers needs a value}; shift ;;
        --rate) RATE=${2:?--rate needs a value}; shift ;;
        --pressure-cycles) PRESSURE=${2:?--pressure-cycles needs a value}; shift ;;
        --no-build) BUILD=0 ;;
        --jar) JAR=${2:?--jar needs a path}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "soak.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done
for n in "$MINUTES" "$INTERVAL" "$CLIENTS" "$PIPELINE" "$CHURN" "$SUBSCRIBERS" "$RATE" "$PRESSURE"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "soak.sh: '$n' is not a positive whole number" >&2; exit 2; }
done
say() { echo "soak.sh: $*" >&2; }

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
SHARED=${BITE_SHARED:-$REPO/../shared}
LOADGEN_SRC=$SHARED/tools/loadgen
LOGDIR=$REPO/target/soak/logs-$(date +%Y%m%d-%H%M%S)
mkdir -p "$LOGDIR"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bite-soak.XXXXXX")

. "$REPO/bench/lib.sh" # cleanup of everything started (PIDS), find_jdk25, free_port
JDK=$(find_jdk25) || { say "no JDK 25 found (set JAVA_HOME)"; exit 1; }
JAR=${JAR:-$REPO/target/bite.jar}
build_jar
make -s -C "$LOADGEN_SRC" OUT="$REPO/target/loadgen" >"$LOGDIR/loadgen-build.log" 2>&1 \
    || { say "loadgen build failed, see $LOGDIR/loadgen-build.log"; exit 1; }
KVLOAD=$REPO/target/loadgen/kvload
FANOUT=$REPO/target/loadgen/fanout

# Two cores: the server on CPU 1, the clients on CPU 0 (loadgen's README). With one core, no pinning.
if [ "$(nproc)" -ge 2 ]; then SERVER_PIN=(taskset -c 1); CLIENT_PIN=(taskset -c 0); else SERVER_PIN=(); CLIENT_PIN=(); fi


# --- the server -----------------------------------------------------------------------------------------
PORT=$(free_port) || { say "no free port found"; exit 1; }
SERVER_LOG=$LOGDIR/server.log
# shellcheck disable=SC2086
"${SERVER_PIN[@]}" "$JDK/bin/java" ${SOAK_JAVA_OPTS:--Xms64m -Xmx256m} -jar "$JAR" --host 127.0.0.1 --port "$PORT" \
    --data "$WORK/data" --fsync everysec >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
for i in $(seq 300); do
    grep -q "Bite listening on" "$SERVER_LOG" && break
    kill -0 "$SERVER_PID" 2>/dev/null || { say "the server exited at start, see $SERVER_LOG"; tail -5 "$SERVER_LOG" >&2; exit 1; }
    [ "$i" = 300 ] && { say "the server did not start within 30 s, see $SERVER_LOG"; exit 1; }
    sleep 0.1
done
# taskset execs java, so $! is the JVM itself

info() { # one `info` line, or nothing
    local fd line=""
    exec {fd}<>"/dev/tcp/127.0.0.1/$PORT" 2>/dev/null || return 0
    printf 'info\n' >&"$fd"
    IFS= read -r -t 5 line <&"$fd" || true
    exec {fd}>&-
    echo "$line"
}
json() { sed -n "s/.*\"$2\":\\([^,}]*\\).*/\\1/p" <<<"$1"; } # INFO FIELD -> value
field() { sed -n "s/.* $2=\\([^ ]*\\).*/\\1/p" <<<"$1"; } # RESULT-LINE NAME -> value
mib() { [ -n "$1" ] && awk -v b="$1" -v d="$2" 'BEGIN { printf "%.1f", b / d }' || echo "-"; }

# --- the load -------------------------------------------------------------------------------------------
TOTAL=$((MINUTES * 60))
START=$(date +%s)
END=$((START + TOTAL))
say "server pid $SERVER_PID on 127.0.0.1:$PORT; ${MINUTES} min of load, a sample every ${INTERVAL} s; logs in ${LOGDIR#"$REPO"/}"

"${CLIENT_PIN[@]}" timeout $((TOTAL + 30)) "$FANOUT" --port "$PORT" --proto bite --bite-op '!' --channel soak.room \
    --subscribers "$SUBSCRIBERS" --rate "$RATE" --seconds "$TOTAL" --warmup 0 --drain 5 >"$LOGDIR/fanout.log" 2>&1 &
FANOUT_PID=$!
PIDS+=("$FANOUT_PID")

churn() { # until END: short kvload runs (connect, a few requests, close) and connections dropped mid-line
    local runs=0 failed=0 fd k
    while [ "$(date +%s)" -lt "$END" ]; do
        if ! "${CLIENT_PIN[@]}" timeout 30 "$KVLOAD" --port "$PORT" --proto bite --op incr --clients "$CHURN" \
                --requests 200 --warmup 0 --keys 1000 >>"$LOGDIR/churn.log" 2>&1; then
            failed=$((failed + 1))
        fi
        for k in 1 2 3 4 5; do
            if exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"; then printf 's soak.half.%s half a li' "$k" >&"$fd"; exec {fd}>&-; fi
        done 2>/dev/null
        runs=$((runs + 1))
        echo "$runs $failed" >"$WORK/churn.count.new" && mv "$WORK/churn.count.new" "$WORK/churn.count" # whole, never half-written
    done
}
"${CLIENT_PIN[@]}" timeout $((TOTAL + 600)) python3 "$REPO/bench/soak-extras.py" "$PORT" "$TOTAL" "$PRESSURE" \
    >"$LOGDIR/extras.log" 2>&1 &
EXTRAS_PID=$!
PIDS+=("$EXTRAS_PID")

echo "0 0" >"$WORK/churn.count"
churn &
CHURN_PID=$!
PIDS+=("$CHURN_PID")

ROWS=()
ERRORS=0
RSS_FIRST=""
RSS_MAX=0
P99_MAX=0
window=0
while [ "$(date +%s)" -lt "$END" ] && kill -0 "$SERVER_PID" 2>/dev/null; do
    window=$((window + 1))
    left=$((END - $(date +%s)))
    secs=$((left < INTERVAL ? left : INTERVAL))
    [ "$secs" -ge 1 ] || break
    log=$LOGDIR/steady-$window.log
    "${CLIENT_PIN[@]}" timeout $((secs + 30)) "$KVLOAD" --port "$PORT" --proto bite --op mixed --clients "$CLIENTS" \
        --pipeline "$PIPELINE" --seconds "$secs" --warmup 0 --keys 10000 --value-size 64 --seed "$window" \
        >"$log" 2>&1 || true
    result=$(grep '^RESULT' "$log" | tail -1 || true)
    errors=$(field "$result" errors)
    [ -n "$errors" ] || errors=1 # no RESULT line: the run failed outright
    ERRORS=$((ERRORS + errors))
    p99=$(field "$result" p99_us)
    ops=$(field "$result" ops_per_sec)
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || true)
    threads=$(awk '/^Threads:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || true)
    fds=$(find "/proc/$SERVER_PID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
    line=$(info)
    read -r churn_runs churn_failed <"$WORK/churn.count"
    [ -n "$RSS_FIRST" ] || RSS_FIRST=$rss
    [ -n "$rss" ] && [ "$rss" -gt "$RSS_MAX" ] && RSS_MAX=$rss
    [ -n "$p99" ] && P99_MAX=$(awk -v a="$P99_MAX" -v b="$p99" 'BEGIN { print (b > a ? b : a) }')
    ROWS+=("$(printf '| %5d | %7s | %8s | %4s | %7s | %5s | %6s | %7s | %6s | %6s | %5s |' \
        $(( $(date +%s) - START )) "$(mib "$rss" 1024)" "$(mib "$(json "$line" memory_used_bytes)" 1048576)" \
        "$fds" "${threads:--}" "$(json "$line" connections)" "$(json "$line" keys)" "${ops:--}" \
        "$(mib "$p99" 1000)" "$errors" "$churn_runs")")
    echo "${ROWS[-1]}" >&2
done

wait "$CHURN_PID" 2>/dev/null || true # it ends on its own after its current run
wait "$FANOUT_PID" 2>/dev/null || true
say "load done; memory-cap pressure cycles ($PRESSURE) by the extras client"
wait "$EXTRAS_PID" 2>/dev/null || true
ALIVE=yes
kill -0 "$SERVER_PID" 2>/dev/null || ALIVE=no
extras=$(grep '^RESULT' "$LOGDIR/extras.log" | tail -1 || true)
count() { local v; v=$(field "$extras" "$1"); echo "${v:-1}"; } # a missing count is an error
extras_errors=$(( $(count big_read_errors) + $(count p3_errors) + $(count pressure_errors) ))
[ -n "$extras" ] || extras_errors=1
[ "$(field "$extras" pressure_cycles)" = "$PRESSURE" ] || extras_errors=$((extras_errors + 1))
read -r churn_runs churn_failed <"$WORK/churn.count"
fan=$(grep '^RESULT' "$LOGDIR/fanout.log" | tail -1 || true)
fan_errors=$(field "$fan" errors)
[ -n "$fan_errors" ] || fan_errors=1
last=$(info)

cat <<EOF

Bite soak: ${MINUTES} min on $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')
server: ${SOAK_JAVA_OPTS:--Xms64m -Xmx256m}, --fsync everysec, pinned to CPU 1; clients on CPU 0
steady: kvload mixed, $CLIENTS connections x pipeline $PIPELINE, 64-byte values, 10,000 keys, a new run every window
churn: kvload incr runs of $CHURN connections x 200 requests, each followed by 5 connections dropped mid-line
fan-out: $SUBSCRIBERS subscribers, '!' at $RATE messages/s for the whole run

| t (s) | RSS MiB | heap MiB | fds | threads | conns |   keys |   ops/s | p99 ms | errors | churn |
|------:|--------:|---------:|----:|--------:|------:|-------:|--------:|-------:|-------:|------:|
$(printf '%s\n' "${ROWS[@]}")

RSS: first $(mib "$RSS_FIRST" 1024) MiB, last $(mib "${rss:-}" 1024) MiB, max $(mib "$RSS_MAX" 1024) MiB; worst window p99 $(mib "$P99_MAX" 1000) ms
steady errors: $ERRORS; churn: $churn_runs runs ($((churn_runs * CHURN)) connections + $((churn_runs * 5)) dropped mid-line), $churn_failed failed
fan-out: delivered $(field "$fan" delivered) of $(field "$fan" expected), loss $(field "$fan" loss_pct) %, p99 $(mib "$(field "$fan" p99_us)" 1000) ms, errors $fan_errors
big reads: $(field "$extras" big_reads) (errors $(field "$extras" big_read_errors), slowest $(field "$extras" big_read_worst_ms) ms); protocol 3: $(field "$extras" p3_pushes) pushes, resumes $(field "$extras" p3_resumes_ok) ok / $(field "$extras" p3_resumes_no) NO, errors $(field "$extras" p3_errors)
memory cap: $(field "$extras" pressure_cycles) of $PRESSURE cycles ($(field "$extras" pressure_fills) fills of 64 KiB), slowest recovery after dd $(field "$extras" pressure_worst_recover_ms) ms, errors $(field "$extras" pressure_errors)
after the load: connections $(json "$last" connections), subscriptions $(json "$last" subscriptions), slow consumers dropped $(json "$last" slow_consumer_disconnects); server alive: $ALIVE
EOF

if [ "$ALIVE" = yes ] && [ "$ERRORS" = 0 ] && [ "$churn_failed" = 0 ] && [ "$fan_errors" = 0 ] && [ "$extras_errors" = 0 ]; then
    echo "verdict: PASS"
else
    echo "verdict: FAIL (see ${LOGDIR#"$REPO"/})"
    exit 1
fi
