#!/usr/bin/env bash
# Compares gateway JVM/Netty settings (issue 8 item 6: no sun.misc.Unsafe warning at start, same
# speed). Every variant runs as its own `java -jar target/junction.jar serve` on the gateway core at
# the same time (the idle ones cost nothing); wrk then loads them in turn, interleaved and repeated,
# so a busy machine skews all of them alike. serve-default has no flags: what `junction serve`
# chooses by itself (cli/Main.preferHeapBuffersWithoutUnsafe). Prints gateway CPU per request for each, and whether
# the variant's first screen had a JVM warning. See bench/README.md.
#
#   BENCH_VARIANTS   "name=jvm opts;name=jvm opts;..." (default: the four below)
#   BENCH_REPS [5]   rounds       BENCH_DURATION [8]  seconds per run    BENCH_WARMUP [8]
#   BENCH_GATEWAY_CORE [0]  BENCH_LOAD_CORE [1]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RESULTS=$ROOT/bench/results/jvm-flags
mkdir -p "$RESULTS"
REPS=${BENCH_REPS:-5}
DURATION=${BENCH_DURATION:-8}
WARMUP=${BENCH_WARMUP:-8}
GW_CORE=${BENCH_GATEWAY_CORE:-0}
LOAD_CORE=${BENCH_LOAD_CORE:-1}
KEY=jk-bench
BASE="-Xms128m -Xmx256m -XX:+UseParallelGC"
DEFAULT_VARIANTS="unsafe=-Dio.netty.noUnsafe=false --sun-misc-unsafe-memory-access=allow;\
netty-default=-Dio.netty.noUnsafe=true;\
heap=-Dio.netty.noUnsafe=true -Dio.netty.noPreferDirect=true;\
serve-default="
IFS=';' read -r -a VARIANTS <<<"${BENCH_VARIANTS:-$DEFAULT_VARIANTS}"

log() { printf '\033[2m[jvm-flags] %s\033[0m\n' "$*" >&2; }
die() { printf '[jvm-flags] %s\n' "$*" >&2; exit 1; }
. scripts/env.sh || die "no JDK >= 21 found"
JAVA=$JAVA_HOME/bin/java
command -v wrk >/dev/null || die "wrk is missing (bench/run.sh installs it)"
JAR=$ROOT/target/junction.jar
[ -f "$JAR" ] && [ -f target/test-classes/io/junction/bench/InstantUpstream.class ] \
  || die "build first: ./mvnw -q -DskipTests package (or run bench/run.sh once)"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM
port_open() { (: </dev/tcp/127.0.0.1/"$1") 2>/dev/null; }
free_port() { local p=$1; while port_open "$p"; do p=$((p + 1)); done; echo "$p"; }
await_port() { for _ in $(seq 1 300); do port_open "$1" && return 0; kill -0 "$2" 2>/dev/null || die "$3 exited; see $RESULTS/$3.log"; sleep 0.1; done; die "$3 not listening"; }

MOCK_PORT=$(free_port 18180)
taskset -c "$LOAD_CORE" "$JAVA" -Xms64m -Xmx256m -XX:+UseParallelGC --sun-misc-unsafe-memory-access=allow \
  -cp "$JAR:$ROOT/target/test-classes" io.junction.bench.InstantUpstream "$MOCK_PORT" >"$RESULTS/mock.log" 2>&1 &
PIDS+=($!); await_port "$MOCK_PORT" $! mock

