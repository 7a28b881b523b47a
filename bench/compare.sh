#!/usr/bin/env bash
# bench/compare.sh - Bite and Redis side by side on this machine, with loadgen (../shared/tools/loadgen).
#
# Cases: kvload set/get at pipeline 1 and 16 (50 clients, 10,000 keys, 32-byte values); fanout to 100
# subscribers at 10,000 messages/s (Bite with `s` and with `!`, Redis PUBLISH); the game (rooms of players
# writing positions at 20 Hz, bite-bench.jar --op game) and the tick-batching case of issue 13; RSS with
# 10,000 idle subscribed connections; start-up time to the first answered request. Servers run pinned to one core,
# clients to the other. Everything it starts it stops; loopback only; every step has a time limit.
# Prints one report and writes it to target/bench/results-<date>.md. See --help.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/compare.sh [options]

  --quick            short run: 2 s per case, 0.5 s warm-up, 1,000 idle connections, 1 start-up run,
                     100,000 keys for the loaded start-up
  --only LIST        comma-separated subset of: kv,fanout,game,tick,idle,startup (default: all)
  --game-seconds S   measured seconds per game/tick run, after as many seconds of the same game (10)
  --seconds S        measured seconds per kv/fanout case (5)
  --warmup S         kvload/fanout warm-up seconds before each measured case (1)
  --server-warmup S  before the first case, S seconds of each unreported load (set and get at pipeline
                     16 and 1, and the fan-out cases) on each server, so that the JVM's JIT has compiled
                     Bite's hot paths (5; the same load goes to Redis)
  --conns N          idle subscribed connections for the RSS case (10000)
  --startup-runs N   start-ups to time per server; the median is reported (3)
  --startup-keys N   also time Bite's start-up with a data dir holding N keys (1000000; 0: skip). The
                     dir is made once with --import of a generated DB.json (32-byte values)
  --repeat N         run every kv and fan-out case N times, Bite and Redis alternating, and report
                     the median run (1); on a shared machine 3 gives steadier numbers
  --no-redis         Bite only (no Redis column)
  --no-build         use the existing jar, do not run Maven
  --jar PATH         the Bite jar to measure (default target/bite.jar)
  --nice N           run servers and clients at this nice level (e.g. -10, root only): on a machine
                     shared with other work this keeps the others' load from dominating the numbers
  --profile          record a JFR profile of Bite during the kv cases (target/bench/bite-<date>.jfr)
                     and add its hot methods to the report
  -h, --help         this text

Environment: JAVA_HOME (a JDK 25; default: the first JDK 25 under /usr/lib/jvm), BITE_SHARED (the
shared/ checkout, default ../shared beside the repo), BITE_JAVA_OPTS (extra JVM flags for Bite).
Exit status: 0 when every case ran without errors, 1 otherwise, 2 on bad usage.
EOF
}

SECS=5
WARMUP=1
SERVER_WARMUP=5
CONNS=10000
STARTUP_RUNS=3
STARTUP_KEYS=1000000
REPEAT=1
ONLY="kv,fanout,game,tick,idle,startup"
GAME_SECS=10
WITH_REDIS=1
BUILD=1
PROFILE=0
NICE=""
JAR=""
ARGS_GIVEN="$*"
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) SECS=2; WARMUP=0.5; SERVER_WARMUP=2; CONNS=1000; STARTUP_RUNS=1; STARTUP_KEYS=100000; GAME_SECS=3 ;;
        --game-seconds) GAME_SECS=${2:?--game-seconds needs a value}; shift ;;
        --only) ONLY=${2:?--only needs a list}; shift ;;
        --seconds) SECS=${2:?--seconds needs a value}; shift ;;
        --warmup) WARMUP=${2:?--warmup needs a value}; shift ;;
        --server-warmup) SERVER_WARMUP=${2:?--server-warmup needs a value}; shift ;;
        --conns) CONNS=${2:?--conns needs a value}; shift ;;
        --startup-runs) STARTUP_RUNS=${2:?--startup-runs needs a value}; shift ;;
        --startup-keys) STARTUP_KEYS=${2:?--startup-keys needs a value}; shift ;;
        --repeat) REPEAT=${2:?--repeat needs a value}; shift ;;
        --no-redis) WITH_REDIS=0 ;;
        --no-build) BUILD=0 ;;
        --jar) JAR=${2:?--jar needs a path}; shift ;;
        --profile) PROFILE=1 ;;
        --nice) NICE=${2:?--nice needs a value}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "compare.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done
