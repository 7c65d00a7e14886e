# Quiesce service image.
#
#   docker build -t quiesce .
#   docker run --rm -p 8080:8080 -p 8081:8081 --read-only quiesce
#
# Written for the classic builder as well as BuildKit (Testcontainers' ImageFromDockerfile, ImageIT, uses the
# classic one): no RUN --mount, no heredocs, no COPY --chmod.

# ---- build: the Maven wrapper, then the jar split into layers ----------------------------------------------
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src

# Dependencies get their own layer: it is rebuilt only when the pom changes.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN ./mvnw -B -ntp -q dependency:go-offline

# Only the main sources: the image needs no test classes (tests run in CI, against the same jar).
COPY src/main/ src/main/
RUN ./mvnw -B -ntp -Dmaven.test.skip=true package \
 && cp target/quiesce-*-exec.jar /quiesce.jar

# Spring Boot's extracted form: /extract/<layer>/quiesce.jar (the application, a plain jar whose manifest
# names its main class and lib/*.jar) and /extract/<layer>/lib/*.jar. An AOT cache needs this form: it
# cannot use classes loaded from jars nested in a fat jar.
RUN java -Djarmode=tools -jar /quiesce.jar extract --layers --destination /extract

# ---- runtime --------------------------------------------------------------------------------------------
FROM eclipse-temurin:25-jre

# tini is PID 1: it forwards SIGTERM to java (which runs the graceful stop), reaps whatever is re-parented to
# PID 1, and, by exiting, makes the kernel kill anything left in the container's PID namespace.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*

# A numeric non-root user, so Kubernetes' runAsNonRoot can check it; /data is its only directory (with /tmp).
RUN groupadd --gid 10001 quiesce \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin quiesce \
 && install -d -o 10001 -g 10001 -m 0750 /data

# Layers from the least to the most often changed; everything root-owned, read-only for the service.
WORKDIR /app
COPY --from=build /extract/dependencies/ ./
COPY --from=build /extract/spring-boot-loader/ ./
COPY --from=build /extract/snapshot-dependencies/ ./
COPY --from=build /extract/application/ ./

# Plugins (jars of your own job types, with the libraries they need) go here: the service loads every jar in
# /app/plugins (quiesce.plugins.dir, relative to this working directory) and puts them on its child JVMs' class path.
# A derived image adds them:  FROM quiesce:<version>  +  COPY target/plugin/*.jar /app/plugins/
# The chart can also mount them (plugins.image or plugins.volume). The fault job types stay off here
# (quiesce.builtin.fault-types).
RUN mkdir -p /app/plugins

# JDK 25 AOT caches for the service (/app/quiesce.aot) and the child JVMs (/app/child.aot), trained here with
# this JRE on these very files (a cache is ignored with another JDK, class path or jar timestamp).
COPY docker/aot-training.sh /app/aot-training.sh
RUN sh /app/aot-training.sh /app \
 && find /tmp -mindepth 1 -delete

# Writable at run time: the temp directory and the data directory (embedded H2, child ledger, scratch dirs);
# the root filesystem can be read-only. In Kubernetes both are emptyDir (or a PVC for /data).
VOLUME ["/tmp", "/data"]

ENV QUIESCE_DATADIR=/data \
    QUIESCE_CHILDREN_AOTCACHE=/app/child.aot

USER 10001:10001
EXPOSE 8080 8081
STOPSIGNAL SIGTERM

# Exec form, no shell: tini is PID 1 and java its only child, so the stop signal reaches java directly.
# tini -e 143: java exits with 143 (128 + SIGTERM) after its graceful stop; reported as 0, a completed
# container, not an error. A SIGKILLed java still shows 137.
# MaxRAMPercentage=50: the container's memory is shared with the child JVMs (quiesce.children.*).
ENTRYPOINT ["/usr/bin/tini", "-e", "143", "--", "java", "-XX:AOTCache=/app/quiesce.aot", "-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/quiesce.jar"]
