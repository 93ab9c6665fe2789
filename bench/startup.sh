#!/usr/bin/env bash
# Start-up: launch → first served chat completion, against the nginx upstream and a real redis-server, the
# gateway pinned to CPU 0 as in bench/run.sh. Prints each run and the median.
# Usage: bench/startup.sh [runs, default 5] [freeway|freeway-archive|portkey, default freeway]
# freeway-archive: as the container image starts (deployment/knative/Dockerfile.jvm): packaged as aot-jar (this
# rebuilds target/quarkus-app so), the start-up archive made by deployment/start-up-archive.sh, then started with it.
# Other JVM flags: FREEWAY_JAVA_OPTS='...' bench/startup.sh (default: the shipped flags, see bench/lib.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
RUNS=${1:-5}
TARGET=${2:-freeway}
need java redis-server nginx curl python3
if [ "$TARGET" = freeway-archive ]; then
  ./mvnw -q -o package -DskipTests -Dquarkus.package.jar.type=aot-jar
  JAVA_TOOL_OPTIONS="$FREEWAY_JAVA_OPTS" deployment/start-up-archive.sh "$APP_DIR"
  archive=$(cd "$APP_DIR" && pwd)/app.jsa
  [ -f "${archive%.jsa}.aot" ] && archive=${archive%.jsa}.aot
  case "$archive" in
    *.aot) FREEWAY_JAVA_OPTS="$FREEWAY_JAVA_OPTS -XX:AOTCache=$archive" ;;
    *) FREEWAY_JAVA_OPTS="$FREEWAY_JAVA_OPTS -XX:SharedArchiveFile=$archive" ;;
  esac
  TARGET=freeway
  echo "# target/quarkus-app is now an aot-jar package; ./mvnw package makes the default fast-jar again"
fi
[ -f "$JAR" ] || ./mvnw -q -o package -DskipTests
start_redis
start_nginx
write_freeway_config
write_bodies
[ "$TARGET" = portkey ] && install_portkey
echo "# $(date -u +%FT%TZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1);" \
  "JVM flags: ${FREEWAY_JAVA_OPTS:-none}; pinned: ${ON_GATEWAY_CPU:-no}"
measure_startup "$TARGET" "$RUNS"
