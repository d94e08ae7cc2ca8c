#!/bin/bash
# The runs of this report, in order: a quiet set (nothing added) and a loaded set (BackgroundLoad 2).
# usage: queue.sh AFTER_JAR BEFORE_JAR OUT_DIR   (jars: bench/target/benchmarks.jar of the branch and of main d98aadb)
A=$1; B=$2; OUT=$3
P="$(dirname "$0")/pair.sh"
C=io.sluice.bench.state.KeyedStateBenchmark
set_runs() {
  for k in 10000 100000 1000000; do
    $P $A $C sluiceLongKeyedState hashMapBaseline 60 keys=$k
    $P $B $C sluiceLongKeyedState hashMapBaseline 60 keys=$k
    $P $A $C sluiceLongStatePartitions hashMapBaseline 60 keys=$k
  done
  $P $A $C sluiceLongStatePartitions sluiceLongStateConcat 40 keys=100000
  $P $A $C sluiceLongKeyedState hashMapBaseline 60 keys=16
}
R=$OUT/quiet.txt
echo "# quiet: no added load; loadavg $(cat /proc/loadavg)" >> $R
set_runs >> $R 2>&1
# Warm-up in a short run: main's benchmark (no warm-up in its setup) at 10k keys, 10 to 80 rounds.
for n in 10 20 80; do $P $B $C sluiceLongKeyedState hashMapBaseline $n keys=10000 >> $R 2>&1; done
$P $A $C sluiceMapWithState hashMapBaseline 10 keys=100000 >> $R 2>&1
$P $B $C sluiceMapWithState hashMapBaseline 10 keys=100000 >> $R 2>&1
echo "# end quiet; loadavg $(cat /proc/loadavg)" >> $R
R=$OUT/loaded.txt
exec 3> >(java -cp $A io.sluice.bench.BackgroundLoad 2 > $OUT/bgload.txt 2>&1)
sleep 3
echo "# loaded: io.sluice.bench.BackgroundLoad 2 running; loadavg $(cat /proc/loadavg)" >> $R
set_runs >> $R 2>&1
echo "# end loaded; loadavg $(cat /proc/loadavg)" >> $R
exec 3>&-
sleep 2
echo END >> $R
