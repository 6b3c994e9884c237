#!/usr/bin/env bash
# Soak benchmark: SOAK_DURATION seconds of mixed traffic through the real jar (OpenAI JSON and
# streams, Anthropic streams translated to the OpenAI upstream, 1% client hang-ups mid-stream, 1%
# upstream failures: 500s, streams broken mid-way, refused connections), sampling the gateway's RSS,
# heap after a full GC, open fds and threads every 10 s into bench/results/soak.csv, then comparing
# the end of the run with its middle; then a burst of SOAK_STREAMS streams at once and samples after
# it. See bench/README.md. (The 10,000-stream run is bench/run.sh's concurrency run.)
#
# Environment knobs (defaults in brackets):
#   SOAK_DURATION [600]  seconds of mixed traffic   SOAK_CONCURRENCY [64]  client loops
#   SOAK_STREAMS [2000]  streams at once after the soak (0 = skip)
#   SOAK_JVM_OPTS [-Xmx512m -XX:+UseParallelGC, + --sun-misc-unsafe-memory-access=allow on JDK 24+]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DURATION=${SOAK_DURATION:-600}
CONCURRENCY=${SOAK_CONCURRENCY:-64}
STREAMS=${SOAK_STREAMS:-2000}
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
# A java command's arguments go to bench/results/<name>.args and java runs as "java @file", so a
# name-based cleanup elsewhere on a shared machine (pkill -f InstantUpstream, pkill -f 'junction.jar
# serve') leaves this run's processes be.
argfile() { # name args...
  local f=$RESULTS/$1.args; shift
  printf '"%s"\n' "$@" >"$f"
  echo "@$f"
}

FD_LIMIT=$(ulimit -Hn)
[ "$FD_LIMIT" = unlimited ] && FD_LIMIT=1048576
ulimit -n "$FD_LIMIT"

MOCK_PORT=$(free_port 18180)
# shellcheck disable=SC2086
"$JAVA" "$(argfile soak-mock -Xms64m -Xmx512m -XX:+UseParallelGC $UNSAFE_OPT -cp "$CP" io.junction.bench.InstantUpstream "$MOCK_PORT")" \
  >"$RESULTS/soak-mock.log" 2>&1 &
MOCK_PID=$!; PIDS+=("$MOCK_PID")
await_port "$MOCK_PORT" "$MOCK_PID" soak-mock
DEAD_PORT=$(free_port 18280) # nothing listens there: a third of the upstream failures are refused connections

GW_PORT=$(free_port 18194)
# The openai provider serves everything else, including the 500s and the broken streams (the mock
# fails on a marker in the user message), so those go through its pool, retries and breaker.
cat >"$RESULTS/soak.yaml" <<YAML
server: {host: 127.0.0.1, port: $GW_PORT}
auth: {master_key: $KEY}
storage: {url: "jdbc:sqlite:$RESULTS/soak.db"}
providers:
  - {name: openai, type: openai, base_url: "http://127.0.0.1:$MOCK_PORT/v1", api_keys: [sk-soak-upstream], models: [gpt-4o-mini], max_connections: $((STREAMS + 500))}
  - {name: flaky, type: openai, base_url: "http://127.0.0.1:$DEAD_PORT/v1", api_keys: [sk-soak-flaky], models: [flaky-model], max_retries: 0}
YAML
rm -f "$RESULTS"/soak.db*
# shellcheck disable=SC2086
"$JAVA" "$(argfile soak-gateway $JVM_OPTS -jar "$JAR" serve --config "$RESULTS/soak.yaml")" >"$RESULTS/soak-gateway.log" 2>&1 &
GW_PID=$!; PIDS+=("$GW_PID")
await_port "$GW_PORT" "$GW_PID" soak-gateway
log "gateway :$GW_PORT (pid $GW_PID, $JVM_OPTS), upstream :$MOCK_PORT; ${DURATION}s at $CONCURRENCY loops"

# RSS and threads from /proc, fds by count, and the heap after a full GC: the live bytes of jcmd's
# class histogram, which collects first. (Heap "used" read after a separate GC.run also counts what
# the traffic allocated in between: under load that is 100+ MB of young garbage.)
sample() {
  local rss threads fds heap
  rss=$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$GW_PID/status")
  threads=$(awk '/^Threads:/ { print $2 }' "/proc/$GW_PID/status")
  fds=$(ls "/proc/$GW_PID/fd" | wc -l)
  heap=$("$JAVA_HOME/bin/jcmd" "$GW_PID" GC.class_histogram 2>/dev/null | awk '$1 == "Total" { printf "%.1f", $3 / 1048576 }')
  echo "$1,$rss,${heap:-?},$fds,$threads"
}

