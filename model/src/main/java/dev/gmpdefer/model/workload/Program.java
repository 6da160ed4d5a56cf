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
 * A small, allocation-free program for a G: a list of steps interpreted from the G's registers, so a
 * G can stop at any safe point and resume on another M.
 *
 * <p>Steps: CPU work (N units of {@link Spin}, polling the preempt flag after every unit: a safe point
 * like a function prologue), spawn a child ({@code go f()}: newproc), release / acquire a semaphore
 * from the G's peer array (a channel-like hand-off: the released waiter goes to runnext via ready),
 * Gosched, goyield, one level of counted loop, exit.
 *
 * <p>Registers: {@link G#pc} is the step index; {@link G#r1} the units of the current work step still
 * to do; {@link G#r2} the loop counter; {@link G#r0} and {@link G#peer} are the G's arguments, passed
 * on to spawned children. Programs are immutable and shared by all Gs that run them.
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

    /** Units of work between two safe points (about 50-100 ns). */
    static final int WORK_CHUNK = 16;

    private final String name;
    private final int[] code;
    private final GBody[] children;
    private final Hook[] hooks;

    /** User code run by a {@code call} step: runs to completion (no safe point inside). */
    @FunctionalInterface
    public interface Hook {
        void call(G g, Exec exec);
    }

    private Program(String name, int[] code, GBody[] children, Hook[] hooks) {
        this.name = name;
        this.code = code;
        this.children = children;
        this.hooks = hooks;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
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
                    long rem = g.r1 == 0 ? arg : g.r1;
                    long seed = g.goid();
                    while (rem > 0) {
                        if (g.laPreempt()) { // safe point: the prologue of the next work() call
                            g.r1 = rem;
                            return PREEMPTED;
                        }
                        int chunk = (int) Math.min(rem, WORK_CHUNK);
                        Spin.work(seed, chunk);
                        rem -= chunk;
                    }
                    g.r1 = 0;
                    g.pc = pc + 2;
                    break;
                }
                case OP_GOSCHED:
                    g.pc = pc + 2;
                    return GOSCHED;
                case OP_GOYIELD:
                    g.pc = pc + 2;
                    return GOYIELD;
                case OP_SPAWN:
                    g.pc = pc + 2;
                    exec.newproc(children[arg], g.r0, g.peer);
                    if (g.laPreempt()) { // the prologue of the next call is a safe point
                        return PREEMPTED;
                    }
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
                    if (g.laPreempt()) { // loop back-edge: Go 1.14+ async preemption reaches here
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

    @Override
    public String toString() {
        return "Program(" + name + ", " + code.length / 2 + " steps)";
    }

    /** Builds a program step by step; {@link #build()} checks it ends with exit and loops are closed. */
    public static final class Builder {
        private final String name;
        private final List<Integer> code = new ArrayList<>();
        private final List<GBody> children = new ArrayList<>();
        private final List<Hook> hooks = new ArrayList<>();
        private int loopStart = -1;

        private Builder(String name) {
            this.name = name;
        }

        private Builder emit(int op, int arg) {
            code.add(op);
            code.add(arg);
            return this;
        }

        /** CPU work of {@code units} calibrated units. */
        public Builder work(int units) {
            if (units < 0) {
                throw new IllegalArgumentException("work units must be >= 0: " + units);
            }
            return units == 0 ? this : emit(OP_WORK, units);
        }

        /** CPU work of about {@code nanos} ns (converted with the measured cost of a unit). */
        public Builder workNanos(long nanos) {
            if (nanos < 0) {
                throw new IllegalArgumentException("work nanos must be >= 0: " + nanos);
            }
            return work(Spin.unitsFor(nanos));
        }

        public Builder gosched() {
            return emit(OP_GOSCHED, 0);
        }

        public Builder goyield() {
            return emit(OP_GOYIELD, 0);
        }

        /** {@code go child(r0, peer)}: the child gets this G's r0 and peer. */
        public Builder spawn(GBody child) {
            if (child == null) {
                throw new IllegalArgumentException("spawn: child program is null");
            }
            children.add(child);
            return emit(OP_SPAWN, children.size() - 1);
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
            return build();
        }

        private Program build() {
            if (loopStart >= 0) {
                throw new IllegalStateException("Program " + name + ": loop not closed");
            }
            int[] c = new int[code.size()];
            for (int i = 0; i < c.length; i++) {
                c[i] = code.get(i);
            }
            return new Program(name, c, children.toArray(new GBody[0]), hooks.toArray(new Hook[0]));
        }
    }

    int[] codeForTest() {
        return Arrays.copyOf(code, code.length);
    }
}
