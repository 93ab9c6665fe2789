#!/usr/bin/env bash
# Start-up: launch → first served chat completion, against the nginx upstream and a real redis-server, the
# gateway pinned to CPU 0 as in bench/run.sh. Prints each run and the median.
# Usage: bench/startup.sh [runs, default 5] [freeway|portkey, default freeway]
# Other JVM flags: FREEWAY_JAVA_OPTS='...' bench/startup.sh (default: the shipped flags, see bench/lib.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
RUNS=${1:-5}
TARGET=${2:-freeway}
need java redis-server nginx curl python3
[ -f "$JAR" ] || ./mvnw -q -o package -DskipTests
start_redis
start_nginx
write_freeway_config
write_bodies
[ "$TARGET" = portkey ] && install_portkey
echo "# $(date -u +%FT%TZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1);" \
  "JVM flags: ${FREEWAY_JAVA_OPTS:-none}; pinned: ${ON_GATEWAY_CPU:-no}"
measure_startup "$TARGET" "$RUNS"
