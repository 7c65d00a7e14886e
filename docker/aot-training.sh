#!/bin/sh
# Trains the JDK 25 AOT caches (JEP 483/514/515: classes loaded and linked, method profiles) of the service and
# of the child JVM entry point, for the extracted application in directory $1 (the image's /app). A cache is
# only used with the class path, JDK and jar files it was trained with, so it is built where it runs: by the
# Dockerfile at image build time, and by PodSimulationIT on its local copy of the same layout (JAVA: which java).
set -eu

app=${1:?usage: aot-training.sh <application directory>}
java=${JAVA:-java}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# The service: starts as the ENTRYPOINT starts it (-jar $app/quiesce.jar) up to a refreshed context (every bean
# created, Flyway migrations run, here on a throw-away H2 database, on free ports so that a running service does
# not make it fail), then exits.
"$java" -XX:AOTCacheOutput="$app/quiesce.aot" -Dspring.context.exit=onRefresh \
  -jar "$app/quiesce.jar" --quiesce.data-dir="$scratch/data" --server.port=0 --management.server.port=0

# A child JVM, started the way ChildCommand starts it in the image (the service's class path, ChildProperties'
# default options with the cache in place of -Xshare; ChildCommandTest checks that they match), serving one
# sha256 task and a shutdown written as protocol frames (FrameCodec) on its stdin.
be32() {
  printf "\\$(printf %03o $(($1 >> 24 & 255)))\\$(printf %03o $(($1 >> 16 & 255)))"
  printf "\\$(printf %03o $(($1 >> 8 & 255)))\\$(printf %03o $(($1 & 255)))"
}
text() { be32 ${#1}; printf '%s' "$1"; } # ASCII only: ${#1} counts characters
task_frame() { # job id, type, payload
  be32 $((1 + 8 + 4 + 4 + ${#2} + 4 + ${#3}))
  printf '\002'; be32 0; be32 "$1"; be32 1; text "$2"; text "$3"
}
shutdown_frame() { be32 1; printf '\005'; }

{ task_frame 1 sha256 '{"mib":1,"seed":1}'; shutdown_frame; } |
  "$java" --enable-native-access=ALL-UNNAMED -XX:+DisplayVMOutputToStderr \
    -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xss512k -Xms8m -Xmx128m -XX:+ExitOnOutOfMemoryError \
    -XX:AOTCacheOutput="$app/child.aot" -cp "$app/quiesce.jar" dev.quiesce.child.worker.ChildMain > /dev/null
