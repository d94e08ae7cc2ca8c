#!/usr/bin/env bash
# usage: latency-run.sh JAR [stream-bench args...]
set -euo pipefail
jar=$1; shift
mapfile -t flags < <(java -cp "$jar" io.sluice.memory.JvmFlags | grep -v '^$')
exec java "${flags[@]}" -Djava.awt.headless=true -Dsluice.memory.boundsChecks=false \
  -Dagrona.disable.bounds.checks=true -Xms1g -Xmx1g -XX:MaxDirectMemorySize=1g ${EXTRA_JVM:-} \
  -Dsluice.bench.command="scripts/stream-bench${*:+ $*}" \
  -cp "$jar" io.sluice.bench.stream.StreamBench "$@"
