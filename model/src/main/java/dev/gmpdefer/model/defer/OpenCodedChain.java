package dev.gmpdefer.model.defer;

import java.util.Arrays;

/**
 * OPEN_CODED: every frame's defers are open-coded, as the compiler emits them for a function with at most
 * 8 defers, none in a loop ({@link OpenFrame}). No record, no chain, no pool: a defer statement stores
 * its closure in the frame and sets a bit; the return path is an unrolled test of the bits.
 *
 * <p>Models ssagen/ssa.go: openDeferRecord / openDeferExit (Go 1.14+); panic.go's gopanic runs the frames'
 * bits as Go's panic does through each frame's funcdata (Go 1.22: (*_panic).nextFrame).
 */
public final class OpenCodedChain extends DeferChain {
    private OpenFrame[] frames = newFrames(0, INITIAL_FRAMES);

    OpenCodedChain(DeferAllocator alloc) {
        super(alloc);
    }

    private static OpenFrame[] newFrames(int from, int n) {
        OpenFrame[] f = new OpenFrame[n];
        for (int i = from; i < n; i++) {
            f[i] = new OpenFrame();
        }
        return f;
    }

    @Override
    void growFrames(int n) {
        OpenFrame[] f = Arrays.copyOf(frames, n);
        for (int i = frames.length; i < n; i++) {
            f[i] = new OpenFrame();
        }
        frames = f;
    }

    @Override
    void frameEntered(int d) {
        frames[d].bits = 0; // deferBits = 0 in the prologue
    }

    /** The innermost frame's slots, for code written as the compiler writes it. Executed by the G's thread. */
    public OpenFrame frame() {
        if (depth == 0) {
            throw new IllegalStateException("frame: no frame; call enterFrame first");
        }
        return frames[depth - 1];
    }

    @Override
    boolean defer(int pid, int d, int site, DeferFn fn, long arg) {
        frames[d].record(site, fn, arg);
        return false;
    }

    @Override
    int runFrame(int pid, int d, long sp) {
        return frames[d].exit();
    }

    @Override
    boolean noRecords() {
        return true;
    }

    @Override
    public int pending() {
        int c = 0;
        for (int d = 0; d < depth; d++) {
            c += frames[d].pending();
        }
        return c;
    }
}
