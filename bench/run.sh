#!/usr/bin/env bash
# The gateway benchmark: the same chat completions sent straight to an nginx upstream and through Freeway (the
# packaged jar with the shipped JVM flags, every request reserved and settled in a real redis-server), and with
# --peer portkey through @portkey-ai/gateway in the same run. Loopback only; every process it starts is stopped when
# it ends. See bench/README.md.
#
# Usage: bench/run.sh [--seconds N] [--peer portkey] [--startup-runs N] [--soak-seconds N]
#   --seconds N        length of each measured run of the grid (default 10; each follows a 3 s unrecorded warm-up)
#   --peer portkey     also measure Portkey (npm-installed into a temporary folder)
#   --startup-runs N   launches for the start-up median (default 5; 0 skips)
#   --soak-seconds N   the run at 64 connections after which RSS is read (default 60)
# Environment: FREEWAY_JAVA_OPTS (default: the shipped flags in bench/lib.sh), PIN=0 (no CPU pinning),
#   BENCH_BUILD=1 (rebuild the jar first).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

SECONDS_PER_RUN=10
PEER=""
STARTUP_RUNS=5
SOAK_SECONDS=60
WARMUP_SECONDS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER_RUN=$2; shift 2 ;;
    --peer) PEER=$2; shift 2 ;;
    --startup-runs) STARTUP_RUNS=$2; shift 2 ;;
    --soak-seconds) SOAK_SECONDS=$2; shift 2 ;;
    *) echo "unknown option $1 (see the head of bench/run.sh)" >&2; exit 2 ;;
  esac
done
[ -z "$PEER" ] || [ "$PEER" = portkey ] || { echo "--peer knows only portkey" >&2; exit 2; }

need java wrk nginx redis-server redis-cli curl python3 awk
if [ "${BENCH_BUILD:-0}" = 1 ] || [ ! -f "$JAR" ]; then
  ./mvnw -o -q package -DskipTests
fi
start_redis
start_nginx
write_freeway_config
write_bodies
[ -n "$PEER" ] && install_portkey
RESULTS="$WORK/results.txt"
: > "$RESULTS"

echo "# $(date -u +%FT%TZ) $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load average" \
  "$(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1); $(redis-server --version | cut -d' ' -f1-3);" \
  "$(nginx -v 2>&1); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
echo "# Freeway JVM flags: ${FREEWAY_JAVA_OPTS:-none}; pinned: gateway ${ON_GATEWAY_CPU:-no}, load ${ON_LOAD_CPU:-no}"

url_of() { # target mode port
  case "$1" in
    direct) echo "http://127.0.0.1:$STUB_PORT/$2/v1/chat/completions" ;;
    *) echo "http://127.0.0.1:$3/v1/chat/completions" ;;
  esac
}
headers_of() { [ "$1" = portkey ] && portkey_headers "$2" || echo ""; }

# One measured cell: warm-up, then the run with the gateway's CPU time read before and after.
cell() { # target mode connections seconds pid port label
  local target=$1 mode=$2 c=$3 seconds=$4 pid=$5 port=$6 label=$7 url headers before after line cpu
  url=$(url_of "$target" "$mode" "$port")
  headers=$(headers_of "$target" "$mode")
  wrk_run "$url" "$WORK/$target-$mode.json" "$headers" "$c" "$WARMUP_SECONDS" > /dev/null
  [ -n "$pid" ] && before=$(cpu_ms "$pid")
  line=$(wrk_run "$url" "$WORK/$target-$mode.json" "$headers" "$c" "$seconds")
  cpu=""
  if [ -n "$pid" ]; then
    after=$(cpu_ms "$pid")
    cpu=$(awk -v a="$after" -v b="$before" -v n="$(field "$line" requests)" 'BEGIN {printf "%.3f", (a - b) / n}')
    line="$line cpu_ms_per_request=$cpu rss_mb=$(rss_mb "$pid")"
  fi
  echo "$label $line" | tee -a "$RESULTS"
}

