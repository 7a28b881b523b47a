#!/usr/bin/env bash
# Builds Bite's offline base image (make base-image): a jlink'd Java runtime at /opt/java/openjdk
# plus the glibc files it needs, on FROM scratch (docker/jre-base.Dockerfile). Needs no registry.
#
#   build-base-image.sh TAG          build TAG, unless an image TAG built from the same recipe exists
#   build-base-image.sh --check JAR  fail unless the modules of the base cover what JAR needs (jdeps)
#
# Environment: JAVA_HOME (a JDK 25: its jlink and jdeps are used), BITE_JRE_MODULES (comma-separated
# modules to put in the runtime, default java.base,java.logging).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
modules="${BITE_JRE_MODULES:-java.base,java.logging}"
: "${JAVA_HOME:?set JAVA_HOME to a JDK 25}"

say() { echo "build-base-image: $*" >&2; }

if [ "${1:-}" = "--check" ]; then
    jar="${2:?usage: build-base-image.sh --check JAR}"
    # System.Logger's default backend lives in java.logging, which jdeps cannot see: the module
    # list always keeps it, and here only the statically visible needs are checked.
    needed="$("$JAVA_HOME/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 "$jar")"
    missing=()
    for m in ${needed//,/ }; do
        case ",$modules," in *",$m,"*) ;; *) missing+=("$m") ;; esac
    done
    if [ ${#missing[@]} -gt 0 ]; then
        say "$jar needs module(s) ${missing[*]} that the base image lacks."
        say "Add them to BITE_JRE_MODULES in the Makefile (now: $modules) and run make base-image."
        exit 1
    fi
    exit 0
fi

tag="${1:?usage: build-base-image.sh TAG}"
release="$(cat "$JAVA_HOME/release" 2>/dev/null || true)"
case "$release" in
    *'JAVA_VERSION="25'*) ;;
    *) say "JAVA_HOME=$JAVA_HOME is not a JDK 25 (its release file says: $(grep JAVA_VERSION= <<<"$release" || echo nothing))"; exit 1 ;;
esac

# The recipe: everything that decides the image's content. Same recipe, same image: nothing to do.
recipe="$( { echo "$modules"; echo "$release"; cat "$here/docker/jre-base.Dockerfile" "$0"; } | sha256sum | cut -c1-16)"
if [ "$(docker image inspect -f '{{ index .Config.Labels "dev.bite.base.recipe" }}' "$tag" 2>/dev/null || true)" = "$recipe" ]; then
    say "$tag is up to date (recipe $recipe)"
    exit 0
fi

old_id="$(docker image inspect -f '{{ .Id }}' "$tag" 2>/dev/null || true)"
ctx="$here/target/jre-base"
rootfs="$ctx/rootfs"
rm -rf "$ctx"
mkdir -p "$rootfs/opt/java"

say "jlink $modules from $JAVA_HOME"
"$JAVA_HOME/bin/jlink" --add-modules "$modules" \
    --strip-debug --no-header-files --no-man-pages \
    --output "$rootfs/opt/java/openjdk"

# Every shared library outside the runtime that its binaries load, at the path ldd shows.
libs="$(for f in "$rootfs/opt/java/openjdk/bin/java" $(find "$rootfs/opt/java/openjdk" -name '*.so'); do
            ldd "$f" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
        done | grep -v "^$rootfs/" | sort -u)"
for lib in $libs; do
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
done
say "glibc files: $(echo $libs)"

# A UTF-8 locale, so that the JVM's stdout/stderr and file names are UTF-8 (LANG=C.UTF-8).
if [ -d /usr/lib/locale/C.utf8 ]; then
    mkdir -p "$rootfs/usr/lib/locale"
    cp -a /usr/lib/locale/C.utf8 "$rootfs/usr/lib/locale/"
fi
mkdir -p "$rootfs/tmp" && chmod 1777 "$rootfs/tmp"

cp "$here/docker/jre-base.Dockerfile" "$ctx/Dockerfile"
say "docker build -t $tag ($(du -sh "$rootfs" | cut -f1) of files)"
docker build -q --build-arg RECIPE="$recipe" -t "$tag" "$ctx" >/dev/null
# The image this one replaces: removed when nothing uses it any more (images built on it keep it).
if [ -n "$old_id" ] && [ "$old_id" != "$(docker image inspect -f '{{ .Id }}' "$tag")" ]; then
    docker image rm "$old_id" >/dev/null 2>&1 || true
fi
say "built $tag: $(docker image inspect -f '{{ .Size }}' "$tag" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
