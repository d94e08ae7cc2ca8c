#!/bin/bash
# The runs of this report: a quiet set (nothing added), then the same set under BackgroundLoad 2.
# usage: queue.sh SET AFTER_JAR BEFORE_JAR OUT_DIR
#   SET=1: set1 (branch at 301ad9a+c67e0b2: jar after2), with main's benchmark at 10k keys over 10-80 rounds
#          (warm-up) and the boxed mapWithState;  SET=2: set2 (branch at 2115d82: jar after4).
#   BEFORE_JAR: bench/target/benchmarks.jar of main d98aadb.
SET=$1; A=$2; B=$3; OUT=$4
P="$(dirname "$0")/pair.sh"
C=io.sluice.bench.state.KeyedStateBenchmark
set_runs() {
  for k in 10000 100000 1000000; do
    $P $A $C sluiceLongKeyedState hashMapBaseline 60 keys=$k
    if [ "$SET" = 1 ]; then $P $B $C sluiceLongKeyedState hashMapBaseline 60 keys=$k; fi
    $P $A $C sluiceLongStatePartitions hashMapBaseline 60 keys=$k
    if [ "$SET" = 2 ]; then $P $B $C sluiceLongKeyedState hashMapBaseline 60 keys=$k; fi
  done
  if [ "$SET" = 1 ]; then k=100000; else k=10000; fi
  $P $A $C sluiceLongStatePartitions sluiceLongStateConcat 40 keys=$k
  $P $A $C sluiceLongKeyedState hashMapBaseline 60 keys=16
}
R=$OUT/quiet.txt
echo "# quiet: no added load; loadavg $(cat /proc/loadavg)" >> $R
set_runs >> $R 2>&1
if [ "$SET" = 1 ]; then
  for n in 10 20 80; do $P $B $C sluiceLongKeyedState hashMapBaseline $n keys=10000 >> $R 2>&1; done
  $P $A $C sluiceMapWithState hashMapBaseline 10 keys=100000 >> $R 2>&1
  $P $B $C sluiceMapWithState hashMapBaseline 10 keys=100000 >> $R 2>&1
fi
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
