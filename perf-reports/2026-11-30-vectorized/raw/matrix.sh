#!/bin/bash
# matrix.sh OUT : the paired before/after runs
out=$1; : > $out
p() { echo "## $*" >> $out; /tmp/vec/paired.sh "$@" >> $out 2>&1; }
S=io.sluice.bench.memory.ColumnScanBenchmark
T=io.sluice.bench.dataset.TextJobsBenchmark
K=io.sluice.bench.state.KeyedStateBenchmark
for safety in on off; do
 for j in before-paired after3; do
  p /tmp/vec/$j.jar $safety $S sumOffHeapGet sumLongArray 15
  p /tmp/vec/$j.jar $safety $S sumOffHeapVectorSum sumLongArray 15
  p /tmp/vec/$j.jar $safety $S filterSumOffHeapGet filterSumLongArray 15
  p /tmp/vec/$j.jar $safety $T grepSluice grepParallelStream 15
  p /tmp/vec/$j.jar $safety $T wordCountSluice wordCountParallelStream 8
  p /tmp/vec/$j.jar $safety $K sluiceMapWithState hashMapBaseline 15
 done
done
echo DONE >> $out
