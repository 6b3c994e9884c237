#!/usr/bin/env bash
# The gateway benchmark: an instant mock upstream; wrk driving it directly, through an nginx reverse
# proxy (the floor for any HTTP proxy) and through Junction; OpenAI and Anthropic, JSON and stream,
# at 64 connections and at 1; then a concurrency run of 10,000 paced streams. See bench/README.md.
#
# Environment knobs (defaults in brackets):
#   BENCH_ONLY [openai,anthropic,nginx,vertx,concurrency]  parts to run: openai / anthropic (the wrk
#                    rows of that API), nginx (the nginx rows), vertx (a bare Vert.x pass-through proxy:
#                    the stack's floor, JSON rows only), concurrency (the 10,000-stream run)
#   BENCH_DURATION [15]  seconds per measured run      BENCH_WARMUP [10]  seconds of JIT warm-up
#   BENCH_JVM_OPTS [-Xms128m -Xmx256m -XX:+UseParallelGC]  gateway JVM flags
#   BENCH_GATEWAY_CORE [0], BENCH_LOAD_CORE [1]        cores for the gateway (and nginx) and for mock + load
#   BENCH_LAUNCHER [auto]  jar (java -jar junction.jar serve) | launcher (test-class BenchGateway)
#   BENCH_CONC_STREAMS [10000]  concurrent streams     BENCH_CONC_ROUNDS [2]  streams per lane, back to back
#   BENCH_CONC_CHUNKS [50], BENCH_CONC_PACE_MS [20]    the paced upstream: chunks per stream, ms apart
#   BENCH_CONC_RAMP_MS [1000]   lanes start spread over this
#   BENCH_CONC_JVM_OPTS [BENCH_JVM_OPTS]  the concurrency run's gateway JVM flags (e.g. a larger -Xmx)
#   BENCH_CONC_PROTO [auto]     h1 (a client connection per stream) | h2c (100 streams per connection);
#                               auto takes h1 when the fd limit fits 2 sockets per stream in the gateway
# A smoke run: BENCH_DURATION=2 BENCH_WARMUP=2 BENCH_CONC_STREAMS=300 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DURATION=${BENCH_DURATION:-15}
WARMUP=${BENCH_WARMUP:-10}
GW_CORE=${BENCH_GATEWAY_CORE:-0}
LOAD_CORE=${BENCH_LOAD_CORE:-1}
ONLY=${BENCH_ONLY:-openai,anthropic,nginx,vertx,concurrency}
CONC_STREAMS=${BENCH_CONC_STREAMS:-10000}
CONC_ROUNDS=${BENCH_CONC_ROUNDS:-2}
CONC_CHUNKS=${BENCH_CONC_CHUNKS:-50}
CONC_PACE_MS=${BENCH_CONC_PACE_MS:-20}
CONC_RAMP_MS=${BENCH_CONC_RAMP_MS:-1000}
KEY=jk-bench
RESULTS=$ROOT/bench/results
mkdir -p "$RESULTS"

log() { printf '\033[2m[bench] %s\033[0m\n' "$*" >&2; }
die() { printf '[bench] %s\n' "$*" >&2; exit 1; }
has() { [[ ",$ONLY," == *",$1,"* ]]; }
APIS=()
has openai && APIS+=(openai)
has anthropic && APIS+=(anthropic)
TARGETS=(direct)
has nginx && TARGETS+=(nginx)
has vertx && TARGETS+=(vertx)
TARGETS+=(junction)

# ---- prerequisites ----

# A JDK >= 21, found the same way as everywhere else in the project.
. scripts/env.sh || die "no JDK >= 21 found (set JAVA_HOME or install one under /usr/lib/jvm)"
JAVA=$JAVA_HOME/bin/java
JDK_MAJOR=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release")
# The mock and the load generator are not what is measured: let their Netty use Unsafe quietly.
HELPER_UNSAFE=""
[ "$JDK_MAJOR" -ge 24 ] && HELPER_UNSAFE="--sun-misc-unsafe-memory-access=allow -Dio.netty.noUnsafe=false"
JVM_OPTS=${BENCH_JVM_OPTS:--Xms128m -Xmx256m -XX:+UseParallelGC}
WRK_JVM_OPTS=$JVM_OPTS

