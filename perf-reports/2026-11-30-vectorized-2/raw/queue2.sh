#!/bin/bash
P=/tmp/vec-runs/pair.sh
J=/tmp/vec-after2.jar
while ! grep -q END /tmp/vec-runs/matrix-1.txt; do sleep 3; done
set_runs() {
  $P $J io.sluice.bench.dataset.TextJobsBenchmark wordCountSluice wordCountParallelStream 8
  $P $J io.sluice.bench.dataset.TextJobsBenchmark grepSluice grepParallelStream 15
  $P $J io.sluice.bench.dataset.HashJoinBenchmark joinSluice joinHashMap 10 keyType=INT64
  $P $J io.sluice.bench.dataset.HashJoinBenchmark joinSluice joinHashMap 10 keyType=UTF8
  for k in 10000 100000 1000000; do
    $P $J io.sluice.bench.state.KeyedStateBenchmark sluiceLongKeyedState hashMapBaseline 40 keys=$k
  done
  $P $J io.sluice.bench.state.KeyedStateBenchmark sluiceMapWithState hashMapBaseline 10 keys=100000
}
R=/tmp/vec-runs/matrix-quiet.txt
echo "# quiet: no added load; loadavg $(cat /proc/loadavg)" >> $R
set_runs >> $R 2>&1
echo "# end quiet; loadavg $(cat /proc/loadavg)" >> $R
R=/tmp/vec-runs/matrix-loaded.txt
exec 3> >(java -cp $J io.sluice.bench.BackgroundLoad 2 > /tmp/vec-runs/bgload.txt 2>&1)
sleep 3
echo "# loaded: io.sluice.bench.BackgroundLoad 2 running; loadavg $(cat /proc/loadavg)" >> $R
set_runs >> $R 2>&1
echo "# end loaded; loadavg $(cat /proc/loadavg)" >> $R
exec 3>&-
sleep 2
echo END >> $R
