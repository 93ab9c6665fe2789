#!/bin/sh
# Quota engine cost against a local redis-server: round trips per served call and reserve + settle latency.
# Usage: bench/quota/run.sh [iterations]   (default 20000; needs redis-server on PATH or the embedded-redis jar)
set -eu
cd "$(dirname "$0")/../.."
./mvnw -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
java -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" dev.freeway.quota.QuotaBench "${1:-20000}"
