#!/usr/bin/env bash
# Paired task-overhead runs, quiet and with 2 busy loops, alternating in one window.
set -u
JAR=${JAR:-bench/target/benchmarks.jar}
OUT=${OUT:-paired.txt}
ROUNDS=${ROUNDS:-100}
FLAGS=$(java -cp $JAR io.sluice.memory.JvmFlags)
run_pairs() {
  local cond=$1
  for pair in "callerRuns forkJoin" "callerAlone forkJoin" "callerDelayed forkJoin"; do
    echo "[$cond] $(date -u +%T) $(java $FLAGS -cp $JAR io.sluice.bench.PairedRatio io.sluice.bench.sched.CallerRunsBenchmark $pair $ROUNDS 2>&1 | tail -1)" >> $OUT
  done
}
for round in 1 2 3; do
  echo "# round $round load $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUT
  run_pairs quiet
  rm -f ${TMPDIR:-/tmp}/sluice-bgfifo; mkfifo ${TMPDIR:-/tmp}/sluice-bgfifo
  java -cp $JAR io.sluice.bench.BackgroundLoad 2 < ${TMPDIR:-/tmp}/sluice-bgfifo &
  BG=$!
  exec 3>${TMPDIR:-/tmp}/sluice-bgfifo
  sleep 1
  run_pairs loaded
  exec 3>&-
  wait $BG
done
echo "# end load $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUT
