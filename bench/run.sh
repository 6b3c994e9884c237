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
#   BENCH_CONC_WARMUP [10]      unmeasured warm-up runs first (same gateway and load generator), of 2,000
#                               streams but the last of BENCH_CONC_STREAMS
#   BENCH_CONC_JVM_OPTS [-Xms256m -Xmx768m -XX:+UseParallelGC]  the concurrency run's gateway JVM flags
#                               (10,000 streams hold ~300 MB of live heap: -Xmx256m runs out)
#   BENCH_CONC_UPSTREAM [auto]  h1 (plain HTTP/1.1, an upstream connection per stream) | h2 (TLS with HTTP/2
#                               by ALPN, as hosted providers serve, BENCH_CONC_H2_STREAMS [100] streams per
#                               connection); auto takes h1 when the fd limit fits 2 sockets per stream in the
#                               gateway, else h2. Clients always use HTTP/1.1, a connection per stream.
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
CONC_WARMUP=${BENCH_CONC_WARMUP:-10}
CONC_H2_STREAMS=${BENCH_CONC_H2_STREAMS:-100}
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

# Writes a java command's arguments to bench/results/<name>.args and prints "@<that file>": run as
# "java @file", the process shows as that on ps, so a name-based cleanup elsewhere on a shared
# machine (pkill -f InstantUpstream, pkill -f 'junction.jar serve') leaves this run's processes be.
argfile() { # name args...
  local f=$RESULTS/$1.args; shift
  printf '"%s"\n' "$@" >"$f"
  echo "@$f"
}

