# Offline base image for Bite: a jlink'd Java 25 runtime plus the glibc files it needs, on an empty
# image. Nothing is pulled from a registry. scripts/build-base-image.sh (make base-image) fills the
# build context: rootfs/ holds the runtime at /opt/java/openjdk (the path the eclipse-temurin images
# use, so the Bite Dockerfile's ENTRYPOINT is the same on either base), the shared libraries that
# ldd lists for it, the C.UTF-8 locale and an empty /tmp.
FROM scratch
COPY rootfs/ /
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin \
    LANG=C.UTF-8
ARG RECIPE=unknown
LABEL dev.bite.base.recipe=$RECIPE
