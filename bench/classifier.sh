#!/usr/bin/env bash
# What the task classifier costs a running gateway: for each classifier, launches the JVM build against a local stub
# upstream and a local redis-server, and reports Quarkus's "started in", the resident memory once started, the time
# of the first `auto` request (the first classification) and the mean of the next ones, and the resident memory after.
# Usage: bench/classifier.sh [requests]   (default 200; needs redis-server, redis-cli, curl and python3 on PATH)
# The embedding classifier needs the jar built with -Pembedding: ./mvnw -Pembedding -DskipTests package
# Classifiers: CLASSIFIERS='heuristic embedding' (default: heuristic, and embedding when the jar carries it).
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${1:-200}
JAR=target/quarkus-app/quarkus-run.jar
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

[ -f "$JAR" ] || ./mvnw -q -DskipTests package
if [ -z "${CLASSIFIERS:-}" ]; then
  CLASSIFIERS=heuristic
  if compgen -G 'target/quarkus-app/lib/main/*all-minilm*' >/dev/null; then CLASSIFIERS="heuristic embedding"; fi
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss_mb() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
until redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; do sleep 0.05; done

# The stub upstream answers every chat completion at once, so the request time is the gateway's own.
STUB_PORT=$(free_port)
cat >"$WORK/stub.py" <<'PY'
import http.server, json, sys
BODY = json.dumps({"id": "chatcmpl-stub", "object": "chat.completion", "created": 1764000000, "model": "stub-model",
                   "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
                   "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6}}).encode()
class Stub(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY))); self.end_headers(); self.wfile.write(BODY)
    def do_GET(self):
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Stub).serve_forever()
PY
python3 "$WORK/stub.py" "$STUB_PORT" &
PIDS+=($!)
until curl -sf "http://127.0.0.1:$STUB_PORT/" >/dev/null; do sleep 0.05; done

# Every task routes to the stub's one model, so `auto` requests are classified and then served.
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
  routing:
    tasks:
      simple: [stub/stub-model]
      coding: [stub/stub-model]
      reasoning: [stub/stub-model]
      creative: [stub/stub-model]
      max_context: [stub/stub-model]
YAML
export FREEWAY_CONFIG="$WORK/freeway.yaml" QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$REDIS_PORT"
PROMPTS=("Write a Python function that merges two sorted lists." "Prove that the square root of 2 is irrational."
  "Write a haiku about autumn rain." "What's the capital of Kenya?" "用JavaScript写一个防抖函数")
request() {
  python3 -c 'import json,sys; print(json.dumps({"model":"auto","messages":[{"role":"user","content":sys.argv[1]}]}))' "$1"
}

for classifier in $CLASSIFIERS; do
  PORT=$(free_port)
  java ${JAVA_OPTS:-} -Dquarkus.http.port="$PORT" -Dfreeway.routing.classifier="$classifier" -jar "$JAR" \
    >"$WORK/$classifier.log" 2>&1 &
  PID=$!; PIDS+=($PID)
  until curl -sf -o /dev/null "http://127.0.0.1:$PORT/q/health/live"; do
    kill -0 "$PID" 2>/dev/null || { echo "$classifier: the gateway did not start:"; tail -20 "$WORK/$classifier.log"; exit 1; }
    sleep 0.05
  done
  started=$(grep -o 'started in [0-9.]*s' "$WORK/$classifier.log" | head -1)
  rss_started=$(rss_mb "$PID")
  first=$(curl -s -o /dev/null -w '%{time_total}' -H 'Content-Type: application/json' \
    -d "$(request "${PROMPTS[0]}")" "http://127.0.0.1:$PORT/v1/chat/completions")
  for i in $(seq 0 4); do request "${PROMPTS[$i]}" >"$WORK/body$i.json"; done
  begin=$(date +%s%N)
  for n in $(seq 1 "$REQUESTS"); do
    curl -s -o /dev/null -H 'Content-Type: application/json' -d @"$WORK/body$((n % 5)).json" \
      "http://127.0.0.1:$PORT/v1/chat/completions"
  done
  mean_ms=$(( ($(date +%s%N) - begin) / REQUESTS / 1000000 ))
  echo "$classifier: $started, resident ${rss_started} MB once started, first auto request ${first}s," \
    "then ${mean_ms} ms per request (curl round trip, ${REQUESTS} requests), resident $(rss_mb "$PID") MB after"
  kill "$PID"; wait "$PID" 2>/dev/null || true
done