apt_install() { # command package
  command -v "$1" >/dev/null && return 0
  log "installing $2"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2") >/dev/null \
    || die "$1 is missing and apt-get could not install $2"
}
apt_install wrk wrk
has nginx && { PATH=$PATH:/usr/sbin; apt_install nginx nginx; }
command -v taskset >/dev/null || die "taskset (util-linux) is missing"
[ "$(nproc --all)" -gt "$(( GW_CORE > LOAD_CORE ? GW_CORE : LOAD_CORE ))" ] || die "need cores $GW_CORE and $LOAD_CORE"

# Rebuild when the jar or the bench classes are missing or any source is newer than the jar.
JAR=$ROOT/target/junction.jar
if [ ! -f "$JAR" ] || [ ! -f target/test-classes/io/junction/bench/StreamLoad.class ] \
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
[ "$LAUNCHER" = launcher ] && [ ${#APIS[@]} -gt 0 ] && [ "${APIS[*]}" != openai ] && die "BENCH_LAUNCHER=launcher serves OpenAI only"

# ---- processes ----

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM
stop() { # SIGTERM; a process still there after 60 s (e.g. a gateway out of heap, stuck in GC) gets SIGKILL
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 600); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$1" 2>/dev/null; then log "pid $1 still running 60 s after SIGTERM: killed"; kill -9 "$1" 2>/dev/null || true; fi
  wait "$1" 2>/dev/null || true
}

port_open() { (: </dev/tcp/127.0.0.1/"$1") 2>/dev/null; }
free_port() {
  local p=$1
  while port_open "$p"; do p=$((p + 1)); done
  echo "$p"
}
await_port() { # port pid name
  for _ in $(seq 1 600); do
    port_open "$1" && return 0
    kill -0 "$2" 2>/dev/null || die "$3 exited; see $RESULTS/$3.log"
    sleep 0.1
  done
  die "$3 did not listen on port $1 within 60 s; see $RESULTS/$3.log"
}

start_mock() { # port [pace chunks, pace ms]
  # shellcheck disable=SC2086
  taskset -c "$LOAD_CORE" "$JAVA" -Xms64m -Xmx512m -XX:+UseParallelGC $HELPER_UNSAFE -cp "$CP" \
    io.junction.bench.InstantUpstream "$@" >"$RESULTS/mock.log" 2>&1 &
  MOCK_PID=$!; PIDS+=("$MOCK_PID")
  await_port "$1" "$MOCK_PID" mock
}

start_gateway() { # mock port, provider max_connections
  GW_PORT=$(free_port 18094)
  if [ "$LAUNCHER" = jar ]; then
    cat >"$RESULTS/bench.yaml" <<YAML
server: {host: 127.0.0.1, port: $GW_PORT}
auth: {master_key: $KEY}
storage: {url: "jdbc:sqlite:$RESULTS/bench.db"}
providers:
  - {name: openai, type: openai, base_url: "http://127.0.0.1:$1/v1", api_keys: [sk-bench-upstream], models: [gpt-4o-mini], max_connections: $2}
  - {name: anthropic, type: anthropic, base_url: "http://127.0.0.1:$1", api_keys: [sk-ant-bench-upstream], models: [claude-sonnet-4-5], max_connections: $2}
YAML
    rm -f "$RESULTS"/bench.db*
    GW_CMD=("$JAVA" $JVM_OPTS -jar "$JAR" serve --config "$RESULTS/bench.yaml")
  else
    GW_CMD=("$JAVA" $JVM_OPTS -cp "$CP" io.junction.bench.BenchGateway "$GW_PORT" "http://127.0.0.1:$1/v1" "$KEY")
  fi
  taskset -c "$GW_CORE" "${GW_CMD[@]}" >"$RESULTS/gateway.log" 2>&1 &
  GW_PID=$!; PIDS+=("$GW_PID")
  await_port "$GW_PORT" "$GW_PID" gateway
}

# nginx with one worker on the gateway's core, proxy_pass to the mock over a keep-alive pool.
start_nginx() { # mock port
  NGINX_PORT=$(free_port 18380)
  mkdir -p "$RESULTS/nginx"
  cat >"$RESULTS/nginx/nginx.conf" <<NGINX
# generated by bench/run.sh
$( [ "$(id -u)" = 0 ] && echo "user root;" )
worker_processes 1;
daemon off;
pid $RESULTS/nginx/nginx.pid;
error_log $RESULTS/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $RESULTS/nginx/body;
  proxy_temp_path $RESULTS/nginx/proxy;
  fastcgi_temp_path $RESULTS/nginx/fastcgi;
  uwsgi_temp_path $RESULTS/nginx/uwsgi;
  scgi_temp_path $RESULTS/nginx/scgi;
  keepalive_requests 1000000;
  upstream mock {
    server 127.0.0.1:$1;
    keepalive 128;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://mock;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      # Relay SSE events as they come, as an LLM proxy must.
      proxy_buffering off;
    }
  }
}
NGINX
  taskset -c "$GW_CORE" nginx -p "$RESULTS/nginx" -e "$RESULTS/nginx/error.log" -c "$RESULTS/nginx/nginx.conf" \
    >"$RESULTS/nginx.log" 2>&1 &
  NGINX_PID=$!; PIDS+=("$NGINX_PID")
  await_port "$NGINX_PORT" "$NGINX_PID" nginx
}

