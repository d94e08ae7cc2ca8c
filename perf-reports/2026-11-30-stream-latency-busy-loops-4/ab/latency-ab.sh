#!/usr/bin/env bash
# usage: latency-ab.sh OUTFILE CYCLES BUSY(0/1) RATES BRANCH_JAR BRANCH_JOBS BRANCH_HANDOFFS [MAIN_JOBS]
set -uo pipefail
out=$1; cycles=$2; busy=$3; rates=$4; bjar=$5; bjobs=$6; bh=$7; mjobs=${8:-DATASET}
mapfile -t flags < <(java -cp /tmp/latency-jars/main.jar io.sluice.memory.JvmFlags | grep -v '^$')
run() { # label driverdir jar jobs handoffs
  local t0=$(date +%s.%N) c0=$(cat /proc/loadavg | cut -d' ' -f1)
  java "${flags[@]}" -Djava.awt.headless=true -Dsluice.memory.boundsChecks=false -Dagrona.disable.bounds.checks=true \
    -Xms1g -Xmx1g -XX:MaxDirectMemorySize=1g ${EXTRA_JVM:-} -cp "/tmp/latency-driver/$2:$3" io.sluice.bench.stream.AbDriver \
    "$1" 1 "$rates" "$4" "$5" 2>/dev/null | grep '^AB,' | sed "s/^AB,/AB,busy=$busy,/" >> "$out"
  echo "# $1 busy=$busy load $c0 -> $(cut -d' ' -f1 /proc/loadavg) $(date -u +%T)" >> "$out"
}
for c in $(seq 1 "$cycles"); do
  pids=()
  if [ "$busy" = 1 ]; then
    (while :; do :; done) & pids+=($!)
    (while :; do :; done) & pids+=($!)
    sleep 5
  fi
  if [ $((c % 2)) = 1 ]; then
    run main main /tmp/latency-jars/main.jar "$mjobs" SPIN_THEN_PARK
    run branch branch "$bjar" "$bjobs" "$bh"
  else
    run branch branch "$bjar" "$bjobs" "$bh"
    run main main /tmp/latency-jars/main.jar "$mjobs" SPIN_THEN_PARK
  fi
  for p in "${pids[@]}"; do kill "$p"; done
  wait 2>/dev/null
done
echo "# done" >> "$out"
