package dev.gmpdefer.model.defer;

import java.util.Arrays;

/**
 * The static shape of a Go function as the compiler sees it when it compiles its defer statements: how
 * many {@code defer} statements it has (sites, numbered in source order from 0), which sites sit in a
 * loop, and how many {@code return} statements it has. Create once at setup; immutable.
 *
 * <p>Models the compiler's choice (reference item 19), read in Go 1.22-era sources:
 * <ul>
 *   <li>walk/stmt.go: walkStmt, case ODEFER: open-coded defers are disallowed for the function when it has
 *       more than {@code maxOpenDefers} = 8 defers, or when a defer escapes ({@code n.Esc() != EscNever},
 *       which escape analysis sets for a defer in a loop);</li>
 *   <li>ssagen/ssa.go: buildssa: also disallowed when {@code NumReturns * NumDefers > 15};</li>
 *   <li>ssagen/ssa.go: (*state).stmt, case ODEFER: otherwise a non-escaping defer gets a stack record
 *       ({@code callDeferStack}), an escaping one a heap record ({@code callDefer}).</li>
 * </ul>
 * Ignored conditions that the model has no counterpart for: {@code -N}, race instrumentation, 386 shared
 * builds, heap-allocated results, range-over-func defers.
 */
public final class FuncShape {
    /** Go's {@code maxOpenDefers} (walk/walk.go). */
    public static final int MAX_OPEN_DEFERS = 8;
    /** The limit on {@code NumReturns * NumDefers} in buildssa. */
    public static final int MAX_RETURNS_TIMES_DEFERS = 15;

    private final int numReturns;
    private final boolean[] inLoop;
    private final boolean openCoded;
    private final DeferKind[] kinds;

    private FuncShape(int numReturns, boolean[] inLoop) {
        if (numReturns < 0) {
            throw new IllegalArgumentException("numReturns must be >= 0: " + numReturns);
        }
        if (inLoop.length == 0) {
            throw new IllegalArgumentException("a function shape needs at least one defer site");
        }
        this.numReturns = numReturns;
        this.inLoop = inLoop.clone();
        boolean anyLoop = false;
        for (boolean b : inLoop) {
            anyLoop |= b;
        }
        int numDefers = inLoop.length;
        this.openCoded = numDefers <= MAX_OPEN_DEFERS && !anyLoop
                && (long) numReturns * numDefers <= MAX_RETURNS_TIMES_DEFERS;
        this.kinds = new DeferKind[numDefers];
        for (int i = 0; i < numDefers; i++) {
            kinds[i] = openCoded ? DeferKind.OPEN_CODED : inLoop[i] ? DeferKind.HEAP : DeferKind.STACK;
        }
    }

    /** A function with {@code numDefers} defer statements, none in a loop, and {@code numReturns} returns. */
    public static FuncShape straight(int numDefers, int numReturns) {
        if (numDefers <= 0) {
            throw new IllegalArgumentException("numDefers must be > 0: " + numDefers);
        }
        return new FuncShape(numReturns, new boolean[numDefers]);
    }

    /**
     * A function whose defer site {@code i} is in a loop when {@code siteInLoop[i]}, with
     * {@code numReturns} return statements (0 if it only falls off its end).
     */
    public static FuncShape of(int numReturns, boolean... siteInLoop) {
        return new FuncShape(numReturns, siteInLoop);
    }

    /** A function with one defer statement, inside a loop, and one return. */
    public static FuncShape loop() {
        return new FuncShape(1, new boolean[] {true});
    }

    /** Number of defer statements ({@code fn.NumDefers}). */
    public int numDefers() {
        return inLoop.length;
    }

    /** Number of return statements ({@code fn.NumReturns}). */
    public int numReturns() {
        return numReturns;
    }

    /** Whether defer site {@code site} is in a loop. */
    public boolean inLoop(int site) {
        return inLoop[site];
    }

    /** Whether the compiler open-codes this function's defers ({@code s.hasOpenDefers}). */
    public boolean openCoded() {
        return openCoded;
    }

    /** What the compiler emits for defer statement {@code site}. */
    public DeferKind kind(int site) {
        if (site < 0 || site >= kinds.length) {
            throw new IllegalArgumentException("defer site " + site + " out of range [0, " + kinds.length + ")");
        }
        return kinds[site];
    }

    @Override
    public String toString() {
        return "FuncShape{defers=" + inLoop.length + ", returns=" + numReturns + ", inLoop="
                + Arrays.toString(inLoop) + ", kinds=" + Arrays.toString(kinds) + "}";
    }
}