for part in ${ONLY//,/ }; do
    case "$part" in kv|fanout|game|tick|idle|startup) ;; *) echo "compare.sh: --only: unknown case '$part'" >&2; exit 2 ;; esac
done
wants() { [[ ",$ONLY," == *",$1,"* ]]; }
say() { echo "compare.sh: $*" >&2; }

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
SHARED=${BITE_SHARED:-$REPO/../shared}
LOADGEN_SRC=$SHARED/tools/loadgen
STAMP=$(date +%Y%m%d-%H%M%S)
OUTDIR=$REPO/target/bench
LOGDIR=$OUTDIR/logs-$STAMP
REPORT=$OUTDIR/results-$STAMP.md
mkdir -p "$LOGDIR"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bite-bench.XXXXXX")
FAILURES=0

. "$REPO/bench/lib.sh" # cleanup of everything started (PIDS), find_jdk25, free_port
JDK=$(find_jdk25) || { say "no JDK 25 found (set JAVA_HOME)"; exit 1; }
JAVA=$JDK/bin/java
JAR=${JAR:-$REPO/target/bite.jar}
build_jar

say "building loadgen from $LOADGEN_SRC"
make -s -C "$LOADGEN_SRC" OUT="$REPO/target/loadgen" >"$LOGDIR/loadgen-build.log" 2>&1 \
    || { say "loadgen build failed, see $LOGDIR/loadgen-build.log"; exit 1; }
KVLOAD=$REPO/target/loadgen/kvload
FANOUT=$REPO/target/loadgen/fanout
CONNTOOL=$OUTDIR/conntool
gcc -O2 -Wall -Wextra -std=gnu11 -o "$CONNTOOL" "$REPO/bench/conntool.c"

if [ "$WITH_REDIS" = 1 ] && ! command -v redis-server >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        say "installing redis-server (apt-get)"
        { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 \
              install -y -q redis-server; } >"$LOGDIR/apt.log" 2>&1 \
            || { say "apt-get failed (see $LOGDIR/apt.log): continuing without Redis"; WITH_REDIS=0; }
    else
        say "redis-server is missing and this is not root: continuing without Redis"
        WITH_REDIS=0
    fi
fi

# Two cores: servers on CPU 1, clients on CPU 0 (loadgen's README). With one core, no pinning.
PRIO=()
if [ -n "$NICE" ]; then
    if [ "$(nice -n "$NICE" nice 2>/dev/null)" = "$(( $(nice) + NICE ))" ]; then
        PRIO=(nice -n "$NICE")
    else
        say "cannot run at nice $NICE here (needs root for a negative value): running at the default priority"
        NICE=""
    fi
fi
if [ "$(nproc)" -ge 2 ]; then
    SERVER_PIN=("${PRIO[@]}" taskset -c 1)
    CLIENT_PIN=("${PRIO[@]}" taskset -c 0)
    PINNING="servers on CPU 1, clients on CPU 0 (taskset)"
else
    SERVER_PIN=("${PRIO[@]}")
    CLIENT_PIN=("${PRIO[@]}")
    PINNING="not pinned (one CPU)"
fi
[ -n "$NICE" ] && PINNING+=", at nice $NICE"

