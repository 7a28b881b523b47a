#!/usr/bin/env bash
# scripts/train-aot.sh - records Bite's JDK 25 AOT cache (JEP 483/514/515): one training run of the server under
# the load Bite is made for, whose exit writes the cache. A later `java -XX:AOTCache=FILE -jar JAR` then starts with
# the classes loaded and linked and the training run's method profiles, so the JIT compiles the hot paths sooner.
#
#   scripts/train-aot.sh JAVA JAR BENCH_JAR OUT [JVM flags...]
#
# JAVA must be the very runtime that will use the cache, JAR the jar at the path it will be run from (the cache
# records the class path), and the JVM flags the ones it will run with (a different collector disables parts of it).
# The load comes from the repository's own load tool (BENCH_JAR, `make bench-jar`): sets and gets at pipeline 1 and
# 16, a fan-out to 100 subscribers, and the game mode, a few seconds each, on a loopback port and a scratch data dir.
set -euo pipefail
JAVA=${1:?usage: train-aot.sh JAVA JAR BENCH_JAR OUT [JVM flags...]}
JAR=${2:?missing JAR}
BENCH_JAR=${3:?missing BENCH_JAR}
OUT=${4:?missing OUT}
shift 4
SECS=${BITE_AOT_TRAIN_SECONDS:-3}
say() { echo "train-aot: $*" >&2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/bite-aot.XXXXXX")
pid=""
finish() { [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; rm -rf "$work"; }
trap finish EXIT
port=$((20000 + RANDOM % 10000))
rm -f "$OUT"
"$JAVA" "$@" -XX:AOTCacheOutput="$OUT" -jar "$JAR" --port "$port" --data "$work/data" --fsync everysec \
    >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 300); do grep -q "Bite listening on" "$work/server.log" && break; sleep 0.1; done
grep -q "Bite listening on" "$work/server.log" || { say "the server did not start:"; cat "$work/server.log" >&2; exit 1; }
load() { "$JAVA" -jar "$BENCH_JAR" --port "$port" --quiet "$@" >>"$work/load.log" 2>&1 || say "load $* reported errors"; }
load --op set --pipeline 16 --seconds "$SECS"
load --op get --pipeline 16 --seconds "$SECS"
load --op set --pipeline 1 --clients 20 --seconds "$SECS"
load --op get --pipeline 1 --clients 20 --seconds "$SECS"
load --subscribers 100 --rate 10000 --seconds "$SECS"
if "$JAVA" -jar "$BENCH_JAR" --help | grep -q -- '--op game'; then
    load --op game --rooms 2 --players 50 --seconds "$SECS"
    load --op game --rooms 1 --players 50 --every 0 --seconds "$SECS"
fi
kill -TERM "$pid"
wait "$pid" || true # the exit writes the cache (a child JVM assembles it)
pid=""
[ -s "$OUT" ] || { say "no cache written:"; tail -20 "$work/server.log" >&2; exit 1; }
say "$OUT: $(du -h "$OUT" | cut -f1)"