# Launch, first completion, warm-up curve (req/s per 5 s window at 1 connection from the first completion on),
# then the grid and the soak, for one gateway.
gateway() { # target
  local target=$1 port t0 first windows=() w line pid
  port=$(free_port)
  t0=$(now_ms)
  if [ "$target" = freeway ]; then launch_freeway "$port" "$WORK/$target.log"; else launch_portkey "$port" "$WORK/$target.log"; fi
  pid=$LAUNCHED_PID
  first=$(first_completion "$t0" "$(url_of "$target" json "$port")" "$WORK/$target-json.json" \
    "$(headers_of "$target" json)" 60) || { tail -20 "$WORK/$target.log" >&2; exit 1; }
  for w in 1 2 3 4 5 6; do
    line=$(wrk_run "$(url_of "$target" json "$port")" "$WORK/$target-json.json" "$(headers_of "$target" json)" 1 5)
    windows+=("$(printf '%.0f' "$(field "$line" rps)")")
  done
  echo "warmup-$target first_completion_ms=$first rps_per_5s=$(IFS=,; echo "${windows[*]}")" | tee -a "$RESULTS"
  for c in 1 16 64; do
    for mode in json stream; do
      # the direct call right before, so both see the same machine (other builds come and go)
      cell direct "$mode" "$c" "$SECONDS_PER_RUN" "" "" "direct-for-$target-$mode-c$c"
      cell "$target" "$mode" "$c" "$SECONDS_PER_RUN" "$pid" "$port" "$target-$mode-c$c"
    done
  done
  local before after soak
  before=$(cpu_ms "$pid")
  soak=$(wrk_run "$(url_of "$target" json "$port")" "$WORK/$target-json.json" "$(headers_of "$target" json)" 64 "$SOAK_SECONDS")
  after=$(cpu_ms "$pid")
  echo "soak-$target $soak cpu_ms_per_request=$(awk -v a="$after" -v b="$before" -v n="$(field "$soak" requests)" \
    'BEGIN {printf "%.3f", (a - b) / n}') rss_mb=$(rss_mb "$pid") peak_rss_mb=$(peak_rss_mb "$pid")" | tee -a "$RESULTS"
  if [ "$target" = freeway ]; then redis_round_trips "$port"; fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

# Redis commands per request through Freeway: MONITOR over 200 requests, one at a time. Top-level commands are round
# trips; "[0 lua]" lines ran inside a script.
redis_round_trips() { # port
  local mode top names
  for mode in json stream; do
    timeout 120 redis-cli -p "$REDIS_PORT" MONITOR > "$WORK/monitor-$mode.txt" &
    local monitor=$!
    sleep 0.5
    for _ in $(seq 200); do
      curl -s -o /dev/null -H 'Content-Type: application/json' --data-binary @"$WORK/freeway-$mode.json" \
        "http://127.0.0.1:$1/v1/chat/completions"
    done
    sleep 0.5
    kill "$monitor" 2>/dev/null || true; wait "$monitor" 2>/dev/null || true
    top=$(grep -v '\[0 lua\]' "$WORK/monitor-$mode.txt" | grep -c '^[0-9]' || true)
    names=$(grep -v '\[0 lua\]' "$WORK/monitor-$mode.txt" | awk '/^[0-9]/ {print tolower($4)}' | tr -d '"' | sort \
      | uniq -c | awk '{printf "%s:%.2f,", $2, $1/200}')
    echo "redis-$mode round_trips_per_request=$(awk -v t="$top" 'BEGIN {printf "%.2f", t / 200}') commands=${names%,}" \
      | tee -a "$RESULTS"
  done
}

gateway freeway
[ -n "$PEER" ] && gateway "$PEER"
if [ "$STARTUP_RUNS" -gt 0 ]; then
  for target in freeway $PEER; do
    measure_startup "$target" "$STARTUP_RUNS" | tee -a "$RESULTS"
  done
fi
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
# wrk closes its connections at the end of each run with requests in flight: those are not errors of the gateway.
if grep " ERROR " "$WORK/freeway.log" | grep -vq "HttpClosedException"; then
  echo "# Freeway logged errors:"; grep " ERROR " "$WORK/freeway.log" | grep -v "HttpClosedException" | head -5
fi
cp "$RESULTS" "${BENCH_RESULTS:-/dev/null}" 2>/dev/null || true
python3 bench/table.py < "$RESULTS"
