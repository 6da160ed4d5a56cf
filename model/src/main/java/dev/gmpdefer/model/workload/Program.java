package dev.gmpdefer.model.workload;

import dev.gmpdefer.model.internal.Spin;
import dev.gmpdefer.model.sched.Exec;
import dev.gmpdefer.model.sched.G;
import dev.gmpdefer.model.sched.GBody;
import dev.gmpdefer.model.sched.Sema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one way workloads are written: a small, allocation-free program for a G, a list of steps
 * interpreted from the G's registers, so that a G can stop at any safe point and resume on another M.
 * Every workload of the tests and the benchmarks is a set of Programs ({@link Workloads}).
 *
 * <p>Steps:
 * <ul>
 *   <li>{@code work(n)}: a call of a function that burns n units of CPU ({@link #unitsFor} converts ns)
 *       in a loop with no calls in it;</li>
 *   <li>{@code defer(n)}: n defer statements of the current frame, through the program's
 *       {@link TreatmentOps} (real defers, nothing, CPU burned or bytes allocated);
 *       {@code runDefers()}: the frame's return, running its pending deferred calls;</li>
 *   <li>{@code spawn(child)} / {@code spawnTimed(child)}: {@code go child()} (newproc), the child gets
 *       this G's r0 and peer, or the spawn time in r0; {@code recordStartLatency()}: records now - r0
 *       as the workload latency (spawn to first instruction);</li>
 *   <li>{@code release(i)} / {@code acquire(i)}: a channel-like hand-off on semaphore i of the G's
 *       peer array (the released waiter goes to runnext via ready);</li>
 *   <li>{@code gosched()}, {@code goyield()}, one level of counted {@code loop(n) ... endLoop()},
 *       {@code call(hook)} (user code without safe points), {@code exit()}.</li>
 * </ul>
 *
 * <p>Safe points, where a pending preemption request is honoured (the body returns PREEMPTED):
 * <ul>
 *   <li>function prologues, always (Go's stackguard0 check: preemptone sets it to stackPreempt and the
 *       prologue's morestack call ends in newstack -> gopreempt_m): the entry of a {@code work} call,
 *       the call after a {@code spawn}, and each deferred call in {@code runDefers};</li>
 *   <li>instruction-level safe points, only with asynchronous preemption on ({@link Exec#asyncSafePoint};
 *       Go 1.14+'s signal-based preemption): the back-edges of a {@code work} loop (every
 *       {@value #WORK_CHUNK} units) and of a {@code loop}.</li>
 * </ul>
 * The defer statements themselves and the runtime's defer code never poll (Go does not preempt in the
 * runtime: isAsyncSafePoint rejects runtime functions).
 *
 * <p>Registers: {@link G#pc} is the step index; {@link G#r1} the units of the current work step still
 * to do; {@link G#r2} the loop counter; {@link G#r3} the current frame's pending deferred calls;
 * {@link G#r0} and {@link G#peer} are the G's arguments, passed on to spawned children. Programs are
 * immutable and shared by all Gs that run them.
 */
public final class Program implements GBody {
    static final int OP_WORK = 1;
    static final int OP_GOSCHED = 2;
    static final int OP_GOYIELD = 3;
    static final int OP_SPAWN = 4;
    static final int OP_RELEASE = 5;
    static final int OP_ACQUIRE = 6;
    static final int OP_LOOP = 7;
    static final int OP_ENDLOOP = 8;
    static final int OP_EXIT = 9;
    static final int OP_CALL = 10;
    static final int OP_DEFER = 11;
    static final int OP_RUNDEFERS = 12;
    static final int OP_SPAWN_TIMED = 13;
    static final int OP_RECORD_START = 14;

    /** Units of work between two back-edge safe points (about 50-100 ns). */
    static final int WORK_CHUNK = 16;

    private final String name;
    private final int[] code;
    private final GBody[] children;
    private final Hook[] hooks;
    /** What the program's defer statements do; null when it has none. */
    private final TreatmentOps ops;

    /** User code run by a {@code call} step: runs to completion (no safe point inside). */
    @FunctionalInterface
    public interface Hook {
        void call(G g, Exec exec);
    }

    private Program(String name, int[] code, GBody[] children, Hook[] hooks, TreatmentOps ops) {
        this.name = name;
        this.code = code;
        this.children = children;
        this.hooks = hooks;
        this.ops = ops;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** Units of work that take about {@code nanos} ns on this machine and JVM (at least 1 when nanos > 0). */
    public static int unitsFor(long nanos) {
        return Spin.unitsFor(nanos);
    }

    /** Interprets the program from g's registers until its next scheduling event. */
    @Override
    public int run(G g, Exec exec) {
        final int[] c = code;
        for (;;) {
            int pc = g.pc;
            int op = c[pc];
            int arg = c[pc + 1];
            switch (op) {
                case OP_WORK: {
                    long rem;
                    if (g.r1 == 0) { // entering work(): its prologue is a safe point
                        if (g.laPreempt()) {
                            return PREEMPTED;
                        }
                        rem = arg;
                    } else {
                        rem = g.r1; // resumed after an asynchronous preemption inside the loop
                    }
                    long seed = g.goid();
                    for (;;) {
                        int chunk = (int) Math.min(rem, WORK_CHUNK);
                        Spin.work(seed, chunk);
                        rem -= chunk;
                        if (rem == 0) {
                            break;
                        }
                        if (exec.asyncSafePoint(g)) { // the loop's back-edge
                            g.r1 = rem;
                            return PREEMPTED;
                        }
                    }
                    g.r1 = 0;
                    g.pc = pc + 2;
                    break;
                }
                case OP_DEFER: {
                    g.pc = pc + 2;
                    g.r3 += arg;
                    if (ops.register(g, exec.pid(), arg)) {
                        return HYPOTHETICAL_DEFER_REQUEUE; // only the article_hypothesis treatment
                    }
                    if (g.gcAssistParkPending) { // newdefer's mallocgc owes mark work and found none
                        return GC_ASSIST_PARK;
                    }
                    break;
                }
                case OP_RUNDEFERS:
                    if (!runFrame(g, exec, ops)) {
                        return PREEMPTED; // resumes in this step, with the calls still pending
                    }
                    g.pc = pc + 2;
                    break;
                case OP_GOSCHED:
                    g.pc = pc + 2;
                    return GOSCHED;
                case OP_GOYIELD:
                    g.pc = pc + 2;
                    return GOYIELD;
                case OP_SPAWN:
                case OP_SPAWN_TIMED:
                    g.pc = pc + 2;
                    exec.newproc(children[arg], op == OP_SPAWN ? g.r0 : exec.nanoTime(), g.peer);
                    if (g.gcAssistParkPending) { // malg's mallocgc owes mark work and found none
                        return GC_ASSIST_PARK;
                    }
                    if (g.laPreempt()) { // the prologue of the next call is a safe point
                        return PREEMPTED;
                    }
                    break;
                case OP_RECORD_START:
                    g.pc = pc + 2;
                    exec.p().metrics.record(exec.p().metrics.workloadLatency, exec.nanoTime() - g.r0);
                    break;
                case OP_RELEASE:
                    g.pc = pc + 2;
                    exec.semrelease(((Sema[]) g.peer)[arg]);
                    break;
                case OP_ACQUIRE: {
                    g.pc = pc + 2;
                    Sema s = ((Sema[]) g.peer)[arg];
                    if (!exec.trySemacquire(s)) {
                        return exec.park(s); // resumes after this step holding the token
                    }
                    break;
                }
                case OP_LOOP:
                    g.r2 = arg;
                    g.pc = pc + 2;
                    break;
                case OP_ENDLOOP:
                    if (--g.r2 > 0) {
                        g.pc = arg;
                    } else {
                        g.pc = pc + 2;
                    }
                    if (exec.asyncSafePoint(g)) { // the loop's back-edge
                        return PREEMPTED;
                    }
                    break;
                case OP_CALL:
                    g.pc = pc + 2;
                    hooks[arg].call(g, exec);
                    break;
                case OP_EXIT:
                    return EXIT;
                default:
                    throw new IllegalStateException("Program " + name + ": bad op " + op + " at " + pc);
            }
        }
    }

    /**
     * Runs the pending deferred calls of a frame ({@link G#r3} counts them) one at a time, with a safe
     * point before each next call: every deferred call is a Go function whose prologue compares the
     * stack pointer with g.stackguard0, which preemptone sets to stackPreempt, so a pending request is
     * honoured there (stack.go: newstack -> gopreempt_m). Every treatment goes through here, so the
     * controls poll at exactly the same places as the defers (the CPU control burns one deferred call's
     * share per call). Where the strategy runs a whole frame at once (open-coded defers run by one
     * unrolled exit), the calls of that frame have no poll between them.
     *
     * @return true when all ran, false when the G must yield (preempted) first
     */
    static boolean runFrame(G g, Exec ex, TreatmentOps ops) {
        while (g.r3 > 0) {
            int done = ops.run(g, ex.pid(), (int) g.r3, 1);
            if (done <= 0) {
                throw new IllegalStateException("runFrame: " + g.r3 + " deferred calls pending but none ran");
            }
            g.r3 = Math.max(0, g.r3 - done); // a deferreturn may run the whole frame at once
            if (g.r3 > 0 && g.laPreempt()) { // the next deferred call's prologue
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Program(" + name + ", " + code.length / 2 + " steps)";
    }

    /** Builds a program step by step; {@link #exit()} checks that loops are closed. */
    public static final class Builder {
        private final String name;
        private final List<Integer> code = new ArrayList<>();
        private final List<GBody> children = new ArrayList<>();
        private final List<Hook> hooks = new ArrayList<>();
        private int loopStart = -1;
        private TreatmentOps ops;

        private Builder(String name) {
            this.name = name;
        }

        private Builder emit(int op, int arg) {
            code.add(op);
            code.add(arg);
            return this;
        }

        /** What this program's {@code defer} steps do (one treatment per program). */
        public Builder treatment(TreatmentOps ops) {
            if (ops == null) {
                throw new IllegalArgumentException("treatment: null");
            }
            this.ops = ops;
            return this;
        }

        /** A call of a function burning {@code units} units of CPU (0: no step). */
        public Builder work(int units) {
            if (units < 0) {
                throw new IllegalArgumentException("work units must be >= 0: " + units);
            }
            return units == 0 ? this : emit(OP_WORK, units);
        }

        /** {@code n} defer statements in the current frame (0: no step). Needs {@link #treatment}. */
        public Builder defer(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("defer count must be >= 0: " + n);
            }
            if (ops == null) {
                throw new IllegalStateException("Program " + name + ": defer before treatment(ops)");
            }
            return n == 0 ? this : emit(OP_DEFER, n);
        }

        /** The frame's return: runs its pending deferred calls, a safe point before each next one. */
        public Builder runDefers() {
            if (ops == null) {
                throw new IllegalStateException("Program " + name + ": runDefers before treatment(ops)");
            }
            return emit(OP_RUNDEFERS, 0);
        }

        public Builder gosched() {
            return emit(OP_GOSCHED, 0);
        }

        public Builder goyield() {
            return emit(OP_GOYIELD, 0);
        }

        /** {@code go child(r0, peer)}: the child gets this G's r0 and peer. */
        public Builder spawn(GBody child) {
            return emit(OP_SPAWN, addChild(child));
        }

        /** {@code go child(now, peer)}: the child gets the spawn time in r0 (see {@link #recordStartLatency}). */
        public Builder spawnTimed(GBody child) {
            return emit(OP_SPAWN_TIMED, addChild(child));
        }

        private int addChild(GBody child) {
            if (child == null) {
                throw new IllegalArgumentException("spawn: child program is null");
            }
            children.add(child);
            return children.size() - 1;
        }

        /** Records now - r0 (the spawn time, from {@link #spawnTimed}) as the workload latency. */
        public Builder recordStartLatency() {
            return emit(OP_RECORD_START, 0);
        }

        /** Releases semaphore {@code index} of the G's peer array ({@code Sema[]}). */
        public Builder release(int index) {
            return emit(OP_RELEASE, index);
        }

        /** Acquires semaphore {@code index} of the G's peer array, parking when no token is there. */
        public Builder acquire(int index) {
            return emit(OP_ACQUIRE, index);
        }

        /** Runs user code that cannot be preempted (a runtime call). */
        public Builder call(Hook hook) {
            if (hook == null) {
                throw new IllegalArgumentException("call: hook is null");
            }
            hooks.add(hook);
            return emit(OP_CALL, hooks.size() - 1);
        }

        /** Starts a loop of {@code count} >= 1 iterations (one level; no nesting). */
        public Builder loop(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("loop count must be >= 1: " + count);
            }
            if (loopStart >= 0) {
                throw new IllegalStateException("Program " + name + ": nested loops are not supported");
            }
            emit(OP_LOOP, count);
            loopStart = code.size();
            return this;
        }

        public Builder endLoop() {
            if (loopStart < 0) {
                throw new IllegalStateException("Program " + name + ": endLoop without loop");
            }
            emit(OP_ENDLOOP, loopStart);
            loopStart = -1;
            return this;
        }

        public Program exit() {
            emit(OP_EXIT, 0);
            if (loopStart >= 0) {
                throw new IllegalStateException("Program " + name + ": loop not closed");
            }
            int[] c = new int[code.size()];
            for (int i = 0; i < c.length; i++) {
                c[i] = code.get(i);
            }
            return new Program(name, c, children.toArray(new GBody[0]), hooks.toArray(new Hook[0]), ops);
        }
    }

    int[] codeForTest() {
        return Arrays.copyOf(code, code.length);
    }
}
