# Shared by bench/run.sh and bench/startup.sh (sourced, not run). Everything listens on 127.0.0.1 only; every
# process started here is recorded in PIDS and stopped by bench_cleanup when the sourcing script exits.
#
# Placement on a machine with 2 or more cores (PIN=0 turns it off): the gateway under test on CPU 0; the load
# generator, the nginx upstream and redis-server on CPU 1, so the gateway's CPU figures are its own.

# The JVM flags of the README's run command, the Dockerfile, the Knative service and the Lambda template
# (DeploymentArtifactsTest keeps them the same). FREEWAY_JAVA_OPTS overrides them for a measurement ('' for none).
SHIPPED_JAVA_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms64m -Xmx256m -Xmn16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20"
FREEWAY_JAVA_OPTS=${FREEWAY_JAVA_OPTS-$SHIPPED_JAVA_OPTS}
JAR=target/quarkus-app/quarkus-run.jar
# Freeway runs from its application folder, as the README and the Dockerfile run it: the AppCDS archive Quarkus
# writes there (app-cds.jsa) names the jar by that relative path.
# FREEWAY_APP_DIR measures another build (an older commit's target/quarkus-app, for a before/after).
APP_DIR=${FREEWAY_APP_DIR:-target/quarkus-app}
CLK_TCK=$(getconf CLK_TCK)
PIDS=()
WORK=$(mktemp -d)

bench_cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap bench_cleanup EXIT

if [ "${PIN:-1}" = 1 ] && [ "$(nproc)" -ge 2 ]; then
  ON_GATEWAY_CPU="taskset -c 0"
  ON_LOAD_CPU="taskset -c 1"
else
  ON_GATEWAY_CPU=""
  ON_LOAD_CPU=""
fi

need() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install wrk nginx-light redis-server curl)" >&2; exit 1; }
  done
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

now_ms() { date +%s%3N; }

wait_for() { # file, text, seconds
  for _ in $(seq $(( $3 * 20 ))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done
  echo "timed out waiting for '$2' in $1:" >&2; tail -20 "$1" >&2; exit 1
}

# A redis-server without persistence: REDIS_PORT.
start_redis() {
  REDIS_PORT=$(free_port)
  $ON_LOAD_CPU timeout 3600 redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    > "$WORK/redis.log" 2>&1 &
  PIDS+=($!)
  wait_for "$WORK/redis.log" "Ready to accept connections" 20
}

# The upstream: nginx answering at once from memory, a chat completion at /json/v1/chat/completions and a whole SSE
# stream (role chunk, five content chunks, finish, usage, [DONE]) at /stream/v1/chat/completions: STUB_PORT.
start_nginx() {
  STUB_PORT=$(free_port)
  local completion stream head piece
  completion='{"id":"chatcmpl-stub","object":"chat.completion","created":1764000000,"model":"bench-model","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! This is a fixed answer from the benchmark stub."},"finish_reason":"stop"}],"usage":{"prompt_tokens":16,"completion_tokens":12,"total_tokens":28}}'
  head='{"id":"chatcmpl-stub","object":"chat.completion.chunk","created":1764000000,"model":"bench-model","choices":'
  stream="data: $head[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
  for piece in "Hello! " "This is " "a fixed " "streamed " "answer."; do
    stream+="data: $head[{\"index\":0,\"delta\":{\"content\":\"$piece\"},\"finish_reason\":null}]}\n\n"
  done
  stream+="data: $head[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
  stream+="data: $head[],\"usage\":{\"prompt_tokens\":16,\"completion_tokens\":12,\"total_tokens\":28}}\n\n"
  stream+='data: [DONE]\n\n'
  mkdir -p "$WORK/nginx/logs"
  cat > "$WORK/nginx/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  server {
    listen 127.0.0.1:$STUB_PORT;
    location = /json/v1/chat/completions { default_type application/json; return 200 '$completion'; }
    location = /stream/v1/chat/completions { default_type text/event-stream; return 200 '$stream'; }
  }
}
NGINX
  $ON_LOAD_CPU timeout 3600 nginx -p "$WORK/nginx" -e "$WORK/nginx/logs/error.log" -c "$WORK/nginx/nginx.conf" &
  PIDS+=($!)
  for _ in $(seq 100); do
    curl -sf -o /dev/null -X POST "http://127.0.0.1:$STUB_PORT/json/v1/chat/completions" && return 0
    sleep 0.05
  done
  echo "nginx did not start:" >&2; cat "$WORK/nginx/logs/error.log" >&2; exit 1
}

