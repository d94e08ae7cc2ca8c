/**
 * Best-effort operating-system settings for the threads Sluice owns: {@link io.sluice.engine.os.LatencyThreads}
 * asks the Linux scheduler for a short time slice for a latency-critical thread.
 */
package io.sluice.engine.os;
