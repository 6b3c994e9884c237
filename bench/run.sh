#!/usr/bin/env bash
# The gateway benchmark: an instant mock upstream, the gateway in front of it, wrk driving both
# directly and through Junction, stream and non-stream, at 64 connections and at 1. See bench/README.md.
#
# Environment knobs (defaults in brackets):
#   BENCH_DURATION [15]  seconds per measured run      BENCH_WARMUP [10]  seconds of JIT warm-up
#   BENCH_JVM_OPTS [-Xms128m -Xmx256m -XX:+UseParallelGC, + --sun-misc-unsafe-memory-access=allow on JDK 24+]
#   BENCH_GATEWAY_CORE [0], BENCH_LOAD_CORE [1]        cores for the gateway and for mock + wrk
#   BENCH_LAUNCHER [auto]  jar (java -jar junction.jar serve) | launcher (test-class BenchGateway)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DURATION=${BENCH_DURATION:-15}
WARMUP=${BENCH_WARMUP:-10}
GW_CORE=${BENCH_GATEWAY_CORE:-0}
LOAD_CORE=${BENCH_LOAD_CORE:-1}
KEY=jk-bench
RESULTS=$ROOT/bench/results
mkdir -p "$RESULTS"

log() { printf '\033[2m[bench] %s\033[0m\n' "$*" >&2; }
die() { printf '[bench] %s\n' "$*" >&2; exit 1; }

# ---- prerequisites ----

# A JDK >= 21, found the same way as everywhere else in the project.
. scripts/env.sh || die "no JDK >= 21 found (set JAVA_HOME or install one under /usr/lib/jvm)"
JAVA=$JAVA_HOME/bin/java
JDK_MAJOR=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release")
# From JDK 24 on, Netty only uses sun.misc.Unsafe when the JVM allows it; without it every byte
# Netty writes to a direct buffer goes through bounds-checked ByteBuffer calls.
UNSAFE_OPT=""
[ "$JDK_MAJOR" -ge 24 ] && UNSAFE_OPT="--sun-misc-unsafe-memory-access=allow"
JVM_OPTS=${BENCH_JVM_OPTS:--Xms128m -Xmx256m -XX:+UseParallelGC $UNSAFE_OPT}

if ! command -v wrk >/dev/null; then
  log "installing wrk"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null \
    || die "wrk is missing and apt-get could not install it"
fi
command -v taskset >/dev/null || die "taskset (util-linux) is missing"
[ "$(nproc --all)" -gt "$(( GW_CORE > LOAD_CORE ? GW_CORE : LOAD_CORE ))" ] || die "need cores $GW_CORE and $LOAD_CORE"

# Rebuild when the jar or the bench classes are missing or any source is newer than the jar.
JAR=$ROOT/target/junction.jar
if [ ! -f "$JAR" ] || [ ! -f target/test-classes/io/junction/bench/InstantUpstream.class ] \
    || [ -n "$(find src pom.xml -newer "$JAR" -type f -print -quit)" ]; then
  log "building target/junction.jar"
  ./mvnw -q -DskipTests package >"$RESULTS/build.log" 2>&1 || { tail -30 "$RESULTS/build.log"; die "build failed"; }
fi
# The shaded jar holds every runtime dependency, so it plus the test classes run the mock too.
CP=$JAR:$ROOT/target/test-classes

LAUNCHER=${BENCH_LAUNCHER:-auto}
if [ "$LAUNCHER" = auto ]; then
  if "$JAVA_HOME/bin/jar" tf "$JAR" | grep -q '^io/junction/cli/Main.class$'; then LAUNCHER=jar; else LAUNCHER=launcher; fi
fi

# ---- processes ----

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

port_open() { (: </dev/tcp/127.0.0.1/"$1") 2>/dev/null; }
free_port() {
  local p=$1
  while port_open "$p"; do p=$((p + 1)); done
  echo "$p"
}
await_port() { # port pid name
  for _ in $(seq 1 300); do
    port_open "$1" && return 0
    kill -0 "$2" 2>/dev/null || die "$3 exited; see $RESULTS/$3.log"
    sleep 0.1
  done
  die "$3 did not listen on port $1 within 30 s; see $RESULTS/$3.log"
}