# Idle connections need file descriptors on both sides; raise the soft limit as far as allowed.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if wants idle && [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((CONNS + 200)) ]; then
    CONNS=$(( $(ulimit -n) - 200 ))
    say "open-file limit is $(ulimit -n): idle case uses $CONNS connections"
fi


# --- servers --------------------------------------------------------------------------------------
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# --- result parsing -------------------------------------------------------------------------------
field() { # "RESULT ..." NAME -> value
    sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"
}
ms() { # microseconds -> milliseconds, 2 decimals
    [ -n "$1" ] && awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }' || echo "-"
}
thousands() { # 1234567 -> 1,234,567
    [ -n "$1" ] || { echo "-"; return; }
    awk -v n="$1" 'BEGIN { s = sprintf("%.0f", n); t = ""
        while (length(s) > 3) { t = "," substr(s, length(s) - 2) t; s = substr(s, 1, length(s) - 3) }
        print s t }'
}
ratio() { # a b -> a/b with 2 decimals
    if [ -n "$1" ] && [ -n "$2" ] && [ "$2" != 0 ]; then awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
    else echo "-"; fi
}
RESULT=""
run_client() { # LOG TIMEOUT CMD... -> sets RESULT to the run's RESULT line (empty when it has none)
    local log=$1 limit=$2
    shift 2
    if ! timeout "$limit" "${CLIENT_PIN[@]}" "$@" >"$log" 2>&1; then
        say "FAILED or errors: ${*##*/} (see ${log#"$REPO"/})"
        FAILURES=$((FAILURES + 1))
    fi
    RESULT=$(grep '^RESULT' "$log" | tail -1 || true)
}

median_result() { # FIELD RESULT-LINE... -> the line whose FIELD is the median (the lower one of two)
    local f=$1
    shift
    printf '%s\n' "$@" | { grep '^RESULT' || true; } | while read -r line; do
        printf '%s\t%s\n' "$(field "$line" "$f")" "$line"
    done | sort -g | awk '{ a[NR] = $0 } END { if (NR) print a[int((NR + 1) / 2)] }' | cut -f2-
}

KV_ROWS=()
FANOUT_ROWS=()
IDLE_ROWS=()
STARTUP_ROWS=()
PROFILE_TEXT=""

