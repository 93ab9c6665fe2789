#!/usr/bin/env bash
# Where Freeway's time goes: async-profiler (CPU samples, every thread, 1 ms) over start-up (launch → first served
# completion), then over plain and streamed load at 1 and 64 connections, in the same setup as bench/run.sh (gateway
# pinned to CPU 0; wrk, nginx and Redis on CPU 1; every request reserved and settled in Redis).
# Usage: bench/profile.sh [seconds per load profile, default 20]
# Needs what bench/run.sh needs, and jcmd (the JDK). async-profiler 3.0 comes from Maven Central
# (tools.profiler:async-profiler, which carries libasyncProfiler.so) through ./mvnw dependency:get.
# Writes target/profile/<phase>.collapsed (flame-graph input: thread;frames... count) and <phase>.txt (the top
# frames by own time), and prints bench/profile_summary.py's breakdown of each phase.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SECONDS_PER_PROFILE=${1:-20}
OUT=target/profile
AP_VERSION=3.0
need java jcmd wrk nginx redis-server curl python3 unzip
[ -f "$JAR" ] || ./mvnw -q -o package -DskipTests
AP_JAR="$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar"
[ -f "$AP_JAR" ] || ./mvnw -q dependency:get -Dartifact=tools.profiler:async-profiler:$AP_VERSION -Dtransitive=false
unzip -q -o "$AP_JAR" 'linux-x64/*' -d "$WORK/ap"
AP="$WORK/ap/linux-x64/libasyncProfiler.so"
mkdir -p "$OUT"

start_redis
start_nginx
write_freeway_config
write_bodies

# jcmd parses name=value words itself: the agent's options go as one quoted word.
profiler() { jcmd "$PID" JVMTI.agent_load "$AP" "\"$1\"" > /dev/null; }
dump() { # phase
  profiler "stop,file=$PWD/$OUT/$1.collapsed,collapsed,threads"
  python3 bench/profile_summary.py "$OUT/$1.collapsed" | tee "$OUT/$1.txt"
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg);" \
  "JVM flags: ${FREEWAY_JAVA_OPTS:-none}; pinned: ${ON_GATEWAY_CPU:-no}"
PORT=$(free_port)
SAVED_OPTS=$FREEWAY_JAVA_OPTS
FREEWAY_JAVA_OPTS="$FREEWAY_JAVA_OPTS -agentpath:$AP=start,event=cpu,interval=1ms,threads"
t0=$(now_ms)
launch_freeway "$PORT" "$WORK/freeway.log"
PID=$LAUNCHED_PID
FREEWAY_JAVA_OPTS=$SAVED_OPTS
URL="http://127.0.0.1:$PORT/v1/chat/completions"
ms=$(first_completion "$t0" "$URL" "$WORK/freeway-json.json" "" 60)
echo "## start-up: first completion $ms ms after launch"
dump startup

for c in 1 64; do
  for mode in json stream; do
    # unprofiled warm-up first, so the profile shows the steady state, not the JIT compiling it
    wrk_run "$URL" "$WORK/freeway-$mode.json" "" "$c" 10 > /dev/null
    profiler "start,event=cpu,interval=1ms,threads"
    line=$(wrk_run "$URL" "$WORK/freeway-$mode.json" "" "$c" "$SECONDS_PER_PROFILE")
    echo "## $mode at $c connection(s): $line"
    dump "$mode-c$c"
  done
done
