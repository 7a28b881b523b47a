# Bite — build, run and test. `make help` lists the targets.
#
# Needs a JDK 25. The default `java` on these machines is 17, so JAVA_HOME defaults to the first JDK 25 found
# under /usr/lib/jvm (set JAVA_HOME yourself to use another). Maven: ./mvnw when present, else the system mvn.

JAVA_HOME ?= $(firstword $(wildcard /usr/lib/jvm/temurin-25-jdk* /usr/lib/jvm/java-25-openjdk* /usr/lib/jvm/jdk-25*))
export JAVA_HOME
JAVA := $(JAVA_HOME)/bin/java
MVN := $(if $(wildcard ./mvnw),./mvnw,mvn) -B -q
# Maven's own libraries call sun.misc.Unsafe, which a JDK 25 warns about on every run: not ours to fix, so hushed
export MAVEN_OPTS := $(MAVEN_OPTS) --sun-misc-unsafe-memory-access=allow
# test runs keep Maven's summary lines ("Tests run: ..."), without download progress
MVN_TEST := $(if $(wildcard ./mvnw),./mvnw,mvn) -B -ntp
JAR := target/bite.jar
# The load tool and the JMH benchmarks are modules beside the server: tools/pom.xml builds all three in one reactor
# (the tools compile and test against the server's fresh classes, nothing is installed).
TOOLS_POM := tools/pom.xml
BENCH_JAR := tools/bench/target/bite-bench.jar
ARGS ?=
# The JDK 25 AOT cache (JEP 483/514/515): classes loaded and linked and method profiles from a training run, so a
# fresh server starts sooner (docs/BENCHMARKS.md, "Cold start"). `make aot` records it in a training run,
# `java -XX:AOTCacheOutput=... -jar bite.jar train` (about 10 s: bite.Training); `make run` records it first when it
# is missing or older than the jar, and starts with it (BITE_AOT= turns it off). The cache is only
# valid for this JDK, this jar and these JVM flags. `java -jar` users pass the flag in JDK_JAVA_OPTIONS (README,
# "Operating Bite").
AOT := target/bite.aot
BITE_AOT ?= $(AOT)
BITE_JVM_OPTS ?=
AOT_FRESH = $(if $(BITE_AOT),$(shell test -f "$(BITE_AOT)" && test "$(BITE_AOT)" -nt "$(JAR)" && echo yes))

.PHONY: help build bench-jar aot run test test-unit check-jdk clean jmh readme-options protocol-doc

help:
	@echo "make build             compile, run no tests, package $(JAR), $(BENCH_JAR) and the JMH benchmarks"
	@echo "make run               start the server on 127.0.0.1:1984, data in ./data (ARGS='--port 0 ...'); builds only when sources changed"
	@echo "make aot               record the JDK's AOT cache $(AOT) in a training run: make run then starts faster"
	@echo "make test              the whole suite: unit + end-to-end + container tests (starts Docker if needed)"
	@echo "make test-unit         unit and end-to-end tests of the server and the tools (no Docker)"
	@echo "make image             the Docker image, built offline (see docs/DOCKER.md)"
	@echo "make docker-run        run the image on 127.0.0.1:1984 (HTTP/WebSocket on 127.0.0.1:1985) with a named volume"
	@echo "make bench             Bite vs Redis with ../shared/tools/loadgen (see docs/BENCHMARKS.md)"
	@echo "make bench-jar         the load tool alone: $(BENCH_JAR) (java -jar $(BENCH_JAR) --help)"
	@echo "make jmh               JMH micro-benchmarks of the hot paths (JMH_ARGS='FanoutBench -f 1')"
	@echo "make readme-options    rewrite README.md's configuration table from the option table (bite.Options)"
	@echo "make protocol-doc      refresh docs/PROTOCOL.md from ../shared/PROTOCOL.md"
	@echo "make soak              N minutes of mixed load with connection churn, RSS and p99 sampled (SOAK_ARGS='--minutes 5')"

check-jdk:
	@test -x "$(JAVA)" || { echo "No JDK 25 found: set JAVA_HOME to a JDK 25 (looked under /usr/lib/jvm)" >&2; exit 1; }
	@"$(JAVA)" -version 2>&1 | grep -q 'version "25' || { echo "JAVA_HOME=$(JAVA_HOME) is not a JDK 25" >&2; exit 1; }

build: check-jdk
	$(MVN) -f $(TOOLS_POM) package -DskipTests

$(JAR): $(shell find src/main -type f 2>/dev/null) pom.xml | check-jdk
	$(MVN) package -DskipTests

# -am: the server too, which the tool's end-to-end tests need on their class path
$(BENCH_JAR): $(shell find tools/bench/src/main -type f 2>/dev/null) tools/bench/pom.xml $(TOOLS_POM) | check-jdk
	$(MVN) -f $(TOOLS_POM) -pl bench -am package -DskipTests