# --- kv and fan-out: one Bite and one Redis for all cases -----------------------------------------
if wants kv || wants fanout; then
    BPORT=$(free_port)
    JFR_OPTS=()
    if [ "$PROFILE" = 1 ]; then
        JFR_FILE=$OUTDIR/bite-$STAMP.jfr
        JFR_OPTS=("-XX:StartFlightRecording=filename=$JFR_FILE,settings=profile")
    fi
    start_bite "$BPORT" "$LOGDIR/bite.log" "${JFR_OPTS[@]}"
    KV_BITE_PID=$BITE_PID
    if [ "$WITH_REDIS" = 1 ]; then
        RPORT=$(free_port)
        start_redis "$RPORT"
        KV_REDIS_PID=$REDIS_PID
    fi
    LIMIT=$(awk -v s="$SECS" -v w="$WARMUP" 'BEGIN { printf "%d", s + w + 60 }')

    if awk -v w="$SERVER_WARMUP" 'BEGIN { exit !(w > 0) }'; then
        say "server warm-up: ${SERVER_WARMUP} s of each load on each server, not reported"
        # pipeline 1 and 16 exercise Bite differently (a poller wake-up per request at 1, long batches at 16): on
        # one core the JIT needs some seconds of each before Bite runs at its steady speed
        for load in "set 16" "get 16" "set 1" "get 1"; do
            read -r op p <<<"$load"
            run_client "$LOGDIR/warmup-bite-$op-p$p.log" "$LIMIT" "$KVLOAD" --port "$BPORT" --proto bite --clients 50 \
                --keys 10000 --value-size 32 --pipeline "$p" --seconds "$SERVER_WARMUP" --warmup 0 --op "$op"
            if [ "$WITH_REDIS" = 1 ]; then
                run_client "$LOGDIR/warmup-redis-$op-p$p.log" "$LIMIT" "$KVLOAD" --port "$RPORT" --proto redis \
                    --clients 50 --keys 10000 --value-size 32 --pipeline "$p" --seconds "$SERVER_WARMUP" --warmup 0 --op "$op"
            fi
        done
        if wants fanout; then # the push path is JIT-compiled apart from the request path: warm it too
            wfan=(--subscribers 100 --rate 10000 --seconds "$SERVER_WARMUP" --warmup 0)
            for op in s '!'; do
                run_client "$LOGDIR/warmup-bite-fanout-${op/!/bang}.log" "$((SERVER_WARMUP + 60))" "$FANOUT" \
                    --port "$BPORT" --proto bite --bite-op "$op" "${wfan[@]}"
            done
            if [ "$WITH_REDIS" = 1 ]; then
                run_client "$LOGDIR/warmup-redis-fanout.log" "$((SERVER_WARMUP + 60))" "$FANOUT" --port "$RPORT" \
                    --proto redis "${wfan[@]}"
            fi
        fi
    fi

    if wants kv; then
        for op in set get; do
            for p in 1 16; do
                extra=()
                [ "$op" = get ] && extra=(--prefill)
                common=(--clients 50 --keys 10000 --value-size 32 --pipeline "$p" --seconds "$SECS"
                        --warmup "$WARMUP" --op "$op" "${extra[@]}")
                rbs=() rrs=()
                for rep in $(seq "$REPEAT"); do
                    say "kv $op pipeline $p: bite (run $rep of $REPEAT)"
                    run_client "$LOGDIR/kv-bite-$op-p$p-$rep.log" "$LIMIT" "$KVLOAD" --port "$BPORT" --proto bite "${common[@]}"
                    rbs+=("$RESULT")
                    if [ "$WITH_REDIS" = 1 ]; then
                        say "kv $op pipeline $p: redis (run $rep of $REPEAT)"
                        run_client "$LOGDIR/kv-redis-$op-p$p-$rep.log" "$LIMIT" "$KVLOAD" --port "$RPORT" --proto redis "${common[@]}"
                        rrs+=("$RESULT")
                    fi
                done
                rb=$(median_result ops_per_sec "${rbs[@]}")
                rr=$(median_result ops_per_sec "${rrs[@]}")
                bo=$(field "$rb" ops_per_sec); ro=$(field "$rr" ops_per_sec)
                be=$(field "$rb" errors); re=$(field "$rr" errors)
                note=""
                [ "${be:-0}" != 0 ] && note+=" bite errors=$be"
                [ "${re:-0}" != 0 ] && note+=" redis errors=$re"
                [ -z "$rb" ] && note+=" bite run failed"
                KV_ROWS+=("| $op, pipeline $p | $(thousands "$bo") | $(thousands "$ro") | $(ratio "$bo" "$ro") | $(ms "$(field "$rb" p99_us)") | $(ms "$(field "$rr" p99_us)") | $(field "$rb" client_cpu_pct)% |${note:- }|")
            done
        done
    fi

    if wants fanout; then
        FLIMIT=$((SECS + 60))
        fan=(--subscribers 100 --rate 10000 --seconds "$SECS" --warmup "$WARMUP")
        for case in "bite s" "bite !" "redis publish"; do
            read -r server op <<<"$case"
            if [ "$server" = redis ] && [ "$WITH_REDIS" = 0 ]; then continue; fi
            rs=()
            for rep in $(seq "$REPEAT"); do
                say "fanout $server $op (run $rep of $REPEAT)"
                if [ "$server" = bite ]; then
                    run_client "$LOGDIR/fanout-bite-${op/!/bang}-$rep.log" "$FLIMIT" "$FANOUT" --port "$BPORT" --proto bite --bite-op "$op" "${fan[@]}"
                else
                    run_client "$LOGDIR/fanout-redis-$rep.log" "$FLIMIT" "$FANOUT" --port "$RPORT" --proto redis "${fan[@]}"
                fi
                rs+=("$RESULT")
            done
            r=$(median_result p99_us "${rs[@]}")
            if [ "$server" = bite ]; then label="Bite \`$op\`"; else label="Redis PUBLISH"; fi
            FANOUT_ROWS+=("| $label | $(thousands "$(field "$r" pub_per_sec)") | $(thousands "$(field "$r" delivered_per_sec)") | $(field "$r" loss_pct)% | $(ms "$(field "$r" p50_us)") | $(ms "$(field "$r" p99_us)") | $(field "$r" errors) |")
        done
    fi

    stop_pid "$KV_BITE_PID"
    [ "$WITH_REDIS" = 1 ] && stop_pid "$KV_REDIS_PID"
    if [ "$PROFILE" = 1 ] && [ -f "$JFR_FILE" ]; then
        PROFILE_TEXT=$(timeout 120 "$JDK/bin/jfr" view --width 160 hot-methods "$JFR_FILE" 2>&1 | head -40 || true)
    fi
