#!/bin/bash
# The second set (branch at the commit of this report): the direct update, the mapWithLongState path
# (partitions in place) and main's update, each against the HashMap, quiet then under BackgroundLoad 2.
# usage: queue2.sh AFTER_JAR BEFORE_JAR OUT_DIR
A=$1; B=$2; OUT=$3
P="$(dirname "$0")/pair.sh"
C=io.sluice.bench.state.KeyedStateBenchmark
set_runs() {
  for k in 10000 100000 1000000; do
    $P $A $C sluiceLongKeyedState hashMapBaseline 60 keys=$k
    $P $A $C sluiceLongStatePartitions hashMapBaseline 60 keys=$k
    $P $B $C sluiceLongKeyedState hashMapBaseline 60 keys=$k
  done
  $P $A $C sluiceLongStatePartitions sluiceLongStateConcat 40 keys=10000
  $P $A $C sluiceLongKeyedState hashMapBaseline 60 keys=16
}
R=$OUT/quiet.txt
echo "# quiet: no added load; loadavg $(cat /proc/loadavg)" >> $R
set_runs >> $R 2>&1
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
