#!/bin/bash
# usage: pair.sh JAR CLASS CANDIDATE BASELINE ROUNDS [param=value...]
jar=$1; shift
echo "## $(date -u +%FT%TZ) jar=$jar args=$* cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) cores=$(nproc)"
java @"$(cd "$(dirname "$0")/../../.." && pwd)/sluice.jvmopts" -Xmx3g -XX:MaxDirectMemorySize=1g -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 \
  -cp "$jar" io.sluice.bench.PairedRatio "$@" 2>&1 | grep -v "^SLF4J\|^\[main\] INFO"
