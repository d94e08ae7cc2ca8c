#!/bin/bash
out=$1; : > $out
p() { echo "## $*" >> $out; /tmp/vec/paired.sh "$@" >> $out 2>&1; }
K=io.sluice.bench.state.KeyedStateBenchmark
for rep in 1 2; do
for keys in 10000 100000 1000000; do
  p /tmp/vec/after6.jar on $K sluiceLongKeyedState hashMapBaseline 15 keys=$keys
done
done
echo DONE >> $out
