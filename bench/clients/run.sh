#!/usr/bin/env bash
# Upstream clients side by side (see ClientBench.java): the JDK HttpClient as Freeway uses it today, the same with a
# direct executor, the Vert.x core HTTP client, Vert.x WebClient and RESTEasy Reactive's client (what the Quarkus
# REST Client is built on); each from blocking worker threads and from its event loop; plain and streamed; 1 and 64
# calls in flight; against the nginx upstream of bench/run.sh. The program on CPU 0, nginx on CPU 1.
# Usage: bench/clients/run.sh [seconds per run, default 8] [repeats, default 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
SECONDS_PER_RUN=${1:-8}
REPEATS=${2:-3}
need java nginx curl python3
(cd bench/clients && ../../mvnw -q package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
CP="bench/clients/target/client-bench-0.1.0-SNAPSHOT.jar:$(cat bench/clients/target/classpath.txt)"
start_nginx
write_bodies
echo "# $(date -u +%FT%TZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)"
RESULTS="$WORK/clients.txt"
for repeat in $(seq "$REPEATS"); do
  for c in 1 64; do
    for mode in json stream; do
      for variant in "jdk worker" "jdk-direct worker" "jdk loop" "vertx worker" "vertx loop" "webclient worker" \
                     "webclient loop" "rest worker" "rest loop"; do
        set -- $variant
        $ON_GATEWAY_CPU timeout $(( SECONDS_PER_RUN * 2 + 60 )) java ${CLIENT_JAVA_OPTS:--XX:+UseSerialGC -Xmx128m} -cp "$CP" ClientBench \
          "$1" "$2" "$mode" "$c" "$SECONDS_PER_RUN" "http://127.0.0.1:$STUB_PORT" "$WORK/direct-$mode.json" 2>&1 \
          | grep '^RESULT' | sed "s/^RESULT /repeat=$repeat /" | tee -a "$RESULTS" \
          || echo "repeat=$repeat client=$1 way=$2 mode=$mode c=$c failed"
      done
    done
  done
done
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 bench/clients/summary.py < "$RESULTS"
