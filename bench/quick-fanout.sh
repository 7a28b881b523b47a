#!/usr/bin/env bash
# bench/quick-fanout.sh - one warm fan-out run against a fresh server, with the server's CPU and write calls: the
# quick check behind docs/BENCHMARKS.md's second-session flag comparisons (bench/compare.sh and bench/coldtail.sh
# are the full ones).
#
#   bench/quick-fanout.sh [bite|redis] [JVM flags...]
#
# Environment: RATE (10000 messages/s), SUBS (100), WARM (8 s unreported), SECS (5 s measured), BITE_JAR
# (target/bite.jar), JAVA_HOME. Server pinned to CPU 1, loadgen's fanout to CPU 0, both at nice -15 (root).
# Prints fanout's RESULT line, the server's CPU ticks (1/100 s) and write calls over warm-up + measured time.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${BITE_SHARED:-$REPO/../shared}
KIND=${1:-bite}; [ $# -gt 0 ] && shift
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
make -s -C "$SHARED/tools/loadgen" OUT="$REPO/target/loadgen" >/dev/null
FANOUT=$REPO/target/loadgen/fanout
D=$(mktemp -d); P=$((20000 + RANDOM % 10000))
trap 'kill "$S" 2>/dev/null; rm -rf "$D"' EXIT
if [ "$KIND" = redis ]; then
    S=$(taskset -c 1 "$SHARED/tools/loadgen/run-redis.sh" "$P" 2>/dev/null)
else
    taskset -c 1 nice -n -15 "$JAVA" "$@" -jar "${BITE_JAR:-$REPO/target/bite.jar}" --port "$P" --data "$D/data" \
        --fsync everysec >"$D/log" 2>&1 &
    S=$!
    for _ in $(seq 100); do grep -q "listening on" "$D/log" && break; sleep 0.1; done
fi
t0=$(awk '{print $14+$15}' "/proc/$S/stat"); w0=$(awk '/syscw/ {print $2}' "/proc/$S/io")
taskset -c 0 nice -n -15 "$FANOUT" --port "$P" --proto "$KIND" --subscribers "${SUBS:-100}" --rate "${RATE:-10000}" \
    --seconds "${SECS:-5}" --warmup "${WARM:-8}" 2>&1 | grep RESULT
t1=$(awk '{print $14+$15}' "/proc/$S/stat"); w1=$(awk '/syscw/ {print $2}' "/proc/$S/io")
echo "server: $((t1 - t0)) CPU ticks, $((w1 - w0)) write calls over $(( ${SECS:-5} + ${WARM:-8} )) s"
