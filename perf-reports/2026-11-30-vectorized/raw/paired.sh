#!/bin/bash
# paired.sh JAR SAFETY(on|off) CLASS CAND BASE [more args]
jar=$1; safety=$2; shift 2
if unzip -l $jar io/sluice/bench/JvmFlags.class >/dev/null 2>&1; then FL=$(java -cp $jar io.sluice.bench.JvmFlags); else FL=@/tmp/vec/sluice.jvmopts; fi
extra="-Xmx3g -XX:MaxDirectMemorySize=1g -Djava.util.concurrent.ForkJoinPool.common.parallelism=2"
if [ "$safety" = off ]; then extra="$extra -Dsluice.memory.boundsChecks=false -Dagrona.disable.bounds.checks=true"; fi
java $FL $extra -cp $jar io.sluice.bench.PairedRatio "$@" 2>&1 | grep -v '^\[' | tail -3
