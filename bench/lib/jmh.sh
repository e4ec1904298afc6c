# Shared by the JMH benchmark scripts (source it from the repository root): builds the benchmark
# jar and pins the run to one core.
#
# After `jmh_setup`: $jar is the benchmark jar; ${pin[@]} prefixes the java command (taskset -c 0
# pins the JMH host and, inherited, the forked benchmark JVM, which then sizes its GC and JIT
# threads for one CPU); ${jvm_pin[@]} goes to JMH where taskset is missing (the JVM is told it
# has one CPU instead); $pinning says which of the two happened.

jmh_setup() {
  # package, not install: the reactor builds the modules the benchmark needs.
  ./mvnw -B -q -pl bench/jmh -am package -DskipTests
  jar=bench/jmh/target/portico-benchmarks.jar
  if command -v taskset >/dev/null; then
    pin=(taskset -c 0)
    jvm_pin=()
    pinning="taskset -c 0 (CPU 0)"
  else
    pin=()
    jvm_pin=(-jvmArgsAppend -XX:ActiveProcessorCount=1)
    pinning="-XX:ActiveProcessorCount=1 (not pinned: taskset not found)"
  fi
  echo "$(nproc) CPUs online; load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'); pinned with ${pinning}"
}