fi

# --- the game and issue 13's tick batching: bite-bench.jar --op game, fresh servers ----------------------
GAME_ROWS=()
TICK_ROWS=()
BENCH_JAR=$REPO/tools/bench/target/bite-bench.jar
if wants game || wants tick; then
    if [ "$BUILD" = 1 ] || [ ! -f "$BENCH_JAR" ]; then
        say "building the load tool (make bench-jar)"
        JAVA_HOME=$JDK timeout 600 make -s -C "$REPO" bench-jar >"$LOGDIR/bench-jar.log" 2>&1 \
            || { say "load tool build failed, see $LOGDIR/bench-jar.log"; exit 1; }
    fi
fi
game_run() { # LOG PID PORT GAME-OPTIONS... -> RESULT; warm-up of GAME_SECS seconds, then GAME_SECS measured
    local log=$1 pid=$2 port=$3
    shift 3
    run_client "$log" $((2 * GAME_SECS + 120)) "$JAVA" -jar "$BENCH_JAR" --port "$port" --op game --quiet \
        --warmup "$GAME_SECS" --seconds "$GAME_SECS" --server-pid "$pid" "$@"
}
game_row() { # LABEL RESULT
    local r=$2
    echo "| $1 | $(thousands "$(field "$r" writes_per_sec)") | $(thousands "$(field "$r" pushes_per_sec)") | $(awk -v b="$(field "$r" bytes_per_sec)" 'BEGIN { printf "%.1f", b / 1e6 }') | $(ms "$(field "$r" stale_p50_us)") | $(ms "$(field "$r" stale_p99_us)") | $(ms "$(field "$r" stale_max_us)") | $(field "$r" server_cpu_pct) | $(thousands "$(field "$r" server_write_calls_per_sec)") | $(field "$r" client_cpu_pct) | $(field "$r" disconnects) | $(field "$r" unseen) |"
}
if wants game; then
    for size in "10 100" "1 500"; do
        read -r rooms players <<<"$size"
        for server in "bite 50" "bite 0" redis; do
            read -r kind every <<<"$server"
            if [ "$kind" = redis ] && [ "$WITH_REDIS" = 0 ]; then continue; fi
            p=$(free_port)
            if [ "$kind" = bite ]; then
                BITE_MAX_CLIENTS=$((rooms * players + 100)) start_bite "$p" "$LOGDIR/bite-game-$rooms-$players-$every.log"
                pid=$BITE_PID label="Bite, every=$every"
                opts=(--every "$every")
            else
                start_redis "$p" --maxclients $((2 * rooms * players + 100))
                pid=$REDIS_PID label="Redis, SET + PUBLISH"
                opts=(--proto redis)
            fi
            say "game $rooms x $players: $label"
            game_run "$LOGDIR/game-$kind-$rooms-$players-$every.log" "$pid" "$p" --rooms "$rooms" --players "$players" \
                "${opts[@]}"
            GAME_ROWS+=("$(game_row "$rooms x $players, $label" "$RESULT")")
            stop_pid "$pid"
        done
    done
