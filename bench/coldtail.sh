#!/usr/bin/env bash
# bench/coldtail.sh - the fan-out tail of a server that has just started (issue 17's "no cold tail"): for each
# launch variant (JVM flags), a fresh Bite is started and at once loadgen's fanout (100 subscribers, 10,000
# messages/s, `s`) runs for --cold seconds with no warm-up; then --settle seconds unreported, then --cold seconds
# again ("warm"). Redis gets the same. Variants alternate, --runs times. Servers pinned to CPU 1, clients to CPU 0.
#
#   bench/coldtail.sh [--runs N] [--cold S] [--settle S] [--no-build] [--aot FILE] [--variants 'NAME=FLAGS;...']
#                     [--nice N] [--docker IMAGE] [--no-pin]
#
# --nice N: servers and clients at that nice level (a negative one needs root): on a machine shared with other work
# it keeps their load from deciding the tail.
# --aot FILE: the AOT cache the variants name as @AOT@ (recorded with `bite train` when missing).
# --no-pin: servers and clients share both CPUs as the scheduler likes (as the issue measured from outside).
# --docker IMAGE: also the image as `docker run` starts it (its own ENTRYPOINT flags; host network, CPU 1); may be
# given more than once (say, two builds of the image side by side).
# Default variants: default (no flags), aot (-XX:AOTCache=@AOT@), and the ones in BITE_COLD_VARIANTS.
set -euo pipefail
RUNS=3 COLD=4 SETTLE=10 BUILD=1 AOT="" VARIANTS="" NICE="" IMAGES=() PIN=1
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS=$2; shift ;;
        --cold) COLD=$2; shift ;;
        --settle) SETTLE=$2; shift ;;
        --no-build) BUILD=0 ;;
        --aot) AOT=$2; shift ;;
        --variants) VARIANTS=$2; shift ;;
        --nice) NICE=$2; shift ;;
        --docker) IMAGES+=("$2"); shift ;;
        --no-pin) PIN=0 ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "coldtail.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
    shift
done
say() { echo "coldtail.sh: $*" >&2; }
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
SHARED=${BITE_SHARED:-$REPO/../shared}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bite-cold.XXXXXX")
. "$REPO/bench/lib.sh"
setup_kvload
[ "$PIN" = 1 ] || { SERVER_PIN=(); CLIENT_PIN=(); }
if [ -n "$NICE" ]; then SERVER_PIN=(nice -n "$NICE" "${SERVER_PIN[@]}"); CLIENT_PIN=(nice -n "$NICE" "${CLIENT_PIN[@]}"); fi
FANOUT=$REPO/target/loadgen/fanout
JAR=${BITE_JAR:-$REPO/target/bite.jar}
build_jar
AOT=${AOT:-$REPO/target/bite.aot}
VARIANTS=${VARIANTS:-"default=;aot=-XX:AOTCache=@AOT@${BITE_COLD_VARIANTS:+;$BITE_COLD_VARIANTS}"}
if [[ "$VARIANTS" == *@AOT@* ]] && [ ! -s "$AOT" ]; then
    say "training the AOT cache $AOT"
    "$JAVA" -XX:AOTCacheOutput="$AOT" -jar "$JAR" train >&2
