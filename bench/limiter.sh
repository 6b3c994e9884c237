#!/usr/bin/env bash
# The limiter's cost per request: in memory, and on Redis (one EVALSHA per admission, one per
# settlement). Usage: bench/limiter.sh [redis-url] [seconds] [in-flight]; the Redis URL defaults to
# $JUNCTION_TEST_REDIS_URL (database 13 of it), and without one only the in-memory limiter runs.
# See bench/README.md#limiter.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh >/dev/null
REDIS=${1:-${JUNCTION_TEST_REDIS_URL:+${JUNCTION_TEST_REDIS_URL%/}/13}}
SECONDS_PER_RUN=${2:-10}
IN_FLIGHT=${3:-64}
if [ ! -f target/test-classes/io/junction/bench/LimiterBench.class ] \
    || [ -n "$(find src pom.xml -newer target/test-classes/io/junction/bench/LimiterBench.class -type f -print -quit)" ]; then
  ./mvnw -q -o test-compile >/dev/null || ./mvnw -q test-compile
fi
[ -f target/classpath.txt ] && [ target/classpath.txt -nt pom.xml ] \
  || ./mvnw -q -o dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
exec java -Xmx256m -cp "target/classes:target/test-classes:$(cat target/classpath.txt)" io.junction.bench.LimiterBench \
  "${REDIS:--}" "$SECONDS_PER_RUN" "$IN_FLIGHT" 2>/dev/null
