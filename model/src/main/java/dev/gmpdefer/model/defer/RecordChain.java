package dev.gmpdefer.model.defer;

import java.util.Arrays;

/**
 * A chain of Java-object {@code _defer} records, {@code g._defer}, newest first: what HEAP, POOLED, STACK
 * and GO_COMPILER share. Subclasses say where a record comes from ({@link #defer}) and where a heap record
 * goes when it has run ({@link #freeHeap}); stack records live in the G's frames ({@link #pushStack}).
 *
 * <p>Models panic.go (Go 1.22): deferreturn's loop over the records of the returning frame and popDefer
 * (a heap record goes to freedefer, a stack record is just unlinked), for every kind of record alike.
 */
abstract class RecordChain extends DeferChain {
    private static final int INITIAL_STACK_RECORDS = 8;

    /** {@code g._defer}. */
    DeferRecord head;

    /** The G's stack records, bump-allocated in frame order: the frames' deferprocStack slots. */
    private DeferRecord[] stack = new DeferRecord[0];
    private int stackTop;
    /** STACK arena top at frame entry: the frame's stack records are released down to it at exit. */
    private int[] frameStackMark = new int[INITIAL_FRAMES];

    RecordChain(DeferAllocator alloc) {
        super(alloc);
    }

    @Override
    void growFrames(int n) {
        frameStackMark = Arrays.copyOf(frameStackMark, n);
    }

    @Override
    void frameEntered(int d) {
        frameStackMark[d] = stackTop;
    }

    @Override
    void frameExited(int d) {
        stackTop = frameStackMark[d]; // the frame's stack records go with the frame
    }

    /** Links record {@code r} of frame {@code d} at the head of the chain. Models panic.go: deferproc (Go 1.22). */
    final void push(DeferRecord r, int d, DeferFn fn, long arg) {
        r.sp = frameSp[d];
        r.pc = arg;
        r.fn = fn;
        r.link = head;
        head = r;
    }

    /**
     * A record in frame {@code d} itself, linked at the head. Models panic.go: deferprocStack (Go 1.13+): the
     * compiler reserves the record in the frame; deferprocStack sets {@code heap = false} and links it.
     */
    final void pushStack(int pid, int d, DeferFn fn, long arg) {
        int top = stackTop;
        if (top == stack.length) {
            growStack();
        }
        DeferRecord r = stack[top];
        stackTop = top + 1;
        r.heap = false;
        push(r, d, fn, arg);
        ps[pid].gets++;
    }

    private void growStack() {
        int old = stack.length;
        int n = old == 0 ? INITIAL_STACK_RECORDS : old * 2;
        DeferRecord[] s = Arrays.copyOf(stack, n);
        for (int i = old; i < n; i++) {
            s[i] = alloc.layout.newRecord();
        }
        stack = s; // part of the G's "stack", like Go's frames: not counted as allocated records
    }

    @Override
    int runFrame(int pid, int d, long sp) {
        int ran = 0;
        DeferRecord r;
        while ((r = head) != null && r.sp == sp) {
            DeferFn fn = r.fn;
            long arg = r.pc;
            head = r.link;
            if (r.heap) {
                freeHeap(pid, r);
            } else {
                r.fn = null; // a stack record: Go clears fn and link; the frame releases the memory
                r.link = null;
                ps[pid].puts++;
            }
            fn.run(arg);
            ran++;
        }
        return ran;
    }

    /** Releases a heap record that has run, on P {@code pid}. Models panic.go: popDefer -> freedefer. */
    abstract void freeHeap(int pid, DeferRecord r);

    @Override
    boolean noRecords() {
        return head == null;
    }

    @Override
    public int pending() {
        int c = 0;
        for (DeferRecord r = head; r != null; r = r.link) {
            c++;
        }
        return c;
    }
}