fi
if wants tick; then # issue 13: 100 subscribers on a room whose 100 keys change 10,000 times a second
    for every in 50 0; do
        p=$(free_port)
        start_bite "$p" "$LOGDIR/bite-tick-$every.log"
        say "tick: 1 room x 100 players at 100 Hz, every=$every"
        game_run "$LOGDIR/tick-$every.log" "$BITE_PID" "$p" --rooms 1 --players 100 --hz 100 --every "$every"
        r=$RESULT
        TICK_ROWS+=("| every=$every | $(thousands "$(field "$r" pushes_per_sec)") | $(ms "$(field "$r" push_p99_us)") | $(ms "$(field "$r" stale_p99_us)") | $(awk -v b="$(field "$r" bytes_per_sec)" 'BEGIN { printf "%.1f", b / 1e6 }') | $(thousands "$(field "$r" server_write_calls_per_sec)") | $(awk -v b="$(field "$r" server_write_bytes_per_sec)" 'BEGIN { printf "%.1f", b / 1e6 }') | $(field "$r" server_cpu_pct) | $(field "$r" disconnects) |")
        stop_pid "$BITE_PID"
    done
fi

# --- idle subscribed connections: fresh servers, RSS before and with N connections -----------------
idle_case() { # NAME PID PORT PROTO
    local name=$1 pid=$2 port=$3 proto=$4 before after out i
    sleep 1
    before=$(rss_kb "$pid")
    out=$LOGDIR/idle-$name.out
    "${CLIENT_PIN[@]}" "$CONNTOOL" idle --port "$port" --proto "$proto" --conns "$CONNS" --hold 120 \
        >"$out" 2>"$LOGDIR/idle-$name.err" &
    local cpid=$!
    PIDS+=("$cpid")
    if ! await_ready "$out" "$cpid"; then
        say "idle $name: connections did not come up, see $LOGDIR/idle-$name.err"
        FAILURES=$((FAILURES + 1))
        IDLE_ROWS+=("| $name | $((before / 1024)) | failed | - | - |")
        stop_pid "$cpid"
        return
    fi
    sleep 2 # let the server settle (GC, buffers) before reading its RSS
    after=$(rss_kb "$pid")
    local secs
    secs=$(awk '{print $3}' "$out")
    IDLE_ROWS+=("| $name | $((before / 1024)) | $((after / 1024)) | $(awk -v a="$after" -v b="$before" -v n="$CONNS" 'BEGIN { printf "%.1f", (a - b) / n }') | $secs |")
    stop_pid "$cpid"
}
if wants idle; then
    say "idle: $CONNS subscribed connections, bite"
    p=$(free_port)
    BITE_MAX_CLIENTS=$((CONNS + 100)) start_bite "$p" "$LOGDIR/bite-idle.log" # the default allows 10,000
    idle_case Bite "$BITE_PID" "$p" bite
    stop_pid "$BITE_PID"
    if [ "$WITH_REDIS" = 1 ]; then
        say "idle: $CONNS subscribed connections, redis"
        p=$(free_port)
        start_redis "$p" --maxclients $((CONNS + 100))
        idle_case Redis "$REDIS_PID" "$p" redis
        stop_pid "$REDIS_PID"
    fi
fi

