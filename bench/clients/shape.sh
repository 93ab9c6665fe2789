#!/usr/bin/env bash
# The shape of a Freeway request without Freeway (ShapeBench.java): reserve in Redis, upstream call, settle, answer,
# served from a worker thread (Freeway's way today) and on the event loop, beside a direct call to the same nginx
# and Freeway itself, in one run; plain answers; the server on CPU 0; wrk, nginx and Redis on CPU 1.
# Usage: bench/clients/shape.sh [seconds per cell, default 10]
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
SECONDS_PER_CELL=${1:-10}
need java nginx redis-server wrk curl
[ -f "$JAR" ] || ./mvnw -q -o package -DskipTests
(cd bench/clients && ../../mvnw -q -o package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
CP="bench/clients/target/client-bench-0.1.0-SNAPSHOT.jar:$(cat bench/clients/target/classpath.txt)"
start_redis
start_nginx
write_freeway_config
write_bodies
echo "# $(date -u +%FT%TZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1);" \
  "JVM flags: $SHIPPED_JAVA_OPTS"

cells() { # name pid url body
  local c line before after
  for c in 1 16 64; do
    wrk_run "$3" "$4" "" "$c" 5 > /dev/null # warm-up
    before=$([ "$2" = - ] && echo 0 || cpu_ms "$2")
    line=$(wrk_run "$3" "$4" "" "$c" "$SECONDS_PER_CELL")
    after=$([ "$2" = - ] && echo 0 || cpu_ms "$2")
    echo "SHAPE way=$1 c=$c $line cpu_ms_per_request=$(awk -v a="$after" -v b="$before" -v n="$(field "$line" requests)" \
      'BEGIN {printf "%.3f", (a - b) / n}')"
  done
}

cells direct - "http://127.0.0.1:$STUB_PORT/json/v1/chat/completions" "$WORK/direct-json.json"
for way in worker loop; do
  port=$(free_port)
  # shellcheck disable=SC2086 # the shipped flags are a list
  $ON_GATEWAY_CPU timeout 3600 java $SHIPPED_JAVA_OPTS -cp "$CP" ShapeBench "$way" "$port" \
    "http://127.0.0.1:$STUB_PORT/json" "$REDIS_PORT" > "$WORK/shape-$way.log" 2>&1 &
  PIDS+=($!)
  pid=$(child_of $!)
  first_completion "$(now_ms)" "http://127.0.0.1:$port/v1/chat/completions" "$WORK/direct-json.json" "" 60 > /dev/null
  cells "$way" "$pid" "http://127.0.0.1:$port/v1/chat/completions" "$WORK/direct-json.json"
  kill "$pid"
done
port=$(free_port)
launch_freeway "$port" "$WORK/freeway.log"
first_completion "$(now_ms)" "http://127.0.0.1:$port/v1/chat/completions" "$WORK/freeway-json.json" "" 60 > /dev/null
cells freeway "$LAUNCHED_PID" "http://127.0.0.1:$port/v1/chat/completions" "$WORK/freeway-json.json"
kill "$LAUNCHED_PID"
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
