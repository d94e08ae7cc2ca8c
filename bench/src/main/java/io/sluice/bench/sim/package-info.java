/**
 * The discrete-event cluster simulator ({@code scripts/simulate}): {@code ClusterSimulator} drives the engine's own
 * {@link io.sluice.engine.sched.Placement} objects, speculation policy and fault injection over virtual workers in
 * virtual time, and the scenarios reproduce the D-Streams paper's cluster-scale figures (stragglers, parallel
 * recovery, skew at 100 nodes) and set the compare-scheduling default beside its real-thread runs.
 */
package io.sluice.bench.sim;
