#!/usr/bin/env bash
# Soak benchmark: SOAK_DURATION seconds of mixed traffic through the real jar (OpenAI JSON and
# streams, Anthropic streams translated to the OpenAI upstream, 1% client hang-ups mid-stream, 1%
# calls to an upstream that refuses connections), sampling the gateway's RSS, heap after a full
# GC, open fds and threads every 10 s into bench/results/soak.csv; then SOAK_STREAMS streams at
# once, for their time to first byte. See bench/README.md.
#
# Environment knobs (defaults in brackets):
#   SOAK_DURATION [600]  seconds of mixed traffic   SOAK_CONCURRENCY [64]  client loops
#   SOAK_STREAMS [10000] concurrent streams after the soak (0 = skip)
#   SOAK_JVM_OPTS [-Xmx512m -XX:+UseParallelGC, + --sun-misc-unsafe-memory-access=allow on JDK 24+]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DURATION=${SOAK_DURATION:-600}
CONCURRENCY=${SOAK_CONCURRENCY:-64}
STREAMS=${SOAK_STREAMS:-10000}
KEY=jk-soak
RESULTS=$ROOT/bench/results
mkdir -p "$RESULTS"
log() { printf '\033[2m[soak] %s\033[0m\n' "$*" >&2; }
die() { printf '[soak] %s\n' "$*" >&2; exit 1; }

. scripts/env.sh || die "no JDK >= 21 found"
JAVA=$JAVA_HOME/bin/java
JDK_MAJOR=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release")
UNSAFE_OPT=""
[ "$JDK_MAJOR" -ge 24 ] && UNSAFE_OPT="--sun-misc-unsafe-memory-access=allow"
JVM_OPTS=${SOAK_JVM_OPTS:--Xmx512m -XX:+UseParallelGC $UNSAFE_OPT}

JAR=$ROOT/target/junction.jar
if [ ! -f "$JAR" ] || [ ! -f target/test-classes/io/junction/bench/SoakDriver.class ] \
    || [ -n "$(find src pom.xml -newer "$JAR" -type f -print -quit)" ]; then
  log "building target/junction.jar"
  ./mvnw -q -DskipTests package >"$RESULTS/build.log" 2>&1 || { tail -30 "$RESULTS/build.log"; die "build failed"; }
fi
CP=$JAR:$ROOT/target/test-classes

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM
port_open() { (: </dev/tcp/127.0.0.1/"$1") 2>/dev/null; }
free_port() { local p=$1; while port_open "$p"; do p=$((p + 1)); done; echo "$p"; }
await_port() {
  for _ in $(seq 1 300); do
    port_open "$1" && return 0
    kill -0 "$2" 2>/dev/null || die "$3 exited; see $RESULTS/$3.log"
    sleep 0.1
  done
  die "$3 did not listen on port $1 within 30 s"
}

MOCK_PORT=$(free_port 18180)
"$JAVA" -Xms64m -Xmx512m -XX:+UseParallelGC $UNSAFE_OPT -cp "$CP" io.junction.bench.InstantUpstream "$MOCK_PORT" >"$RESULTS/soak-mock.log" 2>&1 &
MOCK_PID=$!; PIDS+=("$MOCK_PID")
await_port "$MOCK_PORT" "$MOCK_PID" soak-mock
DEAD_PORT=$(free_port 18280) # nothing listens there: the 1% of calls to flaky-model fail to connect

GW_PORT=$(free_port 18194)
cat >"$RESULTS/soak.yaml" <<YAML
server: {host: 127.0.0.1, port: $GW_PORT, max_connections: 30000}
auth: {master_key: $KEY}
storage: {url: "jdbc:sqlite:$RESULTS/soak.db"}
providers:
  - {name: openai, type: openai, base_url: "http://127.0.0.1:$MOCK_PORT/v1", api_keys: [sk-soak-upstream], models: [gpt-4o-mini]}
  - {name: flaky, type: openai, base_url: "http://127.0.0.1:$DEAD_PORT/v1", api_keys: [sk-soak-flaky], models: [flaky-model], max_retries: 0}
YAML
rm -f "$RESULTS"/soak.db*
ulimit -n 65536 2>/dev/null || true
"$JAVA" $JVM_OPTS -jar "$JAR" serve --config "$RESULTS/soak.yaml" >"$RESULTS/soak-gateway.log" 2>&1 &
GW_PID=$!; PIDS+=("$GW_PID")
await_port "$GW_PORT" "$GW_PID" soak-gateway
log "gateway :$GW_PORT (pid $GW_PID, $JVM_OPTS), upstream :$MOCK_PORT; ${DURATION}s at $CONCURRENCY loops"

# RSS and threads from /proc, fds by count, heap used after a full GC from jcmd.
sample() {
  local rss threads fds heap
  rss=$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$GW_PID/status")
  threads=$(awk '/^Threads:/ { print $2 }' "/proc/$GW_PID/status")
  fds=$(ls "/proc/$GW_PID/fd" | wc -l)
  "$JAVA_HOME/bin/jcmd" "$GW_PID" GC.run >/dev/null 2>&1 || true
  heap=$("$JAVA_HOME/bin/jcmd" "$GW_PID" GC.heap_info 2>/dev/null \
    | awk '/PSYoungGen|ParOldGen|garbage-first heap|new generation|tenured generation/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); sum += v } } END { printf "%.0f", sum / 1024 }')
  echo "$1,$rss,$heap,$fds,$threads"
}

CSV=$RESULTS/soak.csv
echo "seconds,rss_mb,heap_after_gc_mb,fds,threads" >"$CSV"
"$JAVA" -Xmx512m $UNSAFE_OPT -cp "$CP" io.junction.bench.SoakDriver mix "$GW_PORT" "$KEY" "$DURATION" "$CONCURRENCY" \
  >"$RESULTS/soak-driver.log" 2>&1 &
DRIVER_PID=$!; PIDS+=("$DRIVER_PID")
START=$(date +%s)
sample 0 | tee -a "$CSV"
while kill -0 "$DRIVER_PID" 2>/dev/null; do
  sleep 10
  sample $(( $(date +%s) - START )) | tee -a "$CSV"
done
wait "$DRIVER_PID" || die "the driver failed; see $RESULTS/soak-driver.log"
tail -1 "$RESULTS/soak-driver.log"

if [ "$STREAMS" -gt 0 ]; then
  log "$STREAMS concurrent streams"
  "$JAVA" -Xmx2g $UNSAFE_OPT -cp "$CP" io.junction.bench.SoakDriver streams "$GW_PORT" "$KEY" "$STREAMS" \
    >"$RESULTS/soak-streams.log" 2>&1 || die "the stream run failed; see $RESULTS/soak-streams.log"
  tail -1 "$RESULTS/soak-streams.log"
  sample "after-streams" | tee -a "$CSV"
fi
