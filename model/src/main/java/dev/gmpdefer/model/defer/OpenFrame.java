package dev.gmpdefer.model.defer;

/**
 * The stack slots of one function compiled with open-coded defers: up to
 * {@value FuncShape#MAX_OPEN_DEFERS} closures with their argument, and {@code deferBits}, one bit per defer
 * statement executed. No record, no chain.
 *
 * <p>Models ssagen/ssa.go (Go 1.14+; read in Go 1.22-era sources): openDeferRecord, which stores the
 * closure in the frame's slot for that defer statement and sets its bit ({@code deferBits |= 1 << i}),
 * and openDeferExit, the code the compiler puts at every return: for each defer statement from the last
 * to the first, {@code if deferBits & (1 << i) != 0 { deferBits &^= 1 << i; call slot i }}, unrolled
 * ({@link #exit()}). The bit is cleared before the call, so a panic during it does not run it again.
 * The model calls through {@link DeferFn}, as Go calls the closure.
 *
 * <p>Owned by the thread running the G whose frame it is.
 */
public final class OpenFrame {
    /** {@code deferBits}: bit i set when defer statement i has executed. */
    int bits;
    private DeferFn f0, f1, f2, f3, f4, f5, f6, f7;
    private long a0, a1, a2, a3, a4, a5, a6, a7;

    /**
     * {@code defer fn(arg)} at defer statement {@code site} (0..7). Models openDeferRecord. A site runs at
     * most once per frame (the compiler never open-codes a defer in a loop). Executed by the G's thread.
     */
    public void record(int site, DeferFn fn, long arg) {
        final int bit = 1 << site;
        if ((bits & bit) != 0 || site > 7) {
            throw new IllegalStateException("deferproc: open-coded defer site " + site + (site > 7
                    ? " out of range (at most 8 per frame)"
                    : " executed twice in one frame (a defer in a loop cannot be open-coded)"));
        }
        switch (site) {
            case 0: f0 = fn; a0 = arg; break;
            case 1: f1 = fn; a1 = arg; break;
            case 2: f2 = fn; a2 = arg; break;
            case 3: f3 = fn; a3 = arg; break;
            case 4: f4 = fn; a4 = arg; break;
            case 5: f5 = fn; a5 = arg; break;
            case 6: f6 = fn; a6 = arg; break;
            case 7: f7 = fn; a7 = arg; break;
            default: throw new IllegalStateException("deferproc: open-coded defer site " + site + " < 0");
        }
        bits |= bit;
    }

    /**
     * The return path: calls the recorded closures from the last defer statement to the first, each bit
     * cleared before its call. Models openDeferExit. Returns the number of calls. Executed by the G's thread.
     */
    public int exit() {
        int ran = 0;
        DeferFn f;
        if ((bits & 0x80) != 0) { bits &= ~0x80; f = f7; f.run(a7); ran++; }
        if ((bits & 0x40) != 0) { bits &= ~0x40; f = f6; f.run(a6); ran++; }
        if ((bits & 0x20) != 0) { bits &= ~0x20; f = f5; f.run(a5); ran++; }
        if ((bits & 0x10) != 0) { bits &= ~0x10; f = f4; f.run(a4); ran++; }
        if ((bits & 0x08) != 0) { bits &= ~0x08; f = f3; f.run(a3); ran++; }
        if ((bits & 0x04) != 0) { bits &= ~0x04; f = f2; f.run(a2); ran++; }
        if ((bits & 0x02) != 0) { bits &= ~0x02; f = f1; f.run(a1); ran++; }
        if ((bits & 0x01) != 0) { bits &= ~0x01; f = f0; f.run(a0); ran++; }
        return ran;
    }

    /** Number of recorded, not yet run, defers. */
    int pending() {
        return Integer.bitCount(bits);
    }
}
