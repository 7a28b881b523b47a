# Shared by compare.sh, soak.sh, cost.sh, ab.sh and first-reply.sh; sourced after say() and WORK are defined.

# --- cleanup: everything started here is stopped here ---
PIDS=()
stop_pid() { # PID: TERM, wait up to 10 s, then KILL
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    say "pid $pid did not stop on TERM, killing it"
    kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

await_ready() { # FILE PID: waits up to 120 s for a line starting with "ready" in FILE while PID runs
    local i
    for i in $(seq 1200); do
        grep -qs '^ready' "$1" && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# --- tools ----------------------------------------------------------------------------------------
find_jdk25() {
    local j
    for j in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
        [ -n "$j" ] && [ -x "$j/bin/java" ] || continue
        if "$j/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then echo "$j"; return 0; fi
    done
    return 1
}

free_port() { # a port below the ephemeral range (client sockets never hold it) that nothing listens on
    local low p i
    low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    [ "$low" -gt 12000 ] || low=32768
    for i in $(seq 200); do
        p=$((10000 + RANDOM % (low - 10000)))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
    done
    return 1
}

# --- cost.sh and ab.sh: a JDK, kvload, and the pinning (servers on CPU 1, clients on CPU 0) ---------
setup_kvload() { # needs REPO, SHARED, WORK; sets JDK, JAVA, LOGDIR, LOADGEN_SRC, KVLOAD, SERVER_PIN, CLIENT_PIN
    JDK=$(find_jdk25) || { say "no JDK 25 found (set JAVA_HOME)"; exit 1; }
    JAVA=$JDK/bin/java
    LOGDIR=$WORK
    LOADGEN_SRC=$SHARED/tools/loadgen
    make -s -C "$LOADGEN_SRC" OUT="$REPO/target/loadgen" >/dev/null
    KVLOAD=$REPO/target/loadgen/kvload
    SERVER_PIN=() CLIENT_PIN=()
    if [ "$(nproc)" -ge 2 ]; then SERVER_PIN=(taskset -c 1); CLIENT_PIN=(taskset -c 0); fi
}

# --- the server under test ------------------------------------------------------------------------
build_jar() { # builds target/bite.jar unless BUILD=0 (needs JDK, LOGDIR, JAR); exits when there is no jar
    if [ "${BUILD:-1}" = 1 ]; then
        say "building the jar (mvn package -DskipTests)"
        JAVA_HOME=$JDK timeout 600 mvn -q -B -DskipTests package >"$LOGDIR/mvn.log" 2>&1 \
            || { say "maven build failed, see $LOGDIR/mvn.log"; tail -20 "$LOGDIR/mvn.log" >&2; exit 1; }
    fi
    [ -f "$JAR" ] || { say "no jar at $JAR"; exit 1; }
}

# start_bite and start_redis need SERVER_PIN, JAVA, JAR, WORK, LOGDIR and LOADGEN_SRC
BITE_PID=""
start_bite() { # PORT LOG [extra JVM flags...]; sets BITE_PID; fresh temp data dir, --fsync ${BITE_FSYNC:-everysec}
    local port=$1 log=$2 i
    shift 2
    local data
    data=$(mktemp -d "$WORK/bite-data.XXXXXX")
    # shellcheck disable=SC2086
    "${SERVER_PIN[@]}" "$JAVA" ${BITE_JAVA_OPTS:-} "$@" -jar "$JAR" --port "$port" --data "$data" \
        --fsync "${BITE_FSYNC:-everysec}" >"$log" 2>&1 &
    BITE_PID=$!
    PIDS+=("$BITE_PID")
    for i in $(seq 300); do
        grep -q "Bite listening on" "$log" && return 0
        kill -0 "$BITE_PID" 2>/dev/null || { say "Bite exited at start, see $log"; tail -5 "$log" >&2; return 1; }
        sleep 0.1
    done
    say "Bite did not log 'Bite listening on' within 30 s, see $log"
    return 1
}
REDIS_PID=""
start_redis() { # PORT [extra redis-server args...]; sets REDIS_PID
    local port=$1
    shift
    REDIS_PID=$("${SERVER_PIN[@]}" "$LOADGEN_SRC/run-redis.sh" "$port" "$@" 2>>"$LOGDIR/redis-start.log")
    PIDS+=("$REDIS_PID")
}

# cost.sh and first-reply.sh: one server under test, bite or redis, on a free port
start_server() { # bite|redis; sets PORT, PID and PROTO; measures the jar that is there (BUILD=0)
    PORT=$(free_port)
    if [ "$1" = bite ]; then
        BUILD=0 build_jar
        start_bite "$PORT" "$WORK/server.log" || exit 1
        PID=$BITE_PID
        PROTO=bite
    else
        command -v redis-server >/dev/null || { say "redis-server is not installed"; exit 1; }
        start_redis "$PORT"
        PID=$REDIS_PID
        PROTO=redis
    fi
}