MOCK_PORT=$(free_port 18080)
taskset -c "$LOAD_CORE" "$JAVA" -Xms64m -Xmx256m -XX:+UseParallelGC $UNSAFE_OPT -cp "$CP" io.junction.bench.InstantUpstream "$MOCK_PORT" \
  >"$RESULTS/mock.log" 2>&1 &
MOCK_PID=$!; PIDS+=("$MOCK_PID")
await_port "$MOCK_PORT" "$MOCK_PID" mock

GW_PORT=$(free_port 18094)
if [ "$LAUNCHER" = jar ]; then
  cat >"$RESULTS/bench.yaml" <<YAML
server: {host: 127.0.0.1, port: $GW_PORT}
auth: {master_key: $KEY}
storage: {url: "jdbc:sqlite:$RESULTS/bench.db"}
providers:
  - {name: openai, type: openai, base_url: "http://127.0.0.1:$MOCK_PORT/v1", api_keys: [sk-bench-upstream], models: [gpt-4o-mini]}
YAML
  rm -f "$RESULTS"/bench.db*
  GW_CMD=("$JAVA" $JVM_OPTS -jar "$JAR" serve --config "$RESULTS/bench.yaml")
else
  GW_CMD=("$JAVA" $JVM_OPTS -cp "$CP" io.junction.bench.BenchGateway "$GW_PORT" "http://127.0.0.1:$MOCK_PORT/v1" "$KEY")
fi
taskset -c "$GW_CORE" "${GW_CMD[@]}" >"$RESULTS/gateway.log" 2>&1 &
GW_PID=$!; PIDS+=("$GW_PID")
await_port "$GW_PORT" "$GW_PID" gateway
log "mock on :$MOCK_PORT (core $LOAD_CORE), gateway on :$GW_PORT (core $GW_CORE, $LAUNCHER, $JVM_OPTS)"

# ---- measuring ----

