/**
 * A lock-free Java model of Go's GMP scheduler (Go 1.21-1.23 behaviour; the article used Go 1.22.5).
 *
 * <h2>The model</h2>
 * <ul>
 *   <li>{@link dev.gmpdefer.model.sched.G}: a goroutine (runtime2.go: g) with Go's status values and
 *       CAS transitions, recycled through free lists (proc.go: gfput / gfget).</li>
 *   <li>{@link dev.gmpdefer.model.sched.P}: a processor with its local run queue
 *       ({@link dev.gmpdefer.model.sched.LocalRunQueue}: a power-of-two ring, 256 by default, with
 *       free-running int head/tail and {@code runnext}).</li>
 *   <li>{@link dev.gmpdefer.model.sched.GlobalRunQueue}: the global FIFO under {@code sched.lock},
 *       which also guards the idle P list ({@link dev.gmpdefer.model.sched.Sched}).</li>
 *   <li>{@link dev.gmpdefer.model.sched.M}: a platform thread running schedule -> findRunnable ->
 *       execute; it parks (LockSupport) when there is nothing to do and is woken by wakep.</li>
 *   <li>{@link dev.gmpdefer.model.sched.Sysmon}: a thread without a P that preempts a P whose
 *       schedtick has not moved for forcePreemptNS (10 ms).</li>
 * </ul>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Only a P's owner M puts Gs into its ring or runnext; any M may take from the head (CAS) or
 *       take runnext (CAS to null). The owner publishes slots with a store-release of tail; consumers
 *       commit with a CAS-release of head.</li>
 *   <li>A G is in at most one place: a ring slot in [head, tail), a runnext, the global queue, a
 *       semaphore's waiter slot, running on one M, or a free list; its status says which
 *       (_Grunnable, _Grunning, _Gwaiting, _Gdead). Tests check that every G runs to its end exactly
 *       once and never on two Ms at once.</li>
 *   <li>A G body stops only at its safe points (where it polls its preempt flag) and at the runtime
 *       calls it makes; the runtime's own code (queues, defer records) never polls.</li>
 *   <li>Defer operations never touch run queues or G status (reference item 22), except in the
 *       clearly labelled hypothetical variant of the article's claim C9 (event
 *       {@link dev.gmpdefer.model.sched.GBody#HYPOTHETICAL_DEFER_REQUEUE}).</li>
 * </ul>
 *
 * <h2>Simplifications (also listed in the README)</h2>
 * <ul>
 *   <li>Ms and Ps are paired 1:1 (no syscalls, so no hand-off of Ps between Ms); a parked M's P is
 *       on the idle list and wakep wakes the M of the P it takes.</li>
 *   <li>Go's garbage collector as the scheduler sees it is modelled ({@code Gc}, {@code GcPacer}: heap
 *       accounting, the pacer, stops of the world, mark workers and assists; docs/gc.md lists what it
 *       simplifies); objects are byte counts, not traced.</li>
 *   <li>No netpoll, timers, syscalls, LockOSThread or async (signal) preemption: preemption is
 *       cooperative at the safe points G bodies poll, which stand in for function prologues and loop
 *       back-edges (where Go 1.14+ would also preempt asynchronously).</li>
 *   <li>The global queue's lock is a {@link java.util.concurrent.locks.ReentrantLock}, not Go's
 *       spin-then-futex mutex; M park/unpark is LockSupport (a futex on Linux, like Go's notesleep).</li>
 *   <li>The runnext steal pause is a spin (exact) or parkNanos (with timer slack, like Go's usleep);
 *       see {@link dev.gmpdefer.model.sched.StealPause}.</li>
 *   <li>Scheduling latency is recorded for every transition (Go samples one in eight).</li>
 * </ul>
 */
package dev.gmpdefer.model.sched;