# --- start-up to the first answered request, empty data dir ---------------------------------------
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "-" }'; }
startup_case() { # NAME PROTO -- COMMAND...  (@DATA@: a fresh empty dir per run, unless DATA_DIR is set)
    local name=$1 proto=$2 runs=() i r p
    shift 3
    for i in $(seq "$STARTUP_RUNS"); do
        p=$(free_port)
        local cmd=("${@//@PORT@/$p}")
        cmd=("${cmd[@]//@DATA@/${DATA_DIR:-$(mktemp -d "$WORK/startup.XXXXXX")}}")
        if r=$(timeout 60 "$CONNTOOL" startup --port "$p" --proto "$proto" --timeout 30 -- "${cmd[@]}" \
                2>>"$LOGDIR/startup-$name.log"); then
            runs+=("$(sed -n 's/^startup_ms=//p' <<<"$r")")
        else
            say "start-up $name run $i failed, see $LOGDIR/startup-$name.log"
            FAILURES=$((FAILURES + 1))
        fi
    done
    local med
    med=$(printf '%s\n' "${runs[@]}" | grep . | median)
    STARTUP_ROWS+=("| $name | $med | ${runs[*]:-none} |")
}
if wants startup; then
    say "start-up: bite"
    # shellcheck disable=SC2086
    startup_case Bite bite -- "${SERVER_PIN[@]}" "$JAVA" ${BITE_JAVA_OPTS:-} -jar "$JAR" --port @PORT@ \
        --data @DATA@ --fsync everysec
    if [ "$WITH_REDIS" = 1 ]; then
        say "start-up: redis"
        startup_case Redis redis -- "${SERVER_PIN[@]}" redis-server --port @PORT@ --bind 127.0.0.1 --save '' \
            --appendonly no --dir @DATA@ --daemonize no --logfile ''
    fi
    if [ "$STARTUP_KEYS" -gt 0 ]; then
        say "start-up: bite with $STARTUP_KEYS keys (making the data dir with --import first)"
        loaded=$WORK/loaded
        mkdir -p "$loaded"
        awk -v n="$STARTUP_KEYS" 'BEGIN { printf "{"; for (i = 0; i < n; i++) printf "%s\"room.%d.player.%d\":\"%032d\"", (i ? "," : ""), i % 1000, i, i; print "}" }' >"$WORK/DB.json"
        p=$(free_port)
        # started once with --import, stopped after its first answer: the stop writes the snapshot
        if timeout 300 "$CONNTOOL" startup --port "$p" --proto bite --timeout 240 -- "$JAVA" -jar "$JAR" --port "$p" \
                --data "$loaded" --import "$WORK/DB.json" >>"$LOGDIR/startup-loaded.log" 2>&1; then
            # shellcheck disable=SC2086
            DATA_DIR=$loaded startup_case "Bite, $(thousands "$STARTUP_KEYS") keys" bite -- "${SERVER_PIN[@]}" "$JAVA" \
                ${BITE_JAVA_OPTS:-} -jar "$JAR" --port @PORT@ --data @DATA@ --fsync everysec
            LOADED_BYTES=$(du -sb "$loaded" | awk '{print $1}')
        else
            say "could not make the data dir with $STARTUP_KEYS keys, see $LOGDIR/startup-loaded.log"
            FAILURES=$((FAILURES + 1))
        fi
    fi
fi

