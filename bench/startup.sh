#!/usr/bin/env bash
# Start-up of the JVM build: time from launching `java -jar target/quarkus-app/quarkus-run.jar` to its first served
# chat completion, against a local stub upstream and a local redis-server. Prints each run and the median, and
# what the process did on the network before its first request.
# Usage: bench/startup.sh [runs]   (default 5; needs redis-server, redis-cli, curl and python3 on PATH)
# Extra JVM flags: JAVA_OPTS='-XX:TieredStopAtLevel=1' bench/startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
JAR=target/quarkus-app/quarkus-run.jar
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

[ -f "$JAR" ] || ./mvnw -q -DskipTests package
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }

REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
until redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; do sleep 0.05; done

# The stub upstream: an OpenAI-compatible server that answers every chat completion at once and counts requests.
STUB_PORT=$(free_port)
cat >"$WORK/stub.py" <<'PY'
import http.server, json, sys
COUNT = 0
BODY = json.dumps({"id": "chatcmpl-stub", "object": "chat.completion", "created": 1764000000, "model": "stub-model",
                   "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
                   "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6}}).encode()
class Stub(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global COUNT
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        COUNT += 1
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY))); self.end_headers(); self.wfile.write(BODY)
    def do_GET(self):
        body = str(COUNT).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Stub).serve_forever()
PY
python3 "$WORK/stub.py" "$STUB_PORT" &
PIDS+=($!)
until curl -sf "http://127.0.0.1:$STUB_PORT/count" >/dev/null; do sleep 0.05; done

cat >"$WORK/freeway.yaml" <<YAML
freeway:
  providers:
    stub:
      type: openai-compatible
      base-url: http://127.0.0.1:$STUB_PORT/v1
      models:
        stub-model: { context-window: 32768 }
      accounts:
        - { id: bench, api-key: none }
YAML
export FREEWAY_CONFIG="$WORK/freeway.yaml" QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$REDIS_PORT"
REQUEST='{"model":"stub/stub-model","messages":[{"role":"user","content":"Hi"}]}'

connections() { redis-cli -p "$REDIS_PORT" info stats | tr -d '\r' | awk -F: '/^total_connections_received/ {print $2}'; }
upstream_calls() { curl -sf "http://127.0.0.1:$STUB_PORT/count"; }

# What start-up does on the network: connections to Redis and calls upstream before the first request arrives.
PORT=$(free_port)
java ${JAVA_OPTS:-} -Dquarkus.http.port="$PORT" -jar "$JAR" >"$WORK/probe.log" 2>&1 &
PROBE=$!; PIDS+=($PROBE)
before_conn=$(connections); before_up=$(upstream_calls)
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/q/health/live"; do sleep 0.02; done
sleep 1
echo "start-up network: $(( $(connections) - before_conn - 1 )) Redis connection(s), $(( $(upstream_calls) - before_up )) upstream call(s) before the first request"
kill "$PROBE"; wait "$PROBE" 2>/dev/null || true

times=()
firsts=()
started=()
for run in $(seq 1 "$RUNS"); do
  PORT=$(free_port)
  t0=$(now_ms)
  java ${JAVA_OPTS:-} -Dquarkus.http.port="$PORT" -jar "$JAR" >"$WORK/run-$run.log" 2>&1 &
  pid=$!; PIDS+=($pid)
  until curl -sf -o /dev/null "http://127.0.0.1:$PORT/q/health/live" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "run $run: the process died:"; tail -20 "$WORK/run-$run.log"; exit 1; }
    sleep 0.01
  done
  ready=$(now_ms)
  status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$REQUEST" \
    "http://127.0.0.1:$PORT/v1/chat/completions")
  t1=$(now_ms)
  [ "$status" = 200 ] || { echo "run $run: the first completion answered $status"; tail -20 "$WORK/run-$run.log"; exit 1; }
  kill "$pid"; wait "$pid" 2>/dev/null || true
  quarkus=$(grep -o 'started in [0-9.]*s' "$WORK/run-$run.log" | grep -o '[0-9.]*' | head -1)
  times+=($((t1 - t0))); firsts+=($((t1 - ready))); started+=("$quarkus")
  echo "run $run: first completion served $((t1 - t0)) ms after launch (listening after $((ready - t0)) ms," \
    "the first request itself $((t1 - ready)) ms; Quarkus reports started in ${quarkus}s)"
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "median of $RUNS: $(median "${times[@]}") ms from launch to the first served completion" \
  "(first request $(median "${firsts[@]}") ms; Quarkus 'started in' $(median "${started[@]}") s)"
echo "java: $(java -version 2>&1 | head -1); cores: $(nproc); JAVA_OPTS: ${JAVA_OPTS:-none}"
