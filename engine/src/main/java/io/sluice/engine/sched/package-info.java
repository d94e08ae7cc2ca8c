/**
 * Scheduling of stages on worker threads: the Chase–Lev {@link io.sluice.engine.sched.WorkStealingDeque}, one {@link
 * io.sluice.engine.sched.Placement} object per policy (static, central queue, work stealing), morsels that split when
 * taken (and, under work stealing, while they run, if their task claims rows in chunks through {@link
 * io.sluice.engine.sched.TaskContext#nextChunk}), speculative copies of stragglers, retries, replacement of dead
 * workers, per-task metrics, a listener of every stage and attempt ({@link io.sluice.engine.sched.SchedulerListener})
 * and deterministic fault injection.
 *
 * <h2>Contract</h2>
 * A {@link io.sluice.engine.sched.Stage} is a list of {@link io.sluice.engine.sched.Task}s;
 * {@link io.sluice.engine.sched.Scheduler#run} returns a {@link io.sluice.engine.sched.StageResult} with exactly
 * one committed result per task (by index) or throws one {@link io.sluice.engine.sched.StageFailedException}.
 * Every attempt at a row range shares one commit state (a primary {@link io.sluice.engine.sched.Morsel} for the
 * parts of a split task, the stage's {@code TaskStates} slot for an unsplit task); the first attempt to finish
 * commits by a CAS on it, a losing attempt's output goes to the stage's discarder
 * ({@link io.sluice.engine.sched.Stage#onDiscard}) and its thread is interrupted. On a stage failure the
 * committed results go to the discarder too: every produced result is returned, combined or discarded, once.
 *
 * <h2>Hot path</h2>
 * {@code run} publishes the stage once and unparks the workers; each worker claims the first attempts of its own
 * share of task indices from the policy's {@link io.sluice.engine.sched.Placement.Claims} (static i mod W, one shared
 * cursor for the central queue, a contiguous block per worker with steal-half for work stealing; tasks under ~2 us
 * are claimed 16 at a time, the unstarted rest published so that idle workers take it when a task there runs over
 * 100 us). Only retries, split parts and re-runs go through the placement's queues. An unsplit
 * first attempt runs on a morsel object the worker reuses; commits, run times and busy time are reported to the
 * stage in batches of 32 (at once for tasks of 50 us or more, and before idling); tasks under ~2 us read the clock
 * every 8th task.
 *
 * <h2>Lifecycle</h2>
 * When {@code run} returns or throws, no attempt of the stage is running: losing speculative copies and the
 * attempts of a failed or cancelled stage are interrupted and awaited. Each worker publishes the stage it is
 * engaged in before it re-checks that the stage still runs, and clears it only after reporting the attempt, so
 * the driver's wait sees every attempt. The wait is bounded by {@link
 * io.sluice.engine.sched.SchedulerConfig#drainTimeoutMillis()}: a task that ignores interrupts past it makes
 * {@code run} throw a {@link io.sluice.engine.sched.StageFailedException} naming the worker and task (a loud
 * failure rather than a hang; that worker's thread stays with its task and rejoins the pool when it returns).
 *
 * <h2>The seam between policy and threads</h2>
 * Policy decisions live in classes that start no thread and read no clock, so a single-threaded discrete-event
 * simulator (bench's {@code ClusterSimulator}) drives the same code over virtual workers and virtual time:
 * <ul>
 *   <li>{@link io.sluice.engine.sched.Placement}, one class per policy ({@link io.sluice.engine.sched.StaticPlacement},
 *       {@link io.sluice.engine.sched.CentralQueuePlacement}, {@link io.sluice.engine.sched.WorkStealingPlacement}):
 *       {@code newClaims(tasks)} for a stage's first attempts ({@code nextOwn(w, max)}, {@code steal(w)}), and
 *       {@code offer(morsel, homeWorker)} / {@code poll(worker)} for queued morsels (random-victim stealing from a
 *       seeded generator, morsel splitting). {@link io.sluice.engine.sched.SchedulingPolicy} only picks one; a new
 *       policy is one new class with its {@link io.sluice.engine.sched.Placement.Factory}, passed to
 *       {@link io.sluice.engine.sched.SchedulerConfig.Builder#placement} (the tests' {@code RandomPlacement} is one);</li>
 *   <li>{@link io.sluice.engine.sched.SpeculationPolicy#shouldSpeculate} over times passed in (nanos), fed by a
 *       {@link io.sluice.engine.sched.StageStats};</li>
 *   <li>{@link io.sluice.engine.sched.FaultInjection}: pure, seeded decisions;</li>
 *   <li>{@link io.sluice.engine.sched.NanoClock}: the threaded scheduler reads time only through it.</li>
 * </ul>
 * The threaded scheduler ({@link io.sluice.engine.sched.Scheduler#create}) uses exactly these objects. Driving a
 * policy from one thread, in the threaded worker's order (own claims, then the queues, then a steal):
 * <pre>{@code
 * Placement placement = SchedulingPolicy.WORK_STEALING.create(100, 1024, 7L);  // 100 virtual workers
 * Placement.Claims claims = placement.newClaims(400);                          // a stage of 400 tasks
 * SpeculationPolicy speculation = SpeculationPolicy.defaults();
 * StageStats stats = new StageStats(400, 4096);
 * // event loop: when virtual worker w becomes idle at virtual time now
 * int t = claims.nextOwn(w, 1);            // a first attempt: task t, rows [0, rows[t])
 * Morsel next = t >= 0 ? new Morsel(t, 0, rows[t], false) : placement.poll(w);
 * if (next == null && (t = claims.steal(w)) >= 0) { next = new Morsel(t, 0, rows[t], false); next.markStolen(); }
 * long cost = next.rows() * nanosPerRow;   // schedule its completion event at now + cost
 * // on completion: stats.recordRun(cost); stats.recordTaskFinished() when all rows of the task are done;
 * // for a running attempt: speculation.shouldSpeculate(now - startedAt, stats) -> run a copy on an idle worker
 * // (the threads also pass the attempt's worker's mean run in the stage, so a worker known slow is copied early)
 * }</pre>
 *
 * <h2>Memory-order accessor names</h2>
 * A field that threads share without a lock is read and written only through small private methods whose prefix
 * names the ordering (JCTools' convention, over a {@link java.lang.invoke.VarHandle}), so every fence is visible
 * where it is used:
 * <ul>
 *   <li>{@code lp} load plain ({@code get}): no ordering; owner-only state or a value a CAS re-checks;</li>
 *   <li>{@code la} load acquire ({@code getAcquire}): later reads see what the matching release published;</li>
 *   <li>{@code sp} store plain ({@code set}): owner-only state, published later by a release or a CAS;</li>
 *   <li>{@code sr} store release ({@code setRelease}): earlier writes are visible to an acquire that sees it;</li>
 *   <li>{@code cas} compare-and-set ({@code compareAndSet}): volatile semantics; the only way two threads
 *       decide a race (who claims an index, which attempt commits).</li>
 * </ul>
 */
package io.sluice.engine.sched;