# The stack's floor: the same Vert.x server and client with nothing of Junction's (BareProxy).
start_bare() { # mock port
  BARE_PORT=$(free_port 18480)
  # shellcheck disable=SC2086
  taskset -c "$GW_CORE" "$JAVA" $JVM_OPTS -cp "$CP" io.junction.bench.BareProxy "$BARE_PORT" "$1" >"$RESULTS/bare.log" 2>&1 &
  BARE_PID=$!; PIDS+=("$BARE_PID")
  await_port "$BARE_PORT" "$BARE_PID" bare
}

# ---- measuring ----

CLK_TCK=$(getconf CLK_TCK)
# utime and stime of a process and its children's threads, in clock ticks (fields 14 and 15 of
# /proc/PID/stat); for nginx the master and its worker.
cpu_ticks() { # pid...
  local p files=()
  for p in "$@"; do files+=("/proc/$p/stat"); done
  awk '{ s = $0; sub(/^.*\) /, "", s); split(s, f, " "); u += f[12]; k += f[13] } END { print u, k }' "${files[@]}"
}
peak_rss_mb() { awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
pids_of() { # target
  case $1 in
    junction) echo "$GW_PID" ;;
    vertx) echo "$BARE_PID" ;;
    nginx) echo "$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')" ;;
  esac
}
port_of() { case $1 in direct) echo "$MOCK_PORT" ;; nginx) echo "$NGINX_PORT" ;; vertx) echo "$BARE_PORT" ;; junction) echo "$GW_PORT" ;; esac; }
path_of() { [ "$1" = anthropic ] && echo /v1/messages || echo /v1/chat/completions; }
script_of() { [ "$1" = anthropic ] && echo "$ROOT/bench/messages.lua" || echo "$ROOT/bench/chat.lua"; }

