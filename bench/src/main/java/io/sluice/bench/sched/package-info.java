/**
 * JMH benchmarks of scheduling: makespan of the policies under skew and stragglers (static is the baseline) and
 * per-task overhead against ForkJoinPool.
 */
package io.sluice.bench.sched;
