#!/usr/bin/env bash
# Client write latency with 1,000,000 keys loaded: snapshots every second (each one the whole million keys)
# against none during the run (3600s). Needs target/classes and the load tool tools/bench/target/bite-bench.jar
# (make build).
# Usage: bench/storage-latency.sh [fsync=always] [seconds=8]
set -euo pipefail
cd "$(dirname "$0")/.."
fsync=${1:-always}
seconds=${2:-8}
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
seq 0 999999 | awk 'BEGIN { printf "{" }
  { printf "%s\"key:%d\":\"x=%d y=0 z=0\"", (NR > 1 ? "," : ""), $1, $1 }
  END { print "}" }' > "$work/DB.json"
bench() {
  "$java" -jar tools/bench/target/bite-bench.jar --port "$port" --clients 50 --op set --keys 1000000 \
      --seconds "$1" --quiet
}
for interval in 1s 3600s; do
  rm -rf "$work/data"
  "$java" -Xmx2g -cp target/classes bite.Main --port 0 --data "$work/data" --fsync "$fsync" \
      --snapshot-interval "$interval" --import "$work/DB.json" --log-level debug 2> "$work/server.log" &
  pid=$!
  port=
  for _ in $(seq 1 1200); do
    port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$work/server.log" | cut -d: -f2 || true)
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { cat "$work/server.log"; exit 1; }
  bench 10 > /dev/null # warm-up: JIT, and the first young GCs that move the loaded keys to the old generation
  before=$(grep -c 'snapshot written' "$work/server.log" || true)
  echo "== fsync $fsync, snapshot interval $interval, 1,000,000 keys, 50 clients, ${seconds}s"
  bench "$seconds" | grep -E '^(requests|latency|RESULT)'
  after=$(grep -c 'snapshot written' "$work/server.log" || true)
  echo "snapshots written during the run: $((after - before)); last: $(grep 'snapshot written' "$work/server.log" | tail -n 1 | sed 's/.*snapshot written: //')"
  kill "$pid"; wait "$pid" || true
  pid=
done
