#!/usr/bin/env bash
# Writes the start-up archive of the classes Freeway loads, already parsed and verified, from one training run:
# Freeway starts on loopback with no configuration, so it serves its built-in demo (in-process simulators and its own
# Redis; nothing leaves the machine), answers one chat completion and one stream, and stops, and the JVM writes the
# archive as it exits. On JDK 25 or newer that is an AOT cache (JEP 483/514/515, also holding method profiles):
# app.aot, used with -XX:AOTCache=app.aot; on JDK 17 to 24 a dynamic AppCDS archive: app.jsa, used with
# -XX:SharedArchiveFile=app.jsa. Either is valid only for the same JVM build, the same jar files at the same paths
# and a compatible collector; a JVM that finds it invalid says so and starts without it. Launch to first answer
# falls from about 4.2 s to 2.2-2.3 s on one core (bench/STARTUP.md); the archive is 50-70 MB on disk. Package with
# -Dquarkus.package.jar.type=aot-jar for that: the default fast-jar loads the application's classes through Quarkus's
# own class loader, whose classes a JDK 17 archive cannot hold (3.2 s then).
#
# Usage: deployment/start-up-archive.sh [quarkus-app directory, default target/quarkus-app]
# JVM flags: JAVA_TOOL_OPTIONS, as the production run sets them. JAVA: the java to use (default: java on the PATH).
# Needs only bash (the requests go through /dev/tcp), so it runs in a JRE image.
set -euo pipefail
APP=${1:-target/quarkus-app}
JAVA=${JAVA:-java}
PORT=${TRAINING_PORT:-18080}
cd "$APP"
feature=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "${feature:-0}" -ge 25 ]; then ARCHIVE=app.aot WRITE=-XX:AOTCacheOutput=app.aot
else ARCHIVE=app.jsa WRITE=-XX:ArchiveClassesAtExit=app.jsa; fi
rm -f app.aot app.jsa
"$JAVA" "$WRITE" -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" \
  -jar "$PWD/quarkus-run.jar" > start-up-training.log 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT

# One POST over /dev/tcp; prints the status line's code.
post() { # body
  local answer
  exec 3<>"/dev/tcp/127.0.0.1/$PORT" || return 1
  printf 'POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "${#1}" "$1" >&3
  answer=$(cat <&3)
  exec 3<&-
  [[ $answer =~ ^HTTP/1\.1\ ([0-9]+) ]] && echo "${BASH_REMATCH[1]}"
}

ask='{"model":"demo-fast","messages":[{"role":"user","content":"Say hello in one short sentence."}]'
for _ in $(seq 600); do
  [ "$(post "$ask}" 2>/dev/null || true)" = 200 ] && break
  kill -0 "$pid" 2>/dev/null || { cat start-up-training.log >&2; exit 1; }
  sleep 0.1
done
[ "$(post "$ask,\"stream\":true}")" = 200 ] || { echo "the training stream was not served" >&2; exit 1; }
kill -TERM "$pid"
wait "$pid" || true # the JVM exits on SIGTERM with 143 after writing the archive
trap - EXIT
[ -s "$ARCHIVE" ] || { cat start-up-training.log >&2; echo "no $ARCHIVE written" >&2; exit 1; }
echo "wrote $APP/$ARCHIVE ($(du -m "$ARCHIVE" | cut -f1) MB)"