bench-jar: $(BENCH_JAR)

# the training run: a server in the same JVM under sets, gets, a fan-out and tick-batched rooms; its exit writes the cache
$(AOT): $(JAR)
	@echo "make: recording the AOT cache $(AOT) in a training run (about 10 s; see bite.Training)"
	"$(JAVA)" $(BITE_JVM_OPTS) -Xlog:aot=error -Xlog:cds=error -XX:AOTCacheOutput=$(AOT) -jar $(JAR) train

aot: $(AOT)

# the jar is rebuilt only when a file under src/main or the pom is newer than it; the AOT cache is used only while
# it is newer than the jar (a cache of an older jar would be refused by the JVM anyway)
run: $(JAR) $(if $(filter $(AOT),$(BITE_AOT)),$(AOT))
	$(if $(AOT_FRESH),,@echo "make run: no AOT cache newer than $(JAR): 'make aot' records one (a faster start)")
	"$(JAVA)" $(BITE_JVM_OPTS) $(if $(AOT_FRESH),-XX:AOTCache=$(BITE_AOT)) -jar $(JAR) $(ARGS)

# README.md's "Configuration" table, between its options markers, from bite.Options (OptionsTest checks they agree)
readme-options: $(JAR)
	"$(JAVA)" -cp $(JAR) bite.Options > target/options.md
	awk -v table=target/options.md '/<!-- options: begin -->/ { print; while ((getline line < table) > 0) print line; skip = 1; next } \
		/<!-- options: end -->/ { skip = 0 } !skip' README.md > target/README.md && mv target/README.md README.md

# docs/PROTOCOL.md is a copy of the shared contract (ProtocolDocTest fails when they differ)
protocol-doc:
	cp ../shared/PROTOCOL.md docs/PROTOCOL.md

test-unit: check-jdk
	$(MVN_TEST) -f $(TOOLS_POM) verify

test: test-unit test-integration

# JMH micro-benchmarks (tools/jmh/src/main/java/**/*Bench.java with @Benchmark, see tools/jmh/pom.xml): JMH_ARGS
# picks and tunes, e.g.  make jmh JMH_ARGS='FanoutBench -f 1 -wi 2 -i 3'
JMH_ARGS ?= -f 1 -wi 3 -w 1s -i 5 -r 1s
jmh: check-jdk
	$(MVN) -f $(TOOLS_POM) -pl jmh -am package -DskipTests
	"$(JAVA)" -cp tools/jmh/target/classes:$$(cat tools/jmh/target/jmh.classpath) org.openjdk.jmh.Main $(JMH_ARGS)

clean:
	$(MVN) -f $(TOOLS_POM) clean

# --- Docker: the image and the container tests (docs/DOCKER.md) ------------------------------------------------------
# Modules of the offline runtime: what `jdeps --print-module-deps target/bite.jar` lists (make image checks that it
# still fits) plus java.logging, System.Logger's backend, which jdeps cannot see.
BITE_JRE_MODULES ?= java.base,java.logging,java.management,jdk.management,jdk.unsupported
export BITE_JRE_MODULES
BITE_BASE_IMAGE ?= bite-jre:25
BITE_IMAGE ?= bite:local
BITE_VOLUME ?= bite-data
BITE_PUBLISH ?= 127.0.0.1:1984
BITE_PUBLISH_HTTP ?= 127.0.0.1:1985

.PHONY: docker-ready base-image image docker-run test-integration

docker-ready:
	@scripts/ensure-docker.sh

base-image: check-jdk docker-ready
	@scripts/build-base-image.sh $(BITE_BASE_IMAGE)

image: $(JAR) base-image
	@scripts/build-base-image.sh --check $(JAR)
	docker build -q --build-arg BASE_IMAGE=$(BITE_BASE_IMAGE) -t $(BITE_IMAGE) .

docker-run: image
	docker run --rm --name bite -p $(BITE_PUBLISH):1984 -p $(BITE_PUBLISH_HTTP):1985 -e BITE_PUBLISHED=$(BITE_PUBLISH) -v $(BITE_VOLUME):/data $(BITE_IMAGE) $(ARGS)

test-integration: check-jdk docker-ready image
	$(MVN_TEST) -f tests-integration/pom.xml verify -Dbite.image=$(BITE_IMAGE)

# --- Benchmarks: Bite vs Redis with ../shared/tools/loadgen (docs/BENCHMARKS.md) --------------------------------------
BENCH_ARGS ?=

.PHONY: bench

bench: $(JAR)
	bench/compare.sh --no-build $(BENCH_ARGS)

# --- Soak: the jar under mixed load with connection churn for N minutes (docs/HARDENING.md) -------------------------
SOAK_ARGS ?=

.PHONY: soak

soak: $(JAR)
	bench/soak.sh --no-build $(SOAK_ARGS)