# wrk <target> <api> <stream> <connections> <seconds> <outfile> [warm]
run_wrk() {
  local threads=$(( $4 > 1 ? 2 : 1 )) url
  url="http://127.0.0.1:$(port_of "$1")$(path_of "$2")"
  BENCH_STREAM=$3 BENCH_KEY=$KEY taskset -c "$LOAD_CORE" wrk -t"$threads" -c"$4" -d"$5"s --timeout 10s --latency \
    -s "$(script_of "$2")" "$url" >"$6" 2>&1 || die "wrk failed: $(cat "$6")"
  if [ -z "${7:-}" ] && grep -qE 'Non-2xx|Socket errors' "$6"; then
    log "errors during the run: $(grep -E 'Non-2xx|Socket errors' "$6"); one answer now:"
    command -v curl >/dev/null && curl -s -i -H "authorization: Bearer $KEY" -H 'content-type: application/json' \
      -d "$( [ "$2" = anthropic ] && echo '{"model":"claude-sonnet-4-5","max_tokens":8,' || echo '{"model":"gpt-4o-mini",' )\"stream\":$3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}" \
      "$url" | head -c 800 >&2
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

# One row per measured run: target api mode conns rps p50 p99 cpu_us_per_req sys_us_per_req
ROWS=()
measure() { # target api stream conns
  local mode out before after cpu="- -" pids
  mode=$( [ "$3" = true ] && echo stream || echo json )
  out=$RESULTS/wrk-$1-$2-$mode-c$4.txt
  pids=$(pids_of "$1")
  [ -n "$pids" ] && before=$(cpu_ticks $pids)
  run_wrk "$1" "$2" "$3" "$4" "$DURATION" "$out"
  if [ -n "$pids" ]; then
    after=$(cpu_ticks $pids)
    cpu=$(awk -v b="$before" -v a="$after" -v hz="$CLK_TCK" -v n="$(requests "$out")" \
      'BEGIN { split(b, x, " "); split(a, y, " "); us = 1e6 / hz / n;
               printf "%.1f %.1f", (y[1] + y[2] - x[1] - x[2]) * us, (y[2] - x[2]) * us }')
  fi
  ROWS+=("$1 $2 $mode $4 $(rps "$out") $(pct_ms 50 "$out") $(pct_ms 99 "$out") $cpu")
  log "measured: ${ROWS[-1]}"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
RSS="-"
if [ ${#APIS[@]} -gt 0 ]; then
  MOCK_PORT=$(free_port 18080)
  start_mock "$MOCK_PORT"
  start_gateway "$MOCK_PORT" 1024
  has nginx && start_nginx "$MOCK_PORT"
  has vertx && start_bare "$MOCK_PORT"
  log "mock :$MOCK_PORT (core $LOAD_CORE), gateway :$GW_PORT (core $GW_CORE, $LAUNCHER, $JVM_OPTS)$(has nginx && echo ", nginx :$NGINX_PORT (core $GW_CORE)")"

  log "warm-up: ${WARMUP}s per API and mode through the gateway (and the bare Vert.x proxy), 3 s direct and through nginx"
  for api in "${APIS[@]}"; do
    for s in false true; do
      run_wrk junction "$api" $s 64 "$WARMUP" "$RESULTS/warmup.txt" warm
      run_wrk junction "$api" $s 1 3 "$RESULTS/warmup.txt" warm
      run_wrk direct "$api" $s 64 3 "$RESULTS/warmup.txt" warm
      has nginx && run_wrk nginx "$api" $s 64 3 "$RESULTS/warmup.txt" warm
      if has vertx && [ $s = false ]; then
        run_wrk vertx "$api" $s 64 "$WARMUP" "$RESULTS/warmup.txt" warm
        run_wrk vertx "$api" $s 1 3 "$RESULTS/warmup.txt" warm
      fi
    done
  done

  for c in 64 1; do
    for api in "${APIS[@]}"; do
      for s in false true; do
        for t in "${TARGETS[@]}"; do
          # The bare proxy writes each upstream chunk as it is parsed (no coalescing): a floor for JSON only.
          [ "$t" = vertx ] && [ $s = true ] && continue
          measure "$t" "$api" $s $c
        done
      done
    done
  done
  RSS=$(peak_rss_mb "$GW_PID")
  stop "$GW_PID"; has nginx && stop "$NGINX_PID"; has vertx && stop "$BARE_PID"; stop "$MOCK_PID"
fi

# ---- the concurrency run: paced streams, a fresh gateway ----

CONC=""
if has concurrency; then
  FD_LIMIT=$(ulimit -Hn)
  [ "$FD_LIMIT" = unlimited ] && FD_LIMIT=1048576
  ulimit -n "$FD_LIMIT"
  PROTO=${BENCH_CONC_PROTO:-auto}
  # The gateway holds a client socket and an upstream socket per stream, plus its own files.
  if [ "$PROTO" = auto ]; then PROTO=h1; [ $((2 * CONC_STREAMS + 500)) -gt "$FD_LIMIT" ] && PROTO=h2c; fi
  per=1; [ "$PROTO" = h1 ] && per=2
  [ $((per * CONC_STREAMS + 500)) -le "$FD_LIMIT" ] || die "open-file limit $FD_LIMIT is too low for $CONC_STREAMS streams over $PROTO"
  MOCK_PORT=$(free_port 18080)
  start_mock "$MOCK_PORT" "$CONC_CHUNKS" "$CONC_PACE_MS"
  JVM_OPTS=${BENCH_CONC_JVM_OPTS:-$JVM_OPTS}
  # Upstream connections: one per stream in flight, with room to spare.
  start_gateway "$MOCK_PORT" $((CONC_STREAMS + CONC_STREAMS / 5))
  log "concurrency: $CONC_STREAMS streams x $CONC_ROUNDS over $PROTO, $CONC_CHUNKS chunks ${CONC_PACE_MS} ms apart, fd limit $FD_LIMIT"
  before=$(cpu_ticks "$GW_PID")
  # shellcheck disable=SC2086
  taskset -c "$LOAD_CORE" "$JAVA" -Xms64m -Xmx1g -XX:+UseParallelGC $HELPER_UNSAFE -cp "$CP" io.junction.bench.StreamLoad \
    "http://127.0.0.1:$GW_PORT/v1/chat/completions" "$KEY" "$CONC_STREAMS" "$CONC_ROUNDS" "$CONC_RAMP_MS" "$CONC_CHUNKS" "$PROTO" \
    >"$RESULTS/concurrency.txt" 2>"$RESULTS/concurrency.log" || die "the load generator failed: $(tail -5 "$RESULTS/concurrency.log")"
  after=$(cpu_ticks "$GW_PID")
  CONC_RSS=$(peak_rss_mb "$GW_PID")
  CONC=$(head -1 "$RESULTS/concurrency.txt")
  CONC_CPU=$(awk -v b="$before" -v a="$after" -v hz="$CLK_TCK" -v n="$CONC_STREAMS" -v r="$CONC_ROUNDS" -v k="$CONC_CHUNKS" \
    'BEGIN { split(b, x, " "); split(a, y, " "); s = (y[1] + y[2] - x[1] - x[2]) / hz;
             printf "%.1f s (%.0f us per stream, %.1f us per chunk)", s, s * 1e6 / (n * r), s * 1e6 / (n * r * k) }')
  stop "$GW_PID"; stop "$MOCK_PID"
fi

# ---- report ----

row() { local want="$1 $2 $3 $4" r; for r in "${ROWS[@]}"; do [ "${r% * * * * *}" = "$want" ] && { echo "$r"; return; }; done; }
field() { local n=$2; set -- $1; echo "${!n}"; } # field "<row>" N
verdict() { awk -v v="$1" -v lim="$3" -v op="$2" 'BEGIN { if (v == "" || v == "-") { print "n/a"; exit }
  ok = (op == ">=") ? v >= lim : v <= lim; print ok ? "PASS" : "MISS" }'; }
kv() { echo "$CONC" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

{
  echo "Junction gateway benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "machine: $(nproc --all) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(uname -r); load average $LOAD_BEFORE before, $(cut -d' ' -f1-3 /proc/loadavg) after"
  echo "gateway: core $GW_CORE, $($JAVA -version 2>&1 | head -1), $WRK_JVM_OPTS, via $LAUNCHER"
  has nginx && echo "nginx:   $(nginx -v 2>&1 | sed 's/.*: //'), one worker on core $GW_CORE, proxy_pass to the mock over a keep-alive pool, proxy_buffering off"
  echo "load:    mock upstream + wrk on core $LOAD_CORE; ${DURATION}s per run after warm-up; 64 conns = 2 wrk threads"
  if [ ${#ROWS[@]} -gt 0 ]; then
    echo
    echo "direct = wrk to the mock alone (the ceiling); cpu_us/req = CPU time of the proxy process per request"
    echo "(user + system; 'sys' is the kernel's share); x_nginx = CPU per request over nginx's"
    printf '%-9s %-9s %-6s %5s %9s %8s %8s %10s %7s %7s\n' target api mode conns req/s p50_ms p99_ms cpu_us/req sys x_nginx
    for r in "${ROWS[@]}"; do
      set -- $r
      ratio=-
      if [ "$1" = junction ] || [ "$1" = vertx ]; then
        n=$(row nginx "$2" "$3" "$4")
        [ -n "$n" ] && ratio=$(awk -v a="$8" -v b="$(field "$n" 8)" 'BEGIN { printf "%.1fx", a / b }')
      fi
      printf '%-9s %-9s %-6s %5s %9s %8s %8s %10s %7s %7s\n' "$@" "$ratio"
    done
    echo
    echo "gateway peak RSS (VmHWM) after these runs: ${RSS} MB"
  fi
  if [ -n "$CONC" ]; then
    echo
    echo "concurrency: $CONC_STREAMS streams at once over $PROTO (client to gateway; gateway to upstream is HTTP/1.1, a connection"
    echo "per stream), $CONC_ROUNDS back to back per lane, lanes started over ${CONC_RAMP_MS} ms; upstream paces $CONC_CHUNKS chunks ${CONC_PACE_MS} ms apart"
    echo "  $CONC"
    sed -n '2,$p' "$RESULTS/concurrency.txt" | sed 's/^/  /'
    echo "  gateway CPU $CONC_CPU; peak RSS $CONC_RSS MB (gateway JVM: $JVM_OPTS)"
  fi
  echo
  echo "targets:"
  for api in "${APIS[@]}"; do
    for m in json stream; do
      lim=$( [ $m = json ] && echo 25 || echo 40 )
      j64=$(row junction "$api" $m 64); d1=$(row direct "$api" $m 1); j1=$(row junction "$api" $m 1)
      cpu=$(field "$j64" 8)
      add50=$(awk -v a="$(field "$j1" 6)" -v b="$(field "$d1" 6)" 'BEGIN { printf "%.3f", a - b }')
      add99=$(awk -v a="$(field "$j1" 7)" -v b="$(field "$d1" 7)" 'BEGIN { printf "%.3f", a - b }')
      printf '  %-9s %-6s 64 conns: gateway CPU %7s us/request   (<= %s us)     %s\n' "$api" $m "$cpu" "$lim" "$(verdict "$cpu" "<=" "$lim")"
      printf '  %-9s %-6s 1 conn:   added latency p50 %7s ms     (<= 0.1 ms)    %s\n' "$api" $m "$add50" "$(verdict "$add50" "<=" 0.1)"
      printf '  %-9s %-6s 1 conn:   added latency p99 %7s ms     (<= 1 ms)      %s\n' "$api" $m "$add99" "$(verdict "$add99" "<=" 1)"
    done
  done
  [ ${#APIS[@]} -gt 0 ] && printf '  peak RSS %s MB                                      (<= 200 MB)    %s\n' "$RSS" "$(verdict "$RSS" "<=" 200)"
  if [ -n "$CONC" ]; then
    printf '  concurrency: %s of %s streams completed                 (all)          %s\n' "$(kv completed)" "$(kv streams)" \
      "$( [ "$(kv completed)" = "$(kv streams)" ] && echo PASS || echo MISS )"
    printf '  concurrency: time to first byte p99 %s ms           (<= 1000 ms)   %s\n' "$(kv ttfb_p99_ms)" "$(verdict "$(kv ttfb_p99_ms)" "<=" 1000)"
  fi
} | tee "$RESULTS/latest.txt"
