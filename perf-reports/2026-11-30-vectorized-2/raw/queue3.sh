#!/bin/bash
P=/tmp/vec-runs/pair.sh
J=/tmp/vec-after3.jar
B=/tmp/vec-before.jar
runs() {
  $P $J io.sluice.bench.dataset.TextJobsBenchmark wordCountSluice wordCountParallelStream 8
  $P $J io.sluice.bench.dataset.HashJoinBenchmark joinSluice joinHashMap 30 keyType=INT64
  $P $J io.sluice.bench.dataset.HashJoinBenchmark joinSluice joinHashMap 30 keyType=UTF8
  $P $B io.sluice.bench.dataset.HashJoinBenchmark joinSluice joinHashMap 30 keyType=UTF8
  $P $J io.sluice.bench.state.KeyedStateBenchmark sluiceLongKeyedState hashMapBaseline 100 keys=100000
}
R=/tmp/vec-runs/matrix-quiet-3.txt
echo "# quiet: no added load; loadavg $(cat /proc/loadavg)" >> $R
runs >> $R 2>&1
echo "# end quiet; loadavg $(cat /proc/loadavg)" >> $R
R=/tmp/vec-runs/matrix-loaded-3.txt
exec 3> >(java -cp $J io.sluice.bench.BackgroundLoad 2 > /tmp/vec-runs/bgload3.txt 2>&1)
sleep 3
echo "# loaded: io.sluice.bench.BackgroundLoad 2 running; loadavg $(cat /proc/loadavg)" >> $R
$P $J io.sluice.bench.dataset.TextJobsBenchmark wordCountSluice wordCountParallelStream 8 >> $R 2>&1
$P $J io.sluice.bench.dataset.HashJoinBenchmark joinSluice joinHashMap 30 keyType=UTF8 >> $R 2>&1
echo "# end loaded; loadavg $(cat /proc/loadavg)" >> $R
exec 3>&-
sleep 2
echo END >> $R
