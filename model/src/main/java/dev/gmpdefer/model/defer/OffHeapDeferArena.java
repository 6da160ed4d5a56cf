package dev.gmpdefer.model.defer;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * {@code _defer} records in one off-heap region, addressed by int handles, behind Go's two-level pool
 * policy ({@link TwoLevelPool}). Not in Go: it asks what a GC-free record store would cost.
 *
 * <p>Pool: models panic.go: newdefer / freedefer (Go 1.22) with {@link TwoLevelPool}'s policy; each P's
 * local pool is an {@code int[32]} of slots and the global list is linked through the records' {@code link}
 * words, as Go links {@code sched.deferpool} through {@code d.link}. {@link #clearpools()} (mgc.go:
 * clearpools) hands the global list's slots back to the arena, which reuses them before fresh ones, as
 * Go's heap reuses the memory of the records the GC frees.
 *
 * <p>Memory: one {@link UnsafeBuffer} over a direct {@link ByteBuffer} of {@code maxRecords} records
 * ({@link DeferLayout#size} bytes each, the region aligned to 64 bytes, so every record is 8-byte aligned),
 * reserved when the arena is made; slot {@code s} is at offset {@code s * size}. Fresh slots are handed out
 * in order up to {@code maxRecords}; past it, newdefer throws {@link DeferArenaExhaustedException} before
 * touching anything. Bounds checks stay on (Agrona's default; a benchmark fork may switch them off with
 * {@code -Dagrona.disable.bounds.checks=true}). {@link #close()} releases the region. Java references
 * cannot live off-heap: deferred functions are kept in one flat table indexed by slot, and the record's
 * {@code fn} word holds slot + 1.
 *
 * <p>Handles: {@code generation << 20 | (slot + 1)}; 0 is nil. The record header keeps the slot's
 * generation word, {@code generation << 1 | live}, in the padding after the flag bytes
 * ({@link DeferRecordDescriptor#OFFHEAP_GENERATION_OFFSET}); freeing a slot increments its generation
 * (mod 2^11), so a stale handle (use after free, double free) no longer matches and is reported with
 * {@link DeferHandleException}. Detection is certain until a slot has been reused 2048 times. Every
 * operation checks its handle once, then uses plain offsets from the one base.
 *
 * <p>Zeroing: only what reuse needs. freedefer clears the fn table entry (so the closure can be collected)
 * and bumps the generation; the record's words are all written by {@link #init} before the record is used
 * again, so they are not zeroed (Go's freedefer zeroes the whole record, {@code *d = _defer{}}, for its GC).
 */
public final class OffHeapDeferArena extends TwoLevelPool implements AutoCloseable {
    /** Bits of a handle that hold slot + 1. */
    static final int SLOT_BITS = 20;
    static final int SLOT_MASK = (1 << SLOT_BITS) - 1;
    /** Bits of a handle that hold the generation. */
    static final int GEN_BITS = 11;
    static final int GEN_MASK = (1 << GEN_BITS) - 1;
    /** Largest number of records an arena can address. */
    public static final int MAX_RECORDS = SLOT_MASK - 1;
    /** Alignment of the region's base address. */
    static final int REGION_ALIGNMENT = 64;

    private static final VarHandle FRESH_NEXT;

    static {
        try {
            FRESH_NEXT = MethodHandles.lookup().findVarHandle(OffHeapDeferArena.class, "freshNext", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DeferLayout layout;
    private final int recordSize;
    private final int maxRecords;
    private final int spOff;
    private final int pcOff;
    private final int fnOff;
    private final int linkOff;
    private final int heapOff;
    private final int genOff;

    /** The region; its bytes are owned like the records in them (pool, chain). */
    private final UnsafeBuffer buf;
    private ByteBuffer memory;
    /** Deferred functions by slot; entries owned like the records. */
    private final DeferFn[] fns;

    /** Next never-used slot; taken by CAS (fresh memory, Go's mallocgc), never past {@link #maxRecords}. */
    @SuppressWarnings("unused") private volatile int freshNext;
    /** Slots dropped by clearpools, reused before fresh ones: slot + 1 linked through link words; guarded by itself. */
    private final Object recycledLock = new Object();
    private int recycledHead;
    private volatile boolean closed;
    /** !closed, read plainly on the hot path: close() must not run concurrently with other operations. */
    private boolean open = true;

    /** {@code sched.deferpool}: slot + 1 of the first free record, 0 when empty; guarded by {@link #lock}. */
    private int globalHead;
    /** Per P: the spill batch (slot + 1) between detachNewest and spliceDetached; owned by that P. */
    private final int[] batchFirst;
    private final int[] batchLast;

    OffHeapDeferArena(DeferLayout layout, DeferP[] ps, int maxRecords) {
        super(ps);
        if (maxRecords <= 0 || maxRecords > MAX_RECORDS) {
            throw new IllegalArgumentException("maxRecords must be in [1, " + MAX_RECORDS + "]: " + maxRecords);
        }
        this.layout = layout;
        this.recordSize = layout.size;
        this.maxRecords = maxRecords;
        this.spOff = layout.spOffset;
        this.pcOff = layout.pcOffset;
        this.fnOff = layout.fnOffset;
        this.linkOff = layout.linkOffset;
        this.heapOff = layout.heapOffset;
        this.genOff = DeferRecordDescriptor.OFFHEAP_GENERATION_OFFSET;
        long bytes = (long) maxRecords * recordSize;
        if (bytes > Integer.MAX_VALUE - REGION_ALIGNMENT) {
            throw new IllegalArgumentException("maxRecords too large for one region: " + maxRecords);
        }
        // Over-allocate and align by hand: Agrona's allocateDirectAligned returns a slice, which cannot be
        // freed explicitly; the original buffer is kept so that close() can release it.
        memory = ByteBuffer.allocateDirect((int) bytes + REGION_ALIGNMENT); // zeroed by the JDK
        long address = BufferUtil.address(memory);
        int pad = (int) ((REGION_ALIGNMENT - (address & (REGION_ALIGNMENT - 1))) & (REGION_ALIGNMENT - 1));
        this.buf = new UnsafeBuffer(memory, pad, (int) bytes);
        this.fns = new DeferFn[maxRecords];
        this.batchFirst = new int[ps.length];
        this.batchLast = new int[ps.length];
    }

    /** The record layout. */
    public DeferLayout layout() {
        return layout;
    }

    /** The configured maximum number of records. */
    public int maxRecords() {
        return maxRecords;
    }

    /** Off-heap bytes reserved by the region (0 after {@link #close()}). Can be executed by any P. */
    public long reservedBytes() {
        return closed ? 0 : (long) maxRecords * recordSize + REGION_ALIGNMENT;
    }

    /** Records ever created (fresh slots handed out). Can be executed by any P. */
    public int recordsCreated() {
        return freshNext;
    }

    /**
     * Takes a record on P {@code pid} and returns its handle. Models panic.go: newdefer (Go 1.22).
     * Executed only by the owner P.
     */
    int newdefer(int pid) {
        final DeferP p = ps[pid]; // after close() the local pools are empty, so this reaches freshSlot()

        assert p.enter();
        int slot;
        if (beforeTake(p)) {
            slot = p.slots[--p.n];
        } else {
            try {
                slot = freshSlot();
            } catch (RuntimeException e) {
                assert p.exit();
                throw e;
            }
            p.allocated++;
        }
        final int off = slot * recordSize;
        final int word = buf.getInt(off + genOff);
        if ((word & 1) != 0) {
            assert p.exit();
            throw new IllegalStateException("newdefer: pooled slot " + slot + " is live (pool corrupted)");
        }
        buf.putInt(off + genOff, word | 1);
        buf.putByte(off + heapOff, (byte) 1);
        p.gets++;
        assert p.exit();
        return ((word >>> 1) << SLOT_BITS) | (slot + 1);
    }

    private int freshSlot() {
        if (closed) {
            throw new IllegalStateException("newdefer: off-heap defer arena is closed");
        }
        if (recycledHead != 0) { // racy hint; checked again under the lock
            synchronized (recycledLock) {
                int h = recycledHead;
                if (h != 0) {
                    recycledHead = linkAt(h - 1);
                    return h - 1;
                }
            }
        }
        while (true) {
            int slot = freshNext;
            if (slot == maxRecords) {
                throw new DeferArenaExhaustedException("newdefer: off-heap defer arena exhausted: all "
                        + maxRecords + " records of " + recordSize + " B are live or pooled; raise "
                        + "maxOffHeapRecords or run pending defers");
            }
            if (FRESH_NEXT.compareAndSet(this, slot, slot + 1)) {
                return slot;
            }
        }
    }

    /**
     * Frees the record of {@code handle} to P {@code pid}'s pool; throws {@link DeferHandleException} if the
     * handle is stale (double free). Models panic.go: freedefer / popDefer (Go 1.22).
     * Executed only by the owner P (the P the G runs on now).
     */
    void freedefer(int pid, int handle) {
        freedeferSlot(pid, checkLive(handle, "freedefer"));
    }

    /** {@link #freedefer} for a slot whose handle the caller has just validated. Executed only by the owner P. */
    void freedeferSlot(int pid, int slot) {
        final DeferP p = ps[pid];
        assert p.enter();
        beforeGive(p);
        final int off = slot * recordSize + genOff;
        fns[slot] = null;
        buf.putInt(off, (((buf.getInt(off) >>> 1) + 1) & GEN_MASK) << 1); // free, next generation
        p.slots[p.n++] = slot;
        p.puts++;
        assert p.exit();
    }

    @Override
    int moveFromGlobal(DeferP p, int max) {
        int[] pool = p.slots;
        int n = p.n;
        int g = globalHead;
        int moved = 0;
        while (moved < max && g != 0) {
            int slot = g - 1;
            pool[n++] = slot;
            g = linkAt(slot);
            moved++;
        }
        globalHead = g;
        p.n = n;
        return moved;
    }

    @Override
    void detachNewest(DeferP p, int count) {
        int[] pool = p.slots;
        int n = p.n;
        int first = 0;
        int last = -1;
        for (int i = 0; i < count; i++) {
            int x = pool[--n];
            if (first == 0) {
                first = x + 1;
            } else {
                putLinkAt(last, x + 1);
            }
            last = x;
        }
        p.n = n;
        batchFirst[p.id] = first;
        batchLast[p.id] = last;
    }

    @Override
    void spliceDetached(DeferP p) {
        putLinkAt(batchLast[p.id], globalHead);
        globalHead = batchFirst[p.id];
    }

    @Override
    void dropGlobal() {
        int g = globalHead;
        globalHead = 0;
        if (g == 0) {
            return;
        }
        int last = g - 1;
        for (int next; (next = linkAt(last)) != 0; ) {
            last = next - 1;
        }
        synchronized (recycledLock) {
            putLinkAt(last, recycledHead);
            recycledHead = g;
        }
    }

    @Override
    int walkGlobal() {
        int c = 0;
        for (int g = globalHead; g != 0; g = linkAt(g - 1)) {
            c++;
        }
        return c;
    }

    /**
     * Checks that {@code handle} names a live record and returns its slot. Throws
     * {@link IllegalArgumentException} for a handle outside the arena and {@link DeferHandleException} for
     * a stale one. Can be executed by any P holding the handle.
     */
    int checkLive(int handle, String op) {
        int slot = (handle & SLOT_MASK) - 1;
        if (handle < 0 || slot < 0 || slot >= maxRecords || !open) {
            throw outside(handle, slot, op);
        }
        int gen = handle >>> SLOT_BITS;
        int word = buf.getInt(slot * recordSize + genOff);
        if (word != ((gen << 1) | 1)) {
            if (slot >= freshNext) {
                throw outside(handle, slot, op); // a forged handle: that slot was never handed out
            }
            String what = "freedefer".equals(op) ? "double free" : "use after free";
            throw new DeferHandleException(op + ": " + what + " of defer handle 0x" + Integer.toHexString(handle)
                    + " (slot " + slot + ", generation " + gen + "; the slot is "
                    + ((word & 1) != 0 ? "live" : "free") + " at generation " + (word >>> 1) + ")", handle);
        }
        return slot;
    }

    private IllegalArgumentException outside(int handle, int slot, String op) {
        return new IllegalArgumentException(op + ": defer handle 0x" + Integer.toHexString(handle) + " names slot "
                + slot + " outside the arena (" + (closed ? "closed" : freshNext + " slots in use of " + maxRecords)
                + ")");
    }

    /** Writes a new record's words. Executed by the G's thread, which owns the live record. */
    void init(int slot, long sp, DeferFn fn, long arg, int link) {
        final int off = slot * recordSize;
        buf.putLong(off + spOff, sp);
        buf.putLong(off + pcOff, arg);
        buf.putLong(off + fnOff, slot + 1);
        buf.putLong(off + linkOff, link);
        fns[slot] = fn;
    }

    long spAt(int slot) {
        return buf.getLong(slot * recordSize + spOff);
    }

    long argAt(int slot) {
        return buf.getLong(slot * recordSize + pcOff);
    }

    /** The link word: the next record's handle on a chain, or slot + 1 of the next free record on a list. */
    int linkAt(int slot) {
        return (int) buf.getLong(slot * recordSize + linkOff);
    }

    DeferFn fnAt(int slot) {
        return fns[slot];
    }

    private void putLinkAt(int slot, int link) {
        buf.putLong(slot * recordSize + linkOff, link);
    }

    /** The {@code sp} word of a live record (validated). Can be executed by any P holding the handle. */
    public long sp(int handle) {
        return spAt(checkLive(handle, "sp"));
    }

    /** The argument of a live record (validated). Can be executed by any P holding the handle. */
    public long arg(int handle) {
        return argAt(checkLive(handle, "arg"));
    }

    /** Whether {@link #close()} ran. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Releases the region. Handles become invalid (using one throws IllegalArgumentException). Must not run
     * concurrently with other operations on the arena. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        open = false;
        for (DeferP p : ps) {
            p.n = 0; // no pooled slot of freed memory can be handed out again
        }
        BufferUtil.free(memory);
        memory = null;
    }
}
