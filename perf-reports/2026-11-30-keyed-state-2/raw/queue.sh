#!/bin/bash
# The runs of this report: a quiet set (nothing added by us), then the same set under BackgroundLoad 2
# (two spinning threads in another JVM, scripts/bench's --background-load 2) for the whole set.
# usage: queue.sh BRANCH_JAR MAIN_JAR OUT_DIR   (jars: bench/target/benchmarks.jar of each commit)
A=$1; B=$2; OUT=$3
P="$(dirname "$0")/pair.sh"
C=io.sluice.bench.state.KeyedStateBenchmark
set_runs() {
  for k in 10000 100000 1000000; do
    $P $A $C sluiceLongStatePartitions hashMapBaseline 60 keys=$k
    $P $B $C sluiceLongStatePartitions hashMapBaseline 60 keys=$k
    $P $A $C sluiceLongKeyedState hashMapBaseline 60 keys=$k
    $P $A $C sluiceLongStatePartitions randomSlotFloor 40 keys=$k
  done
  $P $A $C sluiceLongKeyedState hashMapBaseline 60 keys=16
  $P $B $C sluiceLongKeyedState hashMapBaseline 60 keys=16
}
for mode in quiet loaded; do
  if [ $mode = loaded ]; then
    exec 3> >(java -cp "$A" io.sluice.bench.BackgroundLoad 2 > "$OUT/bgload.txt" 2>&1)  # ends when fd 3 closes
    sleep 3
  fi
  echo "# $mode$([ $mode = loaded ] && echo ': io.sluice.bench.BackgroundLoad 2 running'); loadavg $(cat /proc/loadavg)" >> "$OUT/$mode.txt"
  set_runs >> "$OUT/$mode.txt" 2>&1
  echo "# end $mode; loadavg $(cat /proc/loadavg)" >> "$OUT/$mode.txt"
done
exec 3>&-
sleep 2
echo END >> "$OUT/loaded.txt"