# One provider per upstream path, each with one account and a free tier's usual three rules set high enough never to
# deny: every request is still reserved, counted and settled in Redis.
write_freeway_config() {
  local name
  {
    echo "freeway:"
    echo "  providers:"
    for name in json stream; do
      cat <<YAML
    stub-$name:
      type: openai-compatible
      base-url: http://127.0.0.1:$STUB_PORT/$name/v1
      models:
        bench-model:
          context-window: 131072
          strengths: [simple, coding, reasoning, creative]
      accounts:
        - id: bench-$name
          api-key: none
          limits:
            - {metric: requests, window: minute, limit: 1000000000}
            - {metric: requests, window: day, limit: 1000000000}
            - {metric: tokens, window: minute, limit: 1000000000000}
YAML
    done
  } > "$WORK/freeway.yaml"
}

# Launches Freeway (the packaged jar, pinned) on port $1, logging to $2: LAUNCHED_PID.
launch_freeway() {
  # shellcheck disable=SC2086 # FREEWAY_JAVA_OPTS is a list of flags
  FREEWAY_CONFIG="$WORK/freeway.yaml" QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$REDIS_PORT" \
    $ON_GATEWAY_CPU timeout 3600 env -C "$APP_DIR" java $FREEWAY_JAVA_OPTS -Dquarkus.http.host=127.0.0.1 \
    -Dquarkus.http.port="$1" -jar "$(cd "$APP_DIR" && pwd)/quarkus-run.jar" > "$2" 2>&1 &
  PIDS+=($!)
  LAUNCHED_PID=$(child_of $!)
}

# The process that `timeout` started: the one whose CPU time and memory are read (stopping it ends `timeout` too).
child_of() {
  local child
  for _ in $(seq 200); do
    child=$(pgrep -P "$1" | head -1 || true)
    [ -n "$child" ] && { echo "$child"; return; }
    sleep 0.005
  done
  echo "$1"
}

# Installs @portkey-ai/gateway into a temporary folder (never into the repository): PORTKEY_SERVER.
install_portkey() {
  need node npm
  local dir="$WORK/portkey"
  mkdir -p "$dir"
  (cd "$dir" && npm install --no-audit --no-fund --silent "@portkey-ai/gateway@${PORTKEY_VERSION:-1.15.2}" >/dev/null)
  PORTKEY_SERVER="$dir/node_modules/@portkey-ai/gateway/build/start-server.js"
  [ -f "$PORTKEY_SERVER" ] || { echo "Portkey did not install" >&2; exit 1; }
}

# Launches Portkey (pinned) on port $1, logging to $2: LAUNCHED_PID. It reaches an OpenAI-compatible upstream
# through the request headers PORTKEY_HEADERS_<json|stream> (provider openai, a custom host; loopback is trusted).
launch_portkey() {
  NODE_ENV=production $ON_GATEWAY_CPU timeout 3600 node "$PORTKEY_SERVER" --port="$1" --headless > "$2" 2>&1 &
  PIDS+=($!)
  LAUNCHED_PID=$(child_of $!)
}
portkey_headers() { # json|stream
  echo "x-portkey-provider: openai|x-portkey-custom-host: http://127.0.0.1:$STUB_PORT/$1/v1|Authorization: Bearer bench"
}

# The request bodies: $WORK/<target>-<mode>.json, the model named as each target addresses it.
write_bodies() {
  local mode stream model
  for mode in json stream; do
    stream=false; [ "$mode" = stream ] && stream=true
    for model in "direct bench-model" "freeway stub-$mode/bench-model" "portkey bench-model"; do
      set -- $model
      printf '{"model":"%s","stream":%s,"messages":[{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":64}\n' \
        "$2" "$stream" > "$WORK/$1-$mode.json"
    done
  done
}

# Polls with one request after another until a chat completion answers 200: prints ms since $1 (epoch ms), or
# fails after $5 seconds. $2 URL, $3 body file, $4 headers ("Name: value|...").
first_completion() {
  local started=$1 url=$2 body=$3 headers=$4 until=$(( $(now_ms) + $5 * 1000 )) args=() header
  IFS='|' read -ra parts <<< "$headers"
  for header in "${parts[@]}"; do [ -n "$header" ] && args+=(-H "$header"); done
  while [ "$(now_ms)" -lt "$until" ]; do
    if [ "$($ON_LOAD_CPU curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' "${args[@]}" \
      --data-binary @"$body" "$url" 2>/dev/null)" = 200 ]; then
      echo $(( $(now_ms) - started ))
      return 0
    fi
    sleep 0.01
  done
  echo "no completion from $url within $5 s" >&2
  return 1
}

# CPU time (user + system, all threads) of a process in milliseconds.
cpu_ms() { awk -v tck="$CLK_TCK" '{print ($14 + $15) * 1000 / tck}' "/proc/$1/stat"; }
# Resident set and its peak in MB.
rss_mb() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
peak_rss_mb() { awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

# One closed-loop wrk run: $1 URL, $2 body file, $3 headers, $4 connections, $5 seconds. Prints the RESULT line.
wrk_run() {
  BENCH_BODY=$2 BENCH_HEADERS=$3 $ON_LOAD_CPU timeout $(( $5 + 30 )) wrk -t1 -c"$4" -d"$5"s --timeout 10s \
    -s bench/wrk/chat.lua "$1" | grep '^RESULT' | sed 's/^RESULT //'
}

field() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# Launch → first served completion, $2 times, for target $1 (freeway|portkey): one line per run, then
# "STARTUP target median=<ms> runs=<ms,...>". Redis keeps its cached scripts between runs, as a long-lived one would.
measure_startup() {
  local target=$1 runs=$2 times=() cpus=() run port t0 ms url cpu
  for run in $(seq 1 "$runs"); do
    port=$(free_port)
    t0=$(now_ms)
    if [ "$target" = freeway ]; then
      launch_freeway "$port" "$WORK/startup-$target-$run.log"
      url="http://127.0.0.1:$port/v1/chat/completions"
      ms=$(first_completion "$t0" "$url" "$WORK/freeway-json.json" "" 60) || { tail -20 "$WORK/startup-$target-$run.log" >&2; exit 1; }
    else
      launch_portkey "$port" "$WORK/startup-$target-$run.log"
      url="http://127.0.0.1:$port/v1/chat/completions"
      ms=$(first_completion "$t0" "$url" "$WORK/portkey-json.json" "$(portkey_headers json)" 60) || exit 1
    fi
    cpu=$(cpu_ms "$LAUNCHED_PID")
    kill "$LAUNCHED_PID"; while kill -0 "$LAUNCHED_PID" 2>/dev/null; do sleep 0.02; done
    local quarkus
    quarkus=$(grep -o 'started in [0-9.]*s' "$WORK/startup-$target-$run.log" | head -1 || true)
    echo "# $target start-up run $run: first completion ${ms} ms after launch, ${cpu} ms of CPU${quarkus:+ (Quarkus: $quarkus)}"
    times+=("$ms"); cpus+=("$cpu")
  done
  echo "STARTUP $target median=$(median "${times[@]}") runs=$(IFS=,; echo "${times[*]}") cpu_ms_median=$(median "${cpus[@]}")"
}
