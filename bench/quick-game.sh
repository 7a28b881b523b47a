#!/usr/bin/env bash
# bench/quick-game.sh - one game run (bite-bench.jar --op game) against a fresh Bite: the quick check behind
# docs/BENCHMARKS.md's second-session game numbers (bench/compare.sh --only game,tick is the full one, with Redis).
#
#   bench/quick-game.sh ROOMS PLAYERS EVERY [JVM flags...]
#
# Environment: WARM (6 s unreported), SECS (6 s measured), BITE_JAR (target/bite.jar), JAVA_HOME. Server pinned
# to CPU 1, the load tool to CPU 0, both at nice -15 (root). Prints pushes/s, staleness p50/p99 (µs), server CPU %
# and write calls/s from the load tool's RESULT line.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
ROOMS=${1:?usage: quick-game.sh ROOMS PLAYERS EVERY [JVM flags...]} PLAYERS=${2:?} EVERY=${3:?}
shift 3
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
BENCH_JAR=$REPO/tools/bench/target/bite-bench.jar
[ -f "$BENCH_JAR" ] || make -s -C "$REPO" bench-jar
D=$(mktemp -d); P=$((20000 + RANDOM % 10000))
taskset -c 1 nice -n -15 "$JAVA" "$@" -jar "${BITE_JAR:-$REPO/target/bite.jar}" --port "$P" --data "$D/data" \
    --fsync everysec >"$D/log" 2>&1 &
S=$!
trap 'kill "$S" 2>/dev/null; rm -rf "$D"' EXIT
for _ in $(seq 100); do grep -q "listening on" "$D/log" && break; sleep 0.1; done
taskset -c 0 nice -n -15 "$JAVA" -jar "$BENCH_JAR" --port "$P" --op game --quiet --warmup "${WARM:-6}" \
    --seconds "${SECS:-6}" --server-pid "$S" --rooms "$ROOMS" --players "$PLAYERS" --every "$EVERY" 2>&1 \
    | grep -o "RESULT.*" | grep -o "pushes_per_sec=[0-9]*\|stale_p50_us=[0-9.]*\|stale_p99_us=[0-9.]*\|server_cpu_pct=[0-9.]*\|server_write_calls_per_sec=[0-9]*" \
    | tr '\n' ' '
echo
