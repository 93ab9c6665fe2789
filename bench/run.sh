#!/usr/bin/env bash
# Gateway overhead: the same chat completion requests sent straight to a stub upstream and through Freeway (the
# packaged jar, counting in a real redis-server), on loopback only; latency, time to first byte and throughput,
# plus the Redis commands each request costs. Every process it starts is stopped when it ends.
#
# Usage: bench/run.sh [seconds per measured run, default 15]
# Needs: JDK 17+, redis-server and redis-cli on PATH (apt-get install redis-server). Builds the jar if missing
# (BENCH_BUILD=1 rebuilds it).
set -euo pipefail
cd "$(dirname "$0")/.."
RUN_SECONDS=${1:-15}
MAX_REQUESTS=200000
WARMUP=1000
WORK=$(mktemp -d)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  local port
  for _ in $(seq 50); do
    port=$(( (RANDOM % 20000) + 30000 ))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port found" >&2; exit 1
}

wait_for() { # file, text, seconds
  for _ in $(seq $(( $3 * 10 ))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1:" >&2; tail -20 "$1" >&2; exit 1
}

for tool in java javac redis-server redis-cli; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (redis: apt-get install redis-server)" >&2; exit 1; }
done
if [ "${BENCH_BUILD:-0}" = 1 ] || [ ! -f target/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -o -q package -DskipTests
fi
javac -d "$WORK/classes" bench/gateway/StubUpstream.java bench/gateway/LoadClient.java

REDIS_PORT=$(free_port)
timeout 3600 redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no > "$WORK/redis.log" 2>&1 &
PIDS+=($!)
wait_for "$WORK/redis.log" "Ready to accept connections" 20
REDIS="redis-cli -p $REDIS_PORT"

timeout 3600 java -cp "$WORK/classes" StubUpstream 0 > "$WORK/stub.log" 2>&1 &
PIDS+=($!)
wait_for "$WORK/stub.log" "listening on" 20
STUB_PORT=$(awk '/listening on/ {print $3}' "$WORK/stub.log")

cat > "$WORK/freeway.yaml" <<YAML
freeway:
  providers:
    stub:
      type: openai-compatible
      base-url: http://127.0.0.1:$STUB_PORT/v1
      models:
        bench-model:
          context-window: 131072
          strengths: [simple, coding, reasoning, creative]
      accounts:
        - id: bench
          api-key: none
          # a free tier's usual three rules, set high enough never to deny: every one is still counted
          limits:
            - {metric: requests, window: minute, limit: 1000000000}
            - {metric: requests, window: day, limit: 1000000000}
            - {metric: tokens, window: minute, limit: 1000000000000}
YAML
FREEWAY_PORT=$(free_port)
FREEWAY_CONFIG="$WORK/freeway.yaml" timeout 3600 java -Xmx512m -Dquarkus.http.host=127.0.0.1 \
  -Dquarkus.http.port="$FREEWAY_PORT" -Dquarkus.redis.hosts="redis://127.0.0.1:$REDIS_PORT" \
  -Dfreeway.quota.embedded-redis=false -jar target/quarkus-app/quarkus-run.jar > "$WORK/freeway.log" 2>&1 &
PIDS+=($!)
wait_for "$WORK/freeway.log" "Listening on" 60

DIRECT="http://127.0.0.1:$STUB_PORT/v1/chat/completions"
GATEWAY="http://127.0.0.1:$FREEWAY_PORT/v1/chat/completions"
echo '{"model":"bench-model","messages":[{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":64}' > "$WORK/json.json"
echo '{"model":"bench-model","stream":true,"messages":[{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":64}' > "$WORK/stream.json"
load() { java -cp "$WORK/classes" LoadClient "$@"; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a - b}'; }

echo "# $(date -u +%FT%TZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
  "$(java -version 2>&1 | head -1), $(redis-server --version | cut -d' ' -f1-3)"
echo "# warming Freeway up (JIT): 5000 + 2000 requests"
load "$GATEWAY" "$WORK/json.json" 8 5000 120 warmup-json >/dev/null
load "$GATEWAY" "$WORK/stream.json" 8 2000 120 warmup-stream >/dev/null

: > "$WORK/results.txt"
for concurrency in 1 16; do
  for mode in json stream; do
    for target in direct gateway; do
      url=$DIRECT; [ "$target" = gateway ] && url=$GATEWAY
      load "$url" "$WORK/$mode.json" "$concurrency" "$MAX_REQUESTS" "$RUN_SECONDS" "$target-$mode-c$concurrency" "$WARMUP" \
        | tee -a "$WORK/results.txt"
    done
  done
done

echo "# load average after the measured runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# Redis: commands per request through Freeway (1000 requests each, one at a time)"
for mode in json stream; do
  $REDIS CONFIG RESETSTAT >/dev/null
  load "$GATEWAY" "$WORK/$mode.json" 1 1000 120 "redis-$mode" >/dev/null
  $REDIS INFO commandstats | tr -d '\r' > "$WORK/commandstats-$mode.txt"
  timeout 120 $REDIS MONITOR > "$WORK/monitor-$mode.txt" &
  monitor=$!
  sleep 0.5
  load "$GATEWAY" "$WORK/$mode.json" 1 200 60 "monitor-$mode" >/dev/null
  sleep 0.5
  kill "$monitor" 2>/dev/null || true
  wait "$monitor" 2>/dev/null || true
  # Top-level commands are round trips; "[0 lua]" lines ran inside a script. Background calls (none expected) count too.
  top=$(grep -v '\[0 lua\]' "$WORK/monitor-$mode.txt" | grep -c '^[0-9]' || true)
  names=$(grep -v '\[0 lua\]' "$WORK/monitor-$mode.txt" | awk '/^[0-9]/ {print tolower($4)}' | tr -d '"' | sort | uniq -c \
    | awk '{printf "%s %.2f, ", $2, $1/200}')
  inside=$(awk -F'[:=,]' '/^cmdstat_/ && $1 !~ /cmdstat_(evalsha|eval|config|info|monitor)$/ {s += $3} END {print s/1000}' \
    "$WORK/commandstats-$mode.txt")
  printf 'redis-%s round_trips_per_request=%.2f (%s) commands_inside_scripts_per_request=%s\n' \
    "$mode" "$(awk -v t="$top" 'BEGIN {print t / 200}')" "${names%, }" "$inside" | tee -a "$WORK/results.txt"
done

echo
echo "| run | direct p50 / p90 / p99 ms | through Freeway p50 / p90 / p99 ms | overhead p50 / p90 / p99 ms | direct req/s | Freeway req/s |"
echo "| --- | --- | --- | --- | --- | --- |"
for concurrency in 1 16; do
  for mode in json stream; do
    for metric in total ttfb; do
      [ "$mode" = json ] && [ "$metric" = ttfb ] && continue
      d=$(grep "^direct-$mode-c$concurrency " "$WORK/results.txt")
      g=$(grep "^gateway-$mode-c$concurrency " "$WORK/results.txt")
      field() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'; }
      row="$mode, $concurrency client(s)"
      [ "$mode" = stream ] && row="$row, $( [ "$metric" = ttfb ] && echo "first byte" || echo "whole stream")"
      printf '| %s | %s / %s / %s | %s / %s / %s | %s / %s / %s | %s | %s |\n' "$row" \
        "$(field "$d" ${metric}_p50)" "$(field "$d" ${metric}_p90)" "$(field "$d" ${metric}_p99)" \
        "$(field "$g" ${metric}_p50)" "$(field "$g" ${metric}_p90)" "$(field "$g" ${metric}_p99)" \
        "$(minus "$(field "$g" ${metric}_p50)" "$(field "$d" ${metric}_p50)")" \
        "$(minus "$(field "$g" ${metric}_p90)" "$(field "$d" ${metric}_p90)")" \
        "$(minus "$(field "$g" ${metric}_p99)" "$(field "$d" ${metric}_p99)")" \
        "$(field "$d" rps)" "$(field "$g" rps)"
    done
  done
done
if grep -q "ERROR" "$WORK/freeway.log"; then
  echo "# Freeway logged errors:"; grep "ERROR" "$WORK/freeway.log" | head -5
fi
