#!/usr/bin/env bash
# Make sure a Docker engine answers, for the container tests (make test-integration).
#
# - `docker info` answers: nothing to do.
# - otherwise, as root: install docker.io from Debian's packages when dockerd is missing,
#   start dockerd in the background (log: $BITE_DOCKERD_LOG, default /tmp/bite-dockerd.log)
#   and wait up to $BITE_DOCKER_WAIT seconds (default 60) for `docker info`.
# - Docker cannot be had: say so, say how to run the other tests, exit 1.
set -euo pipefail

log_file="${BITE_DOCKERD_LOG:-/tmp/bite-dockerd.log}"
wait_seconds="${BITE_DOCKER_WAIT:-60}"

say() { echo "ensure-docker: $*" >&2; }

give_up() {
    say "$*"
    say "Docker is not available, so the container tests (make test-integration) cannot run."
    say "Run the other tests alone with: make test-unit"
    exit 1
}

docker_answers() { docker info >/dev/null 2>&1; }

if command -v docker >/dev/null 2>&1 && docker_answers; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    give_up "docker info gets no answer for this user (is dockerd running, and may this user use it, e.g. through the docker group?); only root can install or start it here."
fi

if ! command -v dockerd >/dev/null 2>&1; then
    say "dockerd is missing: installing docker.io from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    # A fresh machine may have no package lists yet; update only if the install fails without them.
    if ! apt-get install -y --no-install-recommends docker.io >/tmp/bite-apt-docker.log 2>&1; then
        apt-get update >>/tmp/bite-apt-docker.log 2>&1 || true
        apt-get install -y --no-install-recommends docker.io >>/tmp/bite-apt-docker.log 2>&1 \
            || give_up "installing docker.io failed (see /tmp/bite-apt-docker.log)."
    fi
fi
command -v docker >/dev/null 2>&1 || give_up "the docker client is missing after installing docker.io."

if ! pgrep -x dockerd >/dev/null 2>&1; then
    say "starting dockerd in the background (log: $log_file)"
    nohup dockerd >"$log_file" 2>&1 </dev/null &
fi

for ((i = 0; i < wait_seconds; i++)); do
    if docker_answers; then
        say "Docker is up: $(docker version --format 'engine {{.Server.Version}}, API {{.Server.APIVersion}}' 2>/dev/null)"
        exit 0
    fi
    sleep 1
done

tail -n 20 "$log_file" >&2 2>/dev/null || true
give_up "dockerd did not answer within ${wait_seconds} s (log: $log_file)."
