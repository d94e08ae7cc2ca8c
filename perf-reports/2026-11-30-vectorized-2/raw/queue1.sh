#!/bin/bash
P=/tmp/vec-runs/pair.sh
R=/tmp/vec-runs/matrix-1.txt
while pgrep -f "vec-after2.jar io.sluice.bench.PairedRatio io.sluice.bench.dataset.TextJobsBenchmark" >/dev/null; do sleep 2; done
$P /tmp/vec-before.jar io.sluice.bench.dataset.TextJobsBenchmark wordCountSluice wordCountParallelStream 8 >> $R
$P /tmp/vec-before.jar io.sluice.bench.dataset.HashJoinBenchmark joinSluice joinHashMap 10 keyType=INT64 >> $R
$P /tmp/vec-after2.jar io.sluice.bench.dataset.HashJoinBenchmark joinSluice joinHashMap 10 keyType=INT64 >> $R
$P /tmp/vec-before.jar io.sluice.bench.dataset.HashJoinBenchmark joinSluice joinHashMap 10 keyType=UTF8 >> $R
$P /tmp/vec-after2.jar io.sluice.bench.dataset.HashJoinBenchmark joinSluice joinHashMap 10 keyType=UTF8 >> $R
$P /tmp/vec-after2.jar io.sluice.bench.dataset.TextJobsBenchmark wordCountSluice wordCountParallelStream 8 >> $R
for k in 10000 100000 1000000; do
  $P /tmp/vec-after2.jar io.sluice.bench.state.KeyedStateBenchmark sluiceLongKeyedState hashMapBaseline 15 keys=$k >> $R
done
$P /tmp/vec-after2.jar io.sluice.bench.state.KeyedStateBenchmark sluiceLongKeyedState sluiceMapWithState 10 keys=100000 >> $R
echo END >> $R