CLK_TCK=$(getconf CLK_TCK)
# utime and stime of the gateway, in clock ticks (fields 14 and 15 of /proc/PID/stat).
cpu_ticks() { awk '{ s = $0; sub(/^.*\) /, "", s); split(s, f, " "); print f[12], f[13] }' "/proc/$GW_PID/stat"; }
peak_rss_mb() { awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$GW_PID/status"; }

# wrk <port> <stream> <connections> <seconds> <outfile>
run_wrk() {
  local threads=$(( $3 > 1 ? 2 : 1 ))
  BENCH_STREAM=$2 BENCH_KEY=$KEY taskset -c "$LOAD_CORE" wrk -t"$threads" -c"$3" -d"$4"s --latency \
    -s "$ROOT/bench/chat.lua" "http://127.0.0.1:$1/v1/chat/completions" >"$5" 2>&1 || die "wrk failed: $(cat "$5")"
  if grep -qE 'Non-2xx|Socket errors' "$5"; then
    log "errors during the run: $(grep -E 'Non-2xx|Socket errors' "$5"); one answer now:"
    command -v curl >/dev/null && curl -s -i -H "authorization: Bearer $KEY" -H 'content-type: application/json' \
      -d "{\"model\":\"gpt-4o-mini\",\"stream\":$2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}" \
      "http://127.0.0.1:$1/v1/chat/completions" | head -c 800 >&2
    die "stopped: every request must succeed for the figures to mean anything"
  fi
}

# Latency percentile from wrk output, in ms.
pct_ms() {
  awk -v p="$1%" '$1 == p { v = $2; u = v; gsub(/[0-9.]/, "", u); sub(/[a-z]+$/, "", v);
    f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : -1; printf "%.3f", v * f }' "$2"
}
requests() { awk '/requests in/ { print $1 }' "$1"; }
rps() { awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1"; }

# One row per measured run: target mode conns rps p50 p99 cpu_us_per_req sys_us_per_req
ROWS=()
measure() { # target(direct|junction) stream conns
  local port=$MOCK_PORT; [ "$1" = junction ] && port=$GW_PORT
  local out=$RESULTS/wrk-$1-$( [ "$2" = true ] && echo stream || echo json )-c$3.txt
  local before after cpu="- -"
  before=$(cpu_ticks)
  run_wrk "$port" "$2" "$3" "$DURATION" "$out"
  after=$(cpu_ticks)
  [ "$1" = junction ] && cpu=$(awk -v b="$before" -v a="$after" -v hz="$CLK_TCK" -v n="$(requests "$out")" \
    'BEGIN { split(b, x, " "); split(a, y, " "); us = 1e6 / hz / n;
             printf "%.1f %.1f", (y[1] + y[2] - x[1] - x[2]) * us, (y[2] - x[2]) * us }')
  ROWS+=("$1 $( [ "$2" = true ] && echo stream || echo json ) $3 $(rps "$out") $(pct_ms 50 "$out") $(pct_ms 99 "$out") $cpu")
  log "measured $1 stream=$2 c=$3: ${ROWS[-1]}"
}

log "warm-up: ${WARMUP}s per mode through the gateway, 3 s direct"
for s in false true; do
  run_wrk "$GW_PORT" $s 64 "$WARMUP" "$RESULTS/warmup.txt"
  run_wrk "$GW_PORT" $s 1 3 "$RESULTS/warmup.txt"
  run_wrk "$MOCK_PORT" $s 64 3 "$RESULTS/warmup.txt"
done

for c in 64 1; do
  for s in false true; do
    measure direct $s $c
    measure junction $s $c
  done
done
RSS=$(peak_rss_mb)

# ---- report ----

row() { local want="$1 $2 $3" r; for r in "${ROWS[@]}"; do [ "${r% * * * * *}" = "$want" ] && { echo "$r"; return; }; done; }
field() { local n=$2; set -- $1; echo "${!n}"; } # field "<row>" N
verdict() { awk -v v="$1" -v lim="$3" -v op="$2" 'BEGIN { ok = (op == ">=") ? v >= lim : v <= lim; print ok ? "PASS" : "MISS" }'; }

{
  echo "Junction gateway benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "machine: $(nproc --all) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(uname -r)"
  echo "gateway: core $GW_CORE, $($JAVA -version 2>&1 | head -1), $JVM_OPTS, via $LAUNCHER"
  echo "load:    mock upstream + wrk on core $LOAD_CORE; ${DURATION}s per run after warm-up; 64 conns = 2 wrk threads"
  echo
  printf '%-9s %-6s %5s %10s %9s %9s %13s %13s\n' target mode conns req/s p50_ms p99_ms gw_cpu_us/req "of which sys"
  for r in "${ROWS[@]}"; do set -- $r; printf '%-9s %-6s %5s %10s %9s %9s %13s %13s\n' "$@"; done
  echo
  echo "gateway peak RSS (VmHWM): ${RSS} MB"
  echo
  echo "targets:"
  for m in json stream; do
    d64=$(row direct $m 64); j64=$(row junction $m 64); d1=$(row direct $m 1); j1=$(row junction $m 1)
    share=$(awk -v a="$(field "$j64" 4)" -v b="$(field "$d64" 4)" 'BEGIN { printf "%.0f", 100 * a / b }')
    cpu=$(field "$j64" 7)
    add50=$(awk -v a="$(field "$j1" 5)" -v b="$(field "$d1" 5)" 'BEGIN { printf "%.3f", a - b }')
    add99=$(awk -v a="$(field "$j1" 6)" -v b="$(field "$d1" 6)" 'BEGIN { printf "%.3f", a - b }')
    printf '  %-6s 64 conns: throughput via junction %4s%% of direct  (>= 25%%)     %s\n' "$m" "$share" "$(verdict "$share" ">=" 25)"
    printf '  %-6s 64 conns: gateway CPU %7s us/request          (<= 40 us)     %s\n' "$m" "$cpu" "$(verdict "$cpu" "<=" 40)"
    printf '  %-6s 1 conn:   added latency p50 %7s ms              (<= 0.15 ms)   %s\n' "$m" "$add50" "$(verdict "$add50" "<=" 0.15)"
    printf '  %-6s 1 conn:   added latency p99 %7s ms              (<= 1 ms)      %s\n' "$m" "$add99" "$(verdict "$add99" "<=" 1)"
  done
  printf '  peak RSS %s MB                                       (<= 300 MB)    %s\n' "$RSS" "$(verdict "$RSS" "<=" 300)"
} | tee "$RESULTS/latest.txt"