CSV=$RESULTS/soak.csv
echo "seconds,rss_mb,heap_after_gc_mb,fds,threads" >"$CSV"
# shellcheck disable=SC2086
"$JAVA" "$(argfile soak-driver -Xmx512m $UNSAFE_OPT -cp "$CP" io.junction.bench.SoakDriver mix "$GW_PORT" "$KEY" "$DURATION" "$CONCURRENCY")" \
  >"$RESULTS/soak-driver.log" 2>&1 &
DRIVER_PID=$!; PIDS+=("$DRIVER_PID")
START=$(date +%s)
sample 0 | tee -a "$CSV"
n=1
while kill -0 "$DRIVER_PID" 2>/dev/null; do
  # On the 10 s marks from the start, whatever a sample took.
  wait_s=$(( START + 10 * n - $(date +%s) ))
  [ "$wait_s" -gt 0 ] && sleep "$wait_s"
  n=$((n + 1))
  kill -0 "$DRIVER_PID" 2>/dev/null || break
  sample $(( $(date +%s) - START )) | tee -a "$CSV"
done
wait "$DRIVER_PID" || die "the driver failed; see $RESULTS/soak-driver.log"
sample "end-of-mix" | tee -a "$CSV"
grep -E '^(total|unexpected)' "$RESULTS/soak-driver.log"

# Flat at the end? The mean of each column over the last fifth of the run against its middle fifth.
flatness() {
  awk -F, -v d="$DURATION" 'NR > 1 && $1 ~ /^[0-9]+$/ {
      if ($1 >= 0.4 * d && $1 <= 0.6 * d) { for (c = 2; c <= 5; c++) m[c] += $c; nm++ }
      if ($1 >= 0.8 * d) { for (c = 2; c <= 5; c++) e[c] += $c; ne++ }
    }
    END {
      if (nm == 0 || ne == 0) { print "too few samples to compare"; exit }
      split("rss_mb heap_after_gc_mb fds threads", name, " ")
      printf "%-18s %10s %10s %8s\n", "series", "middle", "end", "change"
      for (c = 2; c <= 5; c++) {
        a = m[c] / nm; b = e[c] / ne
        printf "%-18s %10.1f %10.1f %+7.1f%%\n", name[c - 1], a, b, (a > 0 ? 100 * (b - a) / a : 0)
      }
      printf "(middle: samples at %d-%d s, %d of them; end: from %d s, %d)\n", 0.4 * d, 0.6 * d, nm, 0.8 * d, ne
    }' "$CSV"
}
flatness | tee "$RESULTS/soak-flatness.txt"

if [ "$STREAMS" -gt 0 ]; then
  # The injected failures may have opened gpt-4o-mini's breaker (30 s, docs/routing.md section 6),
  # even after the mix (retries still under way when it ended): the burst waits until it is closed,
  # sending one call a second so that a half-open breaker gets its probe.
  sleep 2
  for _ in $(seq 1 90); do
    command -v curl >/dev/null || { sleep 35; break; }
    curl -s -H "authorization: Bearer $KEY" "http://127.0.0.1:$GW_PORT/api/v1/health" | grep -q '"state":"\(open\|half_open\)"' || break
    curl -s -o /dev/null -H "authorization: Bearer $KEY" -H 'content-type: application/json' \
      -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}' "http://127.0.0.1:$GW_PORT/v1/chat/completions" || true
    sleep 1
  done
  log "$STREAMS streams at once (all lanes started together)"
  # shellcheck disable=SC2086
  "$JAVA" "$(argfile soak-streams -Xms256m -Xmx1g $UNSAFE_OPT -cp "$CP" io.junction.bench.StreamLoad \
    "http://127.0.0.1:$GW_PORT/v1/chat/completions" "$KEY" "$STREAMS" 1 0 20)" \
    >"$RESULTS/soak-streams.log" 2>&1 || die "the stream run failed; see $RESULTS/soak-streams.log"
  grep -E '^(streams=|failure)' "$RESULTS/soak-streams.log"
  sample "after-streams" | tee -a "$CSV"
  # The burst's upstream connections stay in the pool, idle, for the client's 60 s keep-alive.
  sleep 70
  sample "after-streams+70s" | tee -a "$CSV"
fi
