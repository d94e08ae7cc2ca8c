#!/usr/bin/env bash
set -uo pipefail
log=/tmp/latency-official/log; mkdir -p /tmp/latency-official
one() { # name busy jar args...
  local name=$1 busy=$2 jar=$3; shift 3
  local pids=()
  if [ "$busy" = 1 ]; then
    (while :; do :; done) & pids+=($!)
    (while :; do :; done) & pids+=($!)
    sleep 5
  fi
  echo "$name start $(date -u +%T) load $(cat /proc/loadavg)" >> $log
  /tmp/latency-run.sh "$jar" "$@" --out /tmp/latency-official/$name > /tmp/latency-official/$name.out 2>&1
  echo "$name end $(date -u +%T) load $(cat /proc/loadavg) rc $?" >> $log
  for p in "${pids[@]}"; do kill "$p"; done
  wait 2>/dev/null
}
B="--only latency --intervals 1 --caller-waits --caller-first --handoff SPIN_THEN_PARK,CUT_ON_JOB_THREAD --rates 1e5,1e6,2e6"
one busy-main 1 /tmp/latency-jars/main.jar --only latency --intervals 1 --caller-waits
one busy-branch 1 /tmp/latency-jars/v3.jar $B
one quiet-branch 0 /tmp/latency-jars/v3.jar $B
one quiet-main 0 /tmp/latency-jars/main.jar --only latency --intervals 1 --caller-waits
echo done >> $log