# --- report ---------------------------------------------------------------------------------------
{
    echo "## Bite vs Redis, $(date '+%Y-%m-%d %H:%M %Z')"
    echo
    echo "Command: \`bench/compare.sh${ARGS_GIVEN:+ $ARGS_GIVEN}\` (commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
    echo
    echo "Machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(uname -r);" \
         "$("$JAVA" -version 2>&1 | head -1); $( [ "$WITH_REDIS" = 1 ] && redis-server --version | awk '{print $1, $2, $3}' || echo 'no Redis')." \
         "Pinning: $PINNING. Server warm-up before the first case: ${SERVER_WARMUP} s each of set and get at pipeline 16 and 1$(wants fanout && echo ", and of fan-out (Bite: \`s\` and \`!\`; Redis: PUBLISH)"), not reported. Bite: \`java -jar bite.jar --fsync everysec\`, fresh data dir${BITE_JAVA_OPTS:+, JVM flags \`$BITE_JAVA_OPTS\`}; Redis: no persistence (run-redis.sh)."
    if wants kv; then
        echo
        echo "### Request/response: kvload, 50 clients, 10,000 keys, 32-byte values, ${SECS} s after ${WARMUP} s warm-up$( [ "$REPEAT" -gt 1 ] && echo ", median of $REPEAT runs")"
        echo
        echo "| case | Bite ops/s | Redis ops/s | Bite/Redis | Bite p99 ms | Redis p99 ms | client CPU (Bite run) | notes |"
        echo "|---|---:|---:|---:|---:|---:|---:|---|"
        printf '%s\n' "${KV_ROWS[@]}"
    fi
    if wants fanout; then
        echo
        echo "### Fan-out: fanout, 100 subscribers, 10,000 messages/s offered, ${SECS} s after ${WARMUP} s warm-up$( [ "$REPEAT" -gt 1 ] && echo ", the run with the median p99 of $REPEAT")"
        echo
        echo "| case | published/s | delivered/s | loss | p50 ms | p99 ms | errors |"
        echo "|---|---:|---:|---:|---:|---:|---:|"
        printf '%s\n' "${FANOUT_ROWS[@]}"
    fi
    if wants game; then
        echo
        echo "### Game: R rooms x P players, each writes its position at 20 Hz and subscribes to its room (bite-bench.jar --op game), ${GAME_SECS} s after ${GAME_SECS} s of the same game, fresh server per row"
        echo
        echo "Staleness: from a write until every other player of the room has seen it or a newer value of that key. CPU in % of one core; write calls: /proc/PID/io syscw (every write-family call, sockets and files); client CPU near 100 % means the load tool was the limit; writes unseen: not seen by every player 2 s after the end."
        echo
        echo "| game, server | writes/s | pushes/s | received MB/s | stale p50 ms | stale p99 ms | stale max ms | server CPU % | server write calls/s | client CPU % | disconnects | writes unseen |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        printf '%s\n' "${GAME_ROWS[@]}"
    fi
    if wants tick; then
        echo
        echo "### Tick batching (issue 13): 100 subscribers on a room whose 100 keys change 10,000 times/s (--op game --rooms 1 --players 100 --hz 100), ${GAME_SECS} s after ${GAME_SECS} s"
        echo
        echo "| subscription | pushes/s | write-to-push p99 ms | stale p99 ms | received MB/s | server write calls/s | server bytes written MB/s | server CPU % | disconnects |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
        printf '%s\n' "${TICK_ROWS[@]}"
    fi
    if wants idle; then
        echo
        echo "### Idle connections: $CONNS connections, each subscribed to its own key"
        echo
        echo "| server | RSS before, MiB | RSS with them, MiB | KiB per connection | seconds to connect all |"
        echo "|---|---:|---:|---:|---:|"
        printf '%s\n' "${IDLE_ROWS[@]}"
    fi
    if wants startup; then
        echo
        echo "### Start-up: exec to the first answered request (empty data dir unless the keys are named)"
        echo
        echo "| server | median ms | runs, ms |"
        echo "|---|---:|---|"
        printf '%s\n' "${STARTUP_ROWS[@]}"
        [ -n "${LOADED_BYTES:-}" ] && echo && echo "The data dir with $(thousands "$STARTUP_KEYS") keys: $(thousands "$LOADED_BYTES") bytes (snapshot and empty log)."
    fi
    if [ -n "$PROFILE_TEXT" ]; then
        echo
        echo "### Bite hot methods during the kv and fan-out cases (JFR, $JFR_FILE)"
        echo
        echo '```'
        echo "$PROFILE_TEXT"
        echo '```'
    fi
    echo
    echo "Logs: ${LOGDIR#"$REPO"/}. Failed runs or errors: $FAILURES."
} | tee "$REPORT"
say "report written to ${REPORT#"$REPO"/}"
[ "$FAILURES" = 0 ]
