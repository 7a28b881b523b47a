#!/usr/bin/env bash
# bench/connmem.sh - what an idle subscribed connection costs, Bite against Redis (issue 17).
#
#   bench/connmem.sh [--conns LIST] [--no-redis] [--no-breakdown] [--settle S] [--no-pin]
#
# RSS is read --settle seconds (10) after the last connection is up: Redis shrinks an idle client's query buffer in
# its cron (within seconds), and a reading taken sooner counts buffers it is about to give back.
# For each N of --conns (default "10000 19500"): a fresh Bite (java -jar target/bite.jar --fsync everysec) and a
# fresh Redis (run-redis.sh), RSS before and with N connections that each subscribed to their own key (conntool idle:
# `#g idle.<i>` / `SUBSCRIBE idle.<i>`). Then, unless --no-breakdown, one more Bite with Native Memory Tracking
# (-XX:NativeMemoryTracking=summary, which costs memory itself, so its RSS is not the one reported) for the first N:
# `jcmd VM.native_memory summary.diff` against a baseline taken before the connections, and the heap's class
# histogram (`jcmd GC.class_histogram`, after a full GC) before and with them: what a connection costs by part.
# Servers pinned to CPU 1, conntool to CPU 0 (--no-pin: both CPUs for all, so the JVM picks G1, not Serial). Prints Markdown; logs in target/bench/connmem-<date>/.
set -euo pipefail
CONNS_LIST="10000 19500" WITH_REDIS=1 BREAKDOWN=1 SETTLE=10 PIN=1
while [ $# -gt 0 ]; do
    case "$1" in
        --conns) CONNS_LIST=$2; shift ;;
        --no-redis) WITH_REDIS=0 ;;
        --no-breakdown) BREAKDOWN=0 ;;
        --settle) SETTLE=$2; shift ;;
        --no-pin) PIN=0 ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "connmem.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
    shift
done
say() { echo "connmem.sh: $*" >&2; }
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
SHARED=${BITE_SHARED:-$REPO/../shared}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bite-connmem.XXXXXX")
. "$REPO/bench/lib.sh"
setup_kvload
[ "$PIN" = 1 ] || { SERVER_PIN=(); CLIENT_PIN=(); }
JAR=${BITE_JAR:-$REPO/target/bite.jar}
BUILD=0 build_jar
OUT=$REPO/target/bench/connmem-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
CONNTOOL=$REPO/target/bench/conntool
gcc -O2 -Wall -Wextra -std=gnu11 -o "$CONNTOOL" "$REPO/bench/conntool.c"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
say "open-file limit $(ulimit -n)"
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

hold() { # PORT PROTO N NAME: opens N idle subscribed connections, waits until they are up; sets HOLDER
    "${CLIENT_PIN[@]}" "$CONNTOOL" idle --port "$1" --proto "$2" --conns "$3" --hold 300 >"$OUT/$4.out" 2>"$OUT/$4.err" &
    HOLDER=$!
    PIDS+=("$HOLDER")
    for _ in $(seq 1800); do
        grep -q '^ready' "$OUT/$4.out" && return 0
        kill -0 "$HOLDER" 2>/dev/null || break
        sleep 0.1
    done
    say "$4: the connections did not come up (see $OUT/$4.err)"
    return 1
}
ROWS=()
measure() { # NAME PID PORT PROTO N
    local before after
    sleep 1
    before=$(rss_kb "$2")
    hold "$3" "$4" "$5" "$1-$5" || { ROWS+=("| $1 | $5 | $((before / 1024)) | failed | - |"); return; }
    sleep "$SETTLE"
    after=$(rss_kb "$2")
    ROWS+=("| $1 | $(printf "%'d" "$5") | $((before / 1024)) | $((after / 1024)) | $(awk -v a="$after" -v b="$before" -v n="$5" 'BEGIN { printf "%.0f", (a - b) * 1024 / n }') |")
    stop_pid "$HOLDER"
}
for n in $CONNS_LIST; do
    p=$(free_port)
    BITE_MAX_CLIENTS=$((n + 100)) start_bite "$p" "$OUT/bite-$n.log"
    measure Bite "$BITE_PID" "$p" bite "$n"
    stop_pid "$BITE_PID"
    if [ "$WITH_REDIS" = 1 ]; then
        p=$(free_port)
        start_redis "$p" --maxclients $((n + 100))
        measure Redis "$REDIS_PID" "$p" redis "$n"
        stop_pid "$REDIS_PID"
    fi
done
echo "## Idle subscribed connections, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)"
echo
echo "\`bench/connmem.sh --conns '$CONNS_LIST' --settle $SETTLE$([ "$PIN" = 1 ] || echo ' --no-pin')\`${BITE_JAVA_OPTS:+ with BITE_JAVA_OPTS=\"$BITE_JAVA_OPTS\"}; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); $("$JAVA" -version 2>&1 | head -1); $(redis-server --version | awk '{print $1, $3}')"
echo
echo "| server | connections | RSS before, MiB | RSS with them, MiB | bytes per connection |"
echo "|---|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
if [ "$BREAKDOWN" = 1 ]; then
    n=${CONNS_LIST%% *}
    p=$(free_port)
    BITE_MAX_CLIENTS=$((n + 100)) start_bite "$p" "$OUT/bite-nmt.log" -XX:NativeMemoryTracking=summary
    sleep 2
    "$JDK/bin/jcmd" "$BITE_PID" GC.class_histogram >"$OUT/histogram-before.txt"
    "$JDK/bin/jcmd" "$BITE_PID" VM.native_memory baseline >/dev/null
    hold "$p" bite "$n" nmt
    sleep 3
    "$JDK/bin/jcmd" "$BITE_PID" VM.native_memory summary.diff scale=KB >"$OUT/nmt-diff.txt"
    "$JDK/bin/jcmd" "$BITE_PID" GC.class_histogram >"$OUT/histogram-with.txt"
    "$JDK/bin/jcmd" "$BITE_PID" GC.heap_info >"$OUT/heap-info.txt"
    stop_pid "$HOLDER"
    stop_pid "$BITE_PID"
    echo
    echo "### Bite, $n connections: native memory by category (NMT summary.diff, committed KB, change)"
    echo
    echo '```'
    grep -E '^-|^Total' "$OUT/nmt-diff.txt" | sed 's/^ *//' | head -30
    echo '```'
    echo
    echo "### Bite, $n connections: heap classes that grew most (GC.class_histogram after a full GC; bytes, instances; per connection)"
    echo
    echo "| class | bytes growth | instances growth | bytes per connection |"
    echo "|---|---:|---:|---:|"
    awk -v n="$n" 'FNR == NR && $1 ~ /:$/ { b[$4] = $3; c[$4] = $2; next }
        $1 ~ /:$/ { d = $3 - b[$4]; if (d > 0) printf "%d\t%s\t%d\n", d, $4, $2 - c[$4] }' \
        "$OUT/histogram-before.txt" "$OUT/histogram-with.txt" | sort -rn | head -15 \
        | awk -F'\t' -v n="$n" '{ printf "| %s | %d | %d | %.0f |\n", $2, $1, $3, $1 / n }'
fi
echo
echo "Logs: ${OUT#"$REPO"/}"