MOCK_PROPS=""     # e.g. TLS for the mock (the concurrency run over h2)
UPSTREAM_SCHEME=http
GW_TRUST=""      # JVM flags that make the gateway trust the mock's certificate
start_mock() { # port [pace chunks, pace ms]
  # shellcheck disable=SC2086
  taskset -c "$LOAD_CORE" "$JAVA" "$(argfile mock -Xms64m -Xmx1g -XX:+UseParallelGC $HELPER_UNSAFE $MOCK_PROPS -cp "$CP" \
    io.junction.bench.InstantUpstream "$@")" >"$RESULTS/mock.log" 2>&1 &
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
  - {name: openai, type: openai, base_url: "$UPSTREAM_SCHEME://127.0.0.1:$1/v1", api_keys: [sk-bench-upstream], models: [gpt-4o-mini], max_connections: $2}
  - {name: anthropic, type: anthropic, base_url: "$UPSTREAM_SCHEME://127.0.0.1:$1", api_keys: [sk-ant-bench-upstream], models: [claude-sonnet-4-5], max_connections: $2}
YAML
    rm -f "$RESULTS"/bench.db*
    GW_CMD=("$JAVA" "$(argfile gateway $JVM_OPTS $GW_TRUST -jar "$JAR" serve --config "$RESULTS/bench.yaml")")
  else
    GW_CMD=("$JAVA" "$(argfile gateway $JVM_OPTS $GW_TRUST -cp "$CP" io.junction.bench.BenchGateway "$GW_PORT" "$UPSTREAM_SCHEME://127.0.0.1:$1/v1" "$KEY")")
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
# Seconds a process's threads (those whose name starts with $2, if given) spent on a CPU and runnable
# but waiting for one (/proc/PID/task/TID/schedstat: run time ns, run-queue wait ns, timeslices).
sched_of() { # pid [thread name prefix]
  local t sum_run=0 sum_wait=0 run wait _
  for t in /proc/"$1"/task/*; do
    [ -n "${2:-}" ] && [[ "$(cat "$t/comm" 2>/dev/null)" != "$2"* ]] && continue
    read -r run wait _ <"$t/schedstat" 2>/dev/null || continue
    sum_run=$((sum_run + run)); sum_wait=$((sum_wait + wait))
  done
  awk -v r="$sum_run" -v w="$sum_wait" 'BEGIN { printf "%.3f %.3f", r / 1e9, w / 1e9 }'
}
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
  UPSTREAM=${BENCH_CONC_UPSTREAM:-auto}
  # The gateway holds a client socket per stream, an upstream socket per stream over HTTP/1.1 (a
  # hundred streams share one over HTTP/2), and its own files.
  if [ "$UPSTREAM" = auto ]; then UPSTREAM=h1; [ $((2 * CONC_STREAMS + 500)) -gt "$FD_LIMIT" ] && UPSTREAM=h2; fi
  [ "$UPSTREAM" = h1 ] && need=$((2 * CONC_STREAMS + 500)) || need=$((CONC_STREAMS + CONC_STREAMS / CONC_H2_STREAMS + 500))
  [ "$need" -le "$FD_LIMIT" ] || die "open-file limit $FD_LIMIT is too low for $CONC_STREAMS streams with an $UPSTREAM upstream"
  if [ "$UPSTREAM" = h2 ]; then
    # A self-signed certificate for the mock (127.0.0.1), trusted by the gateway's JVM as its default
    # trust store: the gateway's code and configuration are what they are for a hosted provider.
    TLS=$RESULTS/tls
    if [ ! -f "$TLS/trust.p12" ]; then
      rm -rf "$TLS"; mkdir -p "$TLS"
      "$JAVA_HOME/bin/keytool" -genkeypair -alias mock -keyalg EC -groupname secp256r1 -dname CN=localhost \
        -ext san=ip:127.0.0.1,dns:localhost -validity 3650 -keystore "$TLS/mock.p12" -storetype PKCS12 -storepass benchpw >/dev/null 2>&1
      "$JAVA_HOME/bin/keytool" -exportcert -alias mock -keystore "$TLS/mock.p12" -storepass benchpw -rfc -file "$TLS/mock.crt" >/dev/null 2>&1
      "$JAVA_HOME/bin/keytool" -importcert -noprompt -alias mock -file "$TLS/mock.crt" -keystore "$TLS/trust.p12" \
        -storetype PKCS12 -storepass benchpw >/dev/null 2>&1 || die "keytool could not make the mock's certificate"
    fi
    MOCK_PROPS="-Dbench.tls.keystore=$TLS/mock.p12 -Dbench.tls.password=benchpw -Dbench.h2.streams=$CONC_H2_STREAMS"
    UPSTREAM_SCHEME=https
    GW_TRUST="-Djavax.net.ssl.trustStore=$TLS/trust.p12 -Djavax.net.ssl.trustStorePassword=benchpw -Djavax.net.ssl.trustStoreType=PKCS12"
  fi
  MOCK_PORT=$(free_port 18080)
  start_mock "$MOCK_PORT" "$CONC_CHUNKS" "$CONC_PACE_MS"
  JVM_OPTS=${BENCH_CONC_JVM_OPTS:--Xms256m -Xmx768m -XX:+UseParallelGC}
  # Upstream requests in flight: one per stream, with room to spare.
  start_gateway "$MOCK_PORT" $((CONC_STREAMS + CONC_STREAMS / 5))
  log "concurrency: $CONC_STREAMS streams x $CONC_ROUNDS, $UPSTREAM upstream, $CONC_CHUNKS chunks ${CONC_PACE_MS} ms apart, fd limit $FD_LIMIT"
  # The load generator warms itself and the gateway up first (BENCH_CONC_WARMUP runs, unmeasured,
  # in the same JVM): the JIT compiles the stream path over the first 10-20,000 streams (C2 on the
  # gateway's own core: with 3 runs of 2,000 it still took 3.7 s of the measured run's 12), which a
  # long-running gateway has done long before. The last run is as wide as the measured one, so an
  # HTTP/2 upstream pool has grown to its size (TLS handshakes for new connections otherwise delay
  # the first bytes of all streams waiting for them).
  rm -f "$RESULTS/concurrency.txt" # (else the wait below may read the last run's warm-up lines)
  taskset -c "$LOAD_CORE" "$JAVA" "$(argfile load -Xms256m -Xmx1g -XX:+UseParallelGC -Dbench.warmup="$CONC_WARMUP" \
    -Dbench.csv="$RESULTS/concurrency.csv" -cp "$CP" io.junction.bench.StreamLoad \
    "http://127.0.0.1:$GW_PORT/v1/chat/completions" "$KEY" "$CONC_STREAMS" "$CONC_ROUNDS" "$CONC_RAMP_MS" "$CONC_CHUNKS")" \
    >"$RESULTS/concurrency.txt" 2>"$RESULTS/concurrency.log" &
  LOAD_PID=$!; PIDS+=("$LOAD_PID")
  # Wait for the warm-up runs to be over before measuring.
  for _ in $(seq 1 6000); do
    [ "$(grep -c '^warm-up' "$RESULTS/concurrency.txt" 2>/dev/null)" -ge "$CONC_WARMUP" ] && break
    kill -0 "$LOAD_PID" 2>/dev/null || break
    sleep 0.1
  done
  # While the load runs: the gateway's listen queue (ss: Recv-Q waiting to be accepted, Send-Q the
  # backlog) and open files, at their highest; the kernel's listen-queue drop counters around it.
  SAMPLES=$RESULTS/concurrency-samples.txt
  rm -f "$SAMPLES" "$SAMPLES.stop"
  (
    maxq=0; maxfd=0; backlog=-
    while [ ! -f "$SAMPLES.stop" ] && kill -0 "$GW_PID" 2>/dev/null; do
      read -r q b < <(ss -Hltn "sport = :$GW_PORT" | awk '{ print $2, $3; exit }') || true
      [ -n "${q:-}" ] && { backlog=$b; [ "$q" -gt "$maxq" ] && maxq=$q; }
      fd=$(ls "/proc/$GW_PID/fd" 2>/dev/null | wc -l); [ "$fd" -gt "$maxfd" ] && maxfd=$fd
      echo "$maxq $backlog $maxfd" >"$SAMPLES"
      sleep 0.25
    done
  ) &
  SAMPLER=$!
  tcp_drops() { nstat -az TcpExtListenOverflows TcpExtListenDrops TcpExtTCPReqQFullDrop 2>/dev/null | awk 'NR > 1 { printf "%s ", $2 }'; }
  drops_before=$(tcp_drops)
  before=$(cpu_ticks "$GW_PID")
  ev_before=$(sched_of "$GW_PID" vert.x-eventloo); core1_before=$(sched_of "$MOCK_PID")
  wait "$LOAD_PID" || die "the load generator failed: $(tail -5 "$RESULTS/concurrency.log")"
  after=$(cpu_ticks "$GW_PID")
  ev_after=$(sched_of "$GW_PID" vert.x-eventloo); core1_after=$(sched_of "$MOCK_PID")
  drops_after=$(tcp_drops)
  touch "$SAMPLES.stop"; wait "$SAMPLER" 2>/dev/null || true
  CONC_RSS=$(peak_rss_mb "$GW_PID")
  CONC=$(grep '^streams=' "$RESULTS/concurrency.txt" | tail -1)
  CONC_CPU=$(awk -v b="$before" -v a="$after" -v hz="$CLK_TCK" -v n="$CONC_STREAMS" -v r="$CONC_ROUNDS" -v k="$CONC_CHUNKS" \
    'BEGIN { split(b, x, " "); split(a, y, " "); s = (y[1] + y[2] - x[1] - x[2]) / hz;
             printf "%.1f s (%.0f us per stream, %.1f us per chunk)", s, s * 1e6 / (n * r), s * 1e6 / (n * r * k) }')
  CONC_SCHED=$(awk -v b="$ev_before" -v a="$ev_after" 'BEGIN { split(b, x, " "); split(a, y, " ");
    printf "on a CPU %.1f s, runnable but waiting for one %.1f s", y[1] - x[1], y[2] - x[2] }')
  CONC_CORE1=$(awk -v b="$core1_before" -v a="$core1_after" 'BEGIN { split(b, x, " "); split(a, y, " ");
    printf "on a CPU %.1f s, waiting for one %.1f s", y[1] - x[1], y[2] - x[2] }')
  CONC_DROPS=$(awk -v b="$drops_before" -v a="$drops_after" 'BEGIN { split(b, x, " "); split(a, y, " ");
    printf "ListenOverflows %d, ListenDrops %d, TCPReqQFullDrop %d", y[1] - x[1], y[2] - x[2], y[3] - x[3] }')
  read -r CONC_MAXQ CONC_BACKLOG CONC_MAXFD <"$SAMPLES"
  stop "$GW_PID"; stop "$MOCK_PID"
fi

# ---- report ----

row() { local want="$1 $2 $3 $4" r; for r in "${ROWS[@]}"; do [ "${r% * * * * *}" = "$want" ] && { echo "$r"; return; }; done; return 0; }
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
    if [ "$UPSTREAM" = h2 ]; then up="TLS + HTTP/2, at most $CONC_H2_STREAMS streams per connection"; else up="HTTP/1.1, a connection per stream"; fi
    echo "concurrency: $CONC_STREAMS streams at once (clients: HTTP/1.1, a connection per stream; upstream: $up),"
    echo "$CONC_ROUNDS back to back per lane, lanes started over ${CONC_RAMP_MS} ms; upstream paces $CONC_CHUNKS chunks ${CONC_PACE_MS} ms apart;"
    echo "after $CONC_WARMUP unmeasured warm-up runs through the same gateway (the first and the last:)"
    { grep '^warm-up' "$RESULTS/concurrency.txt" || true; } | sed -n '1p;$p' | sed 's/^/  /'
    grep -v '^warm-up' "$RESULTS/concurrency.txt" | sed 's/^/  /'
    echo "  gateway CPU $CONC_CPU; peak RSS $CONC_RSS MB; open files at most $CONC_MAXFD (gateway JVM: $JVM_OPTS)"
    echo "  gateway event loops: $CONC_SCHED; the mock (core $LOAD_CORE, shared with the load generator): $CONC_CORE1"
    echo "  gateway listen queue: at most $CONC_MAXQ waiting to be accepted (backlog $CONC_BACKLOG); kernel, whole machine: $CONC_DROPS"
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
