#!/usr/bin/env bash
# usage: latency-pairs.sh OUT JVMS ROUNDS BUSY RATES JOBS HANDOFFS [JAR]
set -uo pipefail
out=$1; jvms=$2; rounds=$3; busy=$4; rates=$5; jobs=$6; hs=$7; jar=${8:-/tmp/latency-jars/v2.jar}
mapfile -t flags < <(java -cp /tmp/latency-jars/main.jar io.sluice.memory.JvmFlags | grep -v '^$')
for c in $(seq 1 "$jvms"); do
  pids=()
  if [ "$busy" = 1 ]; then
    (while :; do :; done) & pids+=($!)
    (while :; do :; done) & pids+=($!)
    sleep 5
  fi
  c0=$(cut -d' ' -f1 /proc/loadavg)
  java "${flags[@]}" -Djava.awt.headless=true -Dsluice.memory.boundsChecks=false -Dagrona.disable.bounds.checks=true \
    -Xms1g -Xmx1g -XX:MaxDirectMemorySize=1g ${EXTRA_JVM:-} -cp "/tmp/latency-driver/branch:$jar" io.sluice.bench.stream.AbDriver \
    "jvm$c" "$rounds" "$rates" "$jobs" "$hs" 2>/dev/null | grep '^AB,' | sed "s/^AB,/AB,busy=$busy,/" >> "$out"
  echo "# jvm$c busy=$busy load $c0 -> $(cut -d' ' -f1 /proc/loadavg) $(date -u +%T)" >> "$out"
  for p in "${pids[@]}"; do kill "$p"; done
  wait 2>/dev/null
done
echo "# done" >> "$out"
