# Bite server image: the jar from `mvn package` (target/bite.jar) on a Java 25 runtime.
#
#   docker build -t bite:local .  online: base eclipse-temurin:25-jre, pulled from Docker Hub
#   make image                    offline: base built locally by `make base-image` (jlink, FROM scratch)
#   docker run -p 1984:1984 -p 1985:1985 -v bite-data:/data bite:local
#
# Either base keeps Java at /opt/java/openjdk, so the ENTRYPOINT is the same. See docs/DOCKER.md.
ARG BASE_IMAGE=eclipse-temurin:25-jre

# An empty /data, copied below with the server's owner: it works without a shell in the base, with
# the legacy builder and with BuildKit alike, and a new named volume starts out with that owner.
FROM scratch AS layout
WORKDIR /data

FROM ${BASE_IMAGE}
COPY --from=layout --chown=10001:10001 / /
COPY target/bite.jar /opt/bite/bite.jar

# The JDK's AOT cache (JEP 483/514/515), recorded here by this very runtime with the ENTRYPOINT's flags: `bite train`
# runs a server under a game-like load for ~10 s in one process (no shell needed), and the JVM writes the cache as
# it exits. The ENTRYPOINT's -XX:AOTCache then starts the server with its classes loaded and linked and the training
# run's profiles (docs/DOCKER.md; the cold-start numbers are in docs/BENCHMARKS.md). Adds ~23 MB to the image.
RUN ["/opt/java/openjdk/bin/java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", \
     "-XX:AOTCacheOutput=/opt/bite/bite.aot", "-jar", "/opt/bite/bite.jar", "train", "--data", "/opt/bite/training"]

# The server reads these (command-line flags win over them). See docs/DOCKER.md for all of them.
ENV BITE_HOST=0.0.0.0 \
    BITE_PORT=1984 \
    BITE_HTTP_PORT=1985 \
    BITE_DATA=/data

# Not root: uid/gid 10001, no login, no home. A bind-mounted host directory must be writable by it.
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 1984 1985

# Healthy while the server answers `ping` on its own port: `bite cli ping` inside the container, reading the same
# BITE_HOST (0.0.0.0 means this machine to the cli), BITE_PORT and BITE_PASSWORD or BITE_PASSWORD_FILE as the server.
# A password given as a flag (`docker run bite:local --password ...`) is unknown to the check: use the variables.
# Each check is a short-lived JVM of its own, kept small. A load of the data that takes longer than the
# start period: raise it with `docker run --health-start-period` or compose's healthcheck.start_period.
HEALTHCHECK --interval=15s --timeout=10s --start-period=60s --retries=3 \
    CMD ["/opt/java/openjdk/bin/java", "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", "/opt/bite/bite.jar", "cli", "ping"]

# java is PID 1 and gets docker stop's SIGTERM itself (exec form, no shell): the server stops,
# flushes its data to /data and exits well within docker's 10 s. Arguments after the image name
# are passed to the server (`docker run bite:local --log-level debug`); JVM options go in JDK_JAVA_OPTIONS.
# -XX:AOTCache: the cache recorded above (a JVM that cannot use it, say with another collector chosen in
# JDK_JAVA_OPTIONS, starts without it).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/opt/java/openjdk/bin/java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", \
            "-XX:AOTCache=/opt/bite/bite.aot", "-jar", "/opt/bite/bite.jar"]