NAMES=(); PORTS=(); GPIDS=()
next_port=18200
for v in "${VARIANTS[@]}"; do
  name=${v%%=*}; opts=${v#*=}
  port=$(free_port $next_port); next_port=$((port + 1))
  cat >"$RESULTS/$name.yaml" <<YAML
server: {host: 127.0.0.1, port: $port}
auth: {master_key: $KEY}
storage: {url: "jdbc:sqlite:$RESULTS/$name.db"}
providers:
  - {name: openai, type: openai, base_url: "http://127.0.0.1:$MOCK_PORT/v1", api_keys: [sk-bench-upstream], models: [gpt-4o-mini]}
YAML
  rm -f "$RESULTS/$name".db*
  # shellcheck disable=SC2086
  taskset -c "$GW_CORE" "$JAVA" $BASE $opts -jar "$JAR" serve --config "$RESULTS/$name.yaml" >"$RESULTS/$name.log" 2>&1 &
  GPIDS+=($!); PIDS+=($!); NAMES+=("$name"); PORTS+=("$port")
  await_port "$port" $! "$name"
done
log "variants: ${NAMES[*]} (gateway core $GW_CORE, mock + wrk core $LOAD_CORE)"

CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{ s = $0; sub(/^.*\) /, "", s); split(s, f, " "); print f[12] + f[13] }' "/proc/$1/stat"; }
# run <idx> <stream> <seconds> [warm] -> prints CPU us per request (errors are fatal except in warm-up)
run() {
  local out=$RESULTS/wrk.txt before after n
  before=$(cpu_ticks "${GPIDS[$1]}")
  BENCH_STREAM=$2 BENCH_KEY=$KEY taskset -c "$LOAD_CORE" wrk -t2 -c64 -d"$3"s --timeout 10s -s "$ROOT/bench/chat.lua" \
    "http://127.0.0.1:${PORTS[$1]}/v1/chat/completions" >"$out" 2>&1 || die "wrk failed: $(cat "$out")"
  after=$(cpu_ticks "${GPIDS[$1]}")
  [ -z "${4:-}" ] && grep -qE 'Non-2xx|Socket errors' "$out" && die "errors through ${NAMES[$1]}: $(grep -E 'Non-2xx|Socket errors' "$out")"
  n=$(awk '/requests in/ { print $1 }' "$out")
  awk -v d=$((after - before)) -v hz="$CLK_TCK" -v n="$n" 'BEGIN { printf "%.1f", d * 1e6 / hz / n }'
}

log "warm-up: ${WARMUP}s JSON + ${WARMUP}s stream per variant"
for i in "${!NAMES[@]}"; do run "$i" false "$WARMUP" warm >/dev/null; run "$i" true "$WARMUP" warm >/dev/null; done

declare -A SAMPLES
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq 1 "$REPS"); do
  for k in "${!NAMES[@]}"; do
    i=$(( (k + r) % ${#NAMES[@]} ))  # rotate the order every round
    for s in false true; do
      us=$(run "$i" $s "$DURATION")
      SAMPLES[$i,$s]+="$us "
      log "round $r ${NAMES[$i]} stream=$s: $us us/req"
    done
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

stats() { echo "$1" | awk '{ n = NF; for (i = 1; i <= n; i++) { v[i] = $i; s += $i } asort(v); m = s / n;
  for (i = 1; i <= n; i++) d += ($i - m) ^ 2; med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2;
  printf "%6.1f %6.1f %6.1f..%-6.1f", med, m, v[1], v[n] }'; }
{
  echo "Gateway JVM settings compared — $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "$($JAVA -version 2>&1 | head -1); base opts $BASE; java -jar target/junction.jar serve (SQLite log + metrics on)"
  echo "gateway CPU us per request, 64 connections, ${DURATION}s x $REPS interleaved rounds; load average $LOAD_BEFORE -> $LOAD_AFTER"
  echo
  printf '%-16s %-28s %-28s %s\n' variant "json  median mean min..max" "stream median mean min..max" "JVM warning at start"
  for i in "${!NAMES[@]}"; do
    warn=$(grep -c '^WARNING' "$RESULTS/${NAMES[$i]}.log" || true)
    printf '%-16s %-28s %-28s %s\n' "${NAMES[$i]}" "$(stats "${SAMPLES[$i,false]}")" "$(stats "${SAMPLES[$i,true]}")" \
      "$([ "$warn" -gt 0 ] && echo "yes ($warn lines)" || echo no)"
  done
  echo
  for v in "${VARIANTS[@]}"; do echo "  ${v%%=*}: ${v#*=}"; done
  echo "  (a name with no flags runs with what junction serve chooses by itself)"
} | tee "$RESULTS/latest.txt"
