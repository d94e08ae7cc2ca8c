# Sourced by the scripts that run bench/target/benchmarks.jar (bench, compare-scheduling, simulate, sql); not a command.
# Run from the repository root. Defines:
#   ensure_bench_jar TAG   builds the jar with the Maven wrapper when it is missing or older than any source,
#                          pom or main resource of memory/, engine/, sql/, ui/, bench/ (TAG prefixes the message on
#                          stderr)
#   bench_java             the java launcher: $JAVA_HOME/bin/java if JAVA_HOME is set, else java on the PATH
#   bench_jvm_flags        fills the array bench_flags with Sluice's JVM flags for that java (one per line)
bench_jar=bench/target/benchmarks.jar

ensure_bench_jar() {
  local tag=$1 stale=""
  if [ ! -f "$bench_jar" ]; then
    stale="missing"
  elif [ -n "$(find pom.xml memory engine sql ui bench -newer "$bench_jar" \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) \
          -not -path '*/target/*' -print -quit)" ]; then
    stale="older than the sources"
  fi
  if [ -n "$stale" ]; then
    echo "$tag: building $bench_jar ($stale)" >&2
    ./mvnw -B -q -DskipTests -pl bench -am package
  fi
}

bench_java() {
  if [ -n "${JAVA_HOME:-}" ]; then
    echo "$JAVA_HOME/bin/java"
  else
    echo java
  fi
}

bench_jvm_flags() {
  bench_flags=()
  local flag
  while IFS= read -r flag; do
    if [ -n "$flag" ]; then
      bench_flags+=("$flag")
    fi
  done < <("$(bench_java)" -cp "$bench_jar" io.sluice.memory.JvmFlags)
}
