/**
 * Go's {@code defer}: {@code _defer} records, each G's defer chain, and five ways to allocate records (and
 * the compiler's choice among them). Each strategy is one {@link dev.gmpdefer.model.defer.DeferChain}
 * subclass, registered in {@link dev.gmpdefer.model.defer.DeferStrategy}.
 *
 * <h2>What is modelled, and from which Go version</h2>
 * <ul>
 *   <li><b>Record</b> ({@link dev.gmpdefer.model.defer.DeferRecordDescriptor}): runtime2.go: type _defer,
 *       48 bytes in Go 1.22-1.23 ({@code heap, rangefunc, sp, pc, fn, link, head}) and 72 bytes in
 *       Go 1.14-1.21 (adds {@code started, openDefer, _panic, fd, varp, framepc}); both selectable through
 *       {@link dev.gmpdefer.model.defer.DeferLayout}.</li>
 *   <li><b>Chain</b> ({@link dev.gmpdefer.model.defer.DeferChain}): {@code g._defer}, a LIFO list newest
 *       first; panic.go: deferproc pushes, deferreturn runs the returning frame's records newest first
 *       (a record belongs to the frame whose {@code sp} it carries), gopanic/Goexit run every frame's.
 *       Each record is unlinked and freed before its call (panic.go: popDefer, Go 1.22).</li>
 *   <li><b>Pools</b> ({@code TwoLevelPool}, the policy written once, over two stores: {@code DeferPools} and
 *       {@link dev.gmpdefer.model.defer.OffHeapDeferArena}): panic.go: newdefer / freedefer, the policy of
 *       Go 1.13-1.23, and mgc.go: clearpools ({@link dev.gmpdefer.model.defer.DeferAllocator#clearpools()}): per-P {@code p.deferpool} of capacity 32; an empty
 *       local pool is refilled to 16 from {@code sched.deferpool} under {@code sched.deferlock}; a full one
 *       moves 16 to the global list before taking the freed record; a record is allocated only when both
 *       are empty. The pool used is the one of the P the G runs on at that moment, so a record allocated on
 *       one P may be freed on another. There has never been an {@code m.deferpool} (reference item 21).</li>
 *   <li><b>Strategies</b> ({@link dev.gmpdefer.model.defer.DeferStrategy}): HEAP (Go 1.12 and earlier, no
 *       pool), POOLED (Go 1.13+ heap records), OFFHEAP (not Go: the pool policy over one off-heap region),
 *       STACK (panic.go: deferprocStack, Go 1.13+), OPEN_CODED (the compiler's open-coded defers, Go 1.14+),
 *       GO_COMPILER (per statement, the choice of Go 1.22's compiler from a
 *       {@link dev.gmpdefer.model.defer.FuncShape}: walk/stmt.go walkStmt ODEFER, ssagen/ssa.go buildssa and
 *       (*state).stmt ODEFER).</li>
 * </ul>
 *
 * <h2>Defers never touch the scheduler</h2>
 * Nothing in this package reads or writes a run queue, a G's status, or parks a G: in every Go version read
 * (1.12-1.23), deferproc, newdefer, freedefer and deferreturn do none of these (reference item 22). The
 * package does not depend on {@code dev.gmpdefer.model.sched} at all (a test checks the class files).
 * The article's claim C9 (a deferproc that finds its pool empty parks the G and requeues it globally) is
 * not Go's behaviour; to let a scheduler model that hypothesis in a clearly labelled variant, deferproc
 * returns whether newdefer found the local pool empty and
 * {@link dev.gmpdefer.model.defer.DeferAllocator#lastNewdeferMissedLocal(int)} exposes the same flag; the
 * defer code itself never acts on it.
 *
 * <h2>Threads</h2>
 * A P's local pool and counters are touched only by the thread currently running that P (asserted with
 * {@code -ea}); the global pool only under its lock; a chain only by the thread running its G. Records move
 * between those owners only through the pool hand-offs, which the lock orders, or with the G itself, whose
 * migration the scheduler orders.
 *
 * <h2>Simplified</h2>
 * No recover and no panics inside deferred calls; no range-over-func defers; clearpools exists but nothing
 * calls it until the model has a GC; {@code pc} carries the deferred call's argument; the lock's futex is
 * emulated with a Java monitor; frame ids replace stack pointers; STACK may be forced on defers in loops
 * (the arena grows), which Go never does.
 */
package dev.gmpdefer.model.defer;
