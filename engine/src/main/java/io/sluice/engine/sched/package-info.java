/**
 * Scheduling of stages on worker threads: the Chase–Lev {@link io.sluice.engine.sched.WorkStealingDeque}, three
 * placement policies (static, central queue, work stealing), morsels that split when taken, speculative copies
 * of stragglers, retries, replacement of dead workers, per-task metrics, a listener of every stage and attempt
 * ({@link io.sluice.engine.sched.SchedulerListener}) and deterministic fault injection.
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
 * share of task indices (package-private {@code StageClaims}: static i mod W, one shared cursor for the central
 * queue, a contiguous block per worker with steal-half for work stealing; tasks under ~2 us are claimed 16 at a
 * time). Only retries, split parts and re-runs go through {@link io.sluice.engine.sched.TaskQueues}. An unsplit
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
 * simulator drives the same code over virtual workers and virtual time:
 * <ul>
 *   <li>{@link io.sluice.engine.sched.TaskQueues} ({@link io.sluice.engine.sched.StaticTaskQueues},
 *       {@link io.sluice.engine.sched.CentralTaskQueues}, {@link io.sluice.engine.sched.WorkStealingTaskQueues},
 *       or {@link io.sluice.engine.sched.SchedulingPolicy#newQueues}): {@code offer(morsel, homeWorker)} and
 *       {@code poll(worker)} (placement, random-victim stealing from a seeded generator, morsel splitting);</li>
 *   <li>{@link io.sluice.engine.sched.SpeculationPolicy#shouldSpeculate} over times passed in (nanos), fed by a
 *       {@link io.sluice.engine.sched.StageStats};</li>
 *   <li>{@link io.sluice.engine.sched.FaultInjection}: pure, seeded decisions;</li>
 *   <li>{@link io.sluice.engine.sched.NanoClock}: the threaded schedulers read time only through it.</li>
 * </ul>
 * The threaded schedulers ({@link io.sluice.engine.sched.StaticScheduler},
 * {@link io.sluice.engine.sched.CentralQueueScheduler}, {@link io.sluice.engine.sched.WorkStealingScheduler}) use
 * exactly these objects. Driving a policy from one thread:
 * <pre>{@code
 * TaskQueues queues = SchedulingPolicy.WORK_STEALING.newQueues(100, 1024, 7L);  // 100 virtual workers
 * for (int i = 0; i < 400; i++) {
 *     queues.offer(new Morsel(i, 0, rows[i], true), i % 100);                    // home worker i mod W
 * }
 * SpeculationPolicy speculation = new SpeculationPolicy(1.4, 0.75, 0);
 * StageStats stats = new StageStats(400, 4096);
 * // event loop: when virtual worker w becomes idle at virtual time now
 * Morsel next = queues.poll(w);            // null: nothing for w now (it may look for a straggler instead)
 * long cost = next.rows() * nanosPerRow;   // schedule its completion event at now + cost
 * // on completion: stats.recordRun(cost); stats.recordTaskFinished() when all rows of the task are done;
 * // for a running attempt: speculation.shouldSpeculate(now - startedAt, stats) -> run a copy on an idle worker
 * }</pre>
 */
package io.sluice.engine.sched;
