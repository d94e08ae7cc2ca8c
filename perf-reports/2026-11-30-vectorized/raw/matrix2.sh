#!/bin/bash
out=$1; : > $out
p() { echo "## $*" >> $out; /tmp/vec/paired.sh "$@" >> $out 2>&1; }
K=io.sluice.bench.state.KeyedStateBenchmark
T=io.sluice.bench.dataset.TextJobsBenchmark
S=io.sluice.bench.memory.ColumnScanBenchmark
for safety in on off; do
  p /tmp/vec/before-paired2.jar $safety $K sluiceMapWithState hashMapBaseline 15
  p /tmp/vec/after4.jar $safety $K sluiceMapWithState hashMapBaseline 15
done
for keys in 10000 100000 1000000; do
  p /tmp/vec/after4.jar on $K sluiceLongKeyedState hashMapBaseline 15 keys=$keys
done
# loaded: 2 spinning threads in another process
mkfifo /tmp/vec/loadfifo 2>/dev/null
java -cp /tmp/vec/after4.jar io.sluice.bench.BackgroundLoad 2 < /tmp/vec/loadfifo &
loadpid=$!
exec 3>/tmp/vec/loadfifo
sleep 2
echo "## background load 2 started" >> $out
p /tmp/vec/after4.jar on $S sumOffHeapGet sumLongArray 15
p /tmp/vec/after4.jar on $T grepSluice grepParallelStream 15
p /tmp/vec/after4.jar on $T wordCountSluice wordCountParallelStream 8
p /tmp/vec/after4.jar on $K sluiceLongKeyedState hashMapBaseline 15
exec 3>&-
wait $loadpid
echo DONE >> $out
