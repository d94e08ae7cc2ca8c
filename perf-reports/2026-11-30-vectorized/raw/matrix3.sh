#!/bin/bash
out=$1; : > $out
p() { echo "## $*" >> $out; /tmp/vec/paired.sh "$@" >> $out 2>&1; }
K=io.sluice.bench.state.KeyedStateBenchmark
for rep in 1 2; do
for keys in 10000 100000 1000000; do
  p /tmp/vec/after5.jar on $K sluiceLongKeyedState hashMapBaseline 15 keys=$keys
done
done
p /tmp/vec/before-paired2.jar on $K sluiceMapWithState hashMapBaseline 15
p /tmp/vec/after5.jar on $K sluiceMapWithState hashMapBaseline 15
echo DONE >> $out