fi
fan=(--subscribers 100 --rate 10000 --seconds "$COLD" --warmup 0)
p99() { sed -n 's/.* p99_us=\([^ ]*\).*/\1/p' "$1" | tail -1; }
declare -A COLDS WARMS
run_case() { # NAME RUN [JVM FLAGS]: a fresh server, cold, settle, warm
    local name=$1 rep=$2 log=$WORK/$1-$2
    local container=""
    if [ "$name" = redis ]; then
        PORT=$(free_port); start_redis "$PORT"; PID=$REDIS_PID; op=(); proto=redis
    elif [[ "$name" == docker:* ]]; then
        PORT=$(free_port)
        container=$(docker run -d --rm --network host $([ "$PIN" = 1 ] && echo --cpuset-cpus 1) "${name#docker:}" --host 127.0.0.1 --port "$PORT" \
            --fsync everysec) || { say "docker run failed"; return; }
        for _ in $(seq 300); do docker logs "$container" 2>&1 | grep -q "Bite listening on" && break; sleep 0.1; done
        PID=""; op=(--bite-op s); proto=bite
    else
        PORT=$(free_port)
        local flags=${3//@AOT@/$AOT}
        # shellcheck disable=SC2086
        BITE_JAVA_OPTS="$flags" start_bite "$PORT" "$log.server" || { say "$name did not start"; return; }
        PID=$BITE_PID; op=(--bite-op s); proto=bite
    fi
    "${CLIENT_PIN[@]}" "$FANOUT" --port "$PORT" --proto "$proto" \
        "${op[@]}" "${fan[@]}" >"$log.cold" 2>&1 || say "$name cold run reported errors ($log.cold)"
    "${CLIENT_PIN[@]}" "$FANOUT" --port "$PORT" --proto "$proto" "${op[@]}" \
        --subscribers 100 --rate 10000 --seconds "$SETTLE" --warmup 0 >/dev/null 2>&1 || true
    "${CLIENT_PIN[@]}" "$FANOUT" --port "$PORT" --proto "$proto" "${op[@]}" \
        "${fan[@]}" >"$log.warm" 2>&1 || say "$name warm run reported errors ($log.warm)"
    if [ -n "$container" ]; then docker rm -f "$container" >/dev/null; else stop_pid "$PID"; fi
    COLDS[$name]+="$(p99 "$log.cold") "
    WARMS[$name]+="$(p99 "$log.warm") "
    say "$name run $rep: cold p99 $(p99 "$log.cold") us, warm p99 $(p99 "$log.warm") us (load $(cut -d' ' -f1-3 /proc/loadavg))"
}
IFS=';' read -r -a VLIST <<<"$VARIANTS"
LOADS=""
for rep in $(seq "$RUNS"); do
    LOADS+="$(cut -d' ' -f1 /proc/loadavg) "
    for v in "${VLIST[@]}"; do run_case "${v%%=*}" "$rep" "${v#*=}"; done
    for image in "${IMAGES[@]}"; do run_case "docker:$image" "$rep"; done
    command -v redis-server >/dev/null && run_case redis "$rep"
done
med() { tr ' ' '\n' | grep . | sort -g | awk '{ a[NR] = $1 } END { if (NR) printf "%.1f", a[int((NR + 1) / 2)] / 1000; else print "-" }'; }
ms_list() { tr ' ' '\n' | grep . | awk '{ printf "%s%.1f", (NR > 1 ? ", " : ""), $1 / 1000 }'; }
echo "## Cold fan-out tail, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)"
echo
echo "\`bench/coldtail.sh --runs $RUNS --cold $COLD --settle $SETTLE${NICE:+ --nice $NICE}$([ "$PIN" = 1 ] || echo ' --no-pin')\`; $(nproc) CPUs, load average at each round: $LOADS"
echo
echo "| launch | JVM flags | cold p99 ms (median) | cold p99 ms, each run | warm p99 ms (median) | warm, each run |"
echo "|---|---|---:|---|---:|---|"
DOCKERS=()
for image in "${IMAGES[@]}"; do DOCKERS+=("docker:$image=(its ENTRYPOINT)"); done
for v in "${VLIST[@]}" "${DOCKERS[@]}" redis=; do
    n=${v%%=*}
    [ -n "${COLDS[$n]:-}" ] || continue
    echo "| $n | \`${v#*=}\` | $(med <<<"${COLDS[$n]}") | $(ms_list <<<"${COLDS[$n]}") | $(med <<<"${WARMS[$n]}") | $(ms_list <<<"${WARMS[$n]}") |"
done
