package dev.gmpdefer.model.defer;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * {@code _defer} records in off-heap slabs, addressed by int handles, behind Go's two-level pool policy.
 *
 * <p>Pool policy: models panic.go: newdefer / freedefer (Go 1.22), exactly as {@link DeferPools}: per-P
 * local pool of 32 slots, refill of up to 16 from the global list under {@code sched.deferlock} when
 * empty, spill of the newest 16 to the global list when full, a fresh slot only when both are empty. The
 * global list is linked through the records' {@code link} words, as Go links {@code sched.deferpool}
 * through {@code d.link}.
 *
 * <p>Memory: slabs of {@link #slabRecords()} records, each an {@link UnsafeBuffer} over a direct
 * {@link ByteBuffer} window aligned to 64 bytes; a slab holds the records
 * ({@link DeferLayout#size} bytes each, so every record is 8-byte aligned) followed by one 4-byte
 * generation word per slot. Slabs are added on demand up to {@code maxRecords}; past it, newdefer throws
 * {@link DeferArenaExhaustedException} before touching anything. Bounds checks stay on (Agrona's default;
 * only a benchmark fork may switch them off with {@code -Dagrona.disable.bounds.checks=true}).
 * {@link #close()} releases every slab. Java references cannot live off-heap: the deferred function is
 * kept in a reference table parallel to the slots, and the record's {@code fn} word holds slot + 1.
 *
 * <p>Handles: {@code generation << 20 | (slot + 1)}; 0 is nil. A slot's generation word holds
 * {@code generation << 1 | live}; freeing a slot increments its generation (mod 2^11), so a stale handle
 * (use after free, double free) no longer matches and is reported with {@link DeferHandleException}.
 * Detection is certain until a slot has been reused 2048 times.
 */
public final class OffHeapDeferArena implements AutoCloseable {
    /** Bits of a handle that hold slot + 1. */
    static final int SLOT_BITS = 20;
    static final int SLOT_MASK = (1 << SLOT_BITS) - 1;
    /** Bits of a handle that hold the generation. */
    static final int GEN_BITS = 11;
    static final int GEN_MASK = (1 << GEN_BITS) - 1;
    /** Largest number of records an arena can address. */
    public static final int MAX_RECORDS = SLOT_MASK - 1;
    /** Alignment of every slab's base address. */
    static final int SLAB_ALIGNMENT = 64;

    private final DeferLayout layout;
    private final int recordSize;
    private final int slabShift;
    private final int slabRecords;
    private final int slabMask;
    private final int genBase;
    private final int slabBytes;
    private final int maxRecords;
    private final DeferP[] ps;

    /** Slab buffers; element k is written once under {@link #slabLock}, read by any thread holding a handle into it. */
    private final UnsafeBuffer[] slabs;
    private final ByteBuffer[] slabMemory;
    /** Deferred functions, parallel to the slots; slot entries owned like the records. */
    private final DeferFn[][] fns;

    /** Guards slab growth and fresh-slot allocation (Go: mallocgc, not the deferlock). */
    private final Object slabLock = new Object();
    private int slabCount;
    private int freshNext;
    private long reservedBytes;
    private volatile boolean closed;

    /** {@code sched.deferlock}. */
    final DeferLock lock = new DeferLock();
    /** {@code sched.deferpool}: slot + 1 of the first free record, 0 when empty; guarded by {@link #lock}. */
    private int globalHead;
    /** Records on the global list; written under the lock, read without it as Go's racy emptiness hint. */
    private volatile int globalSize;

    OffHeapDeferArena(DeferLayout layout, DeferP[] ps, int slabRecords, int maxRecords) {
        if (slabRecords <= 0 || Integer.bitCount(slabRecords) != 1) {
            throw new IllegalArgumentException("slabRecords must be a power of two: " + slabRecords);
        }
        if (maxRecords <= 0 || maxRecords > MAX_RECORDS) {
            throw new IllegalArgumentException("maxRecords must be in [1, " + MAX_RECORDS + "]: " + maxRecords);
        }
        this.layout = layout;
        this.recordSize = layout.size;
        this.slabRecords = slabRecords;
        this.slabShift = Integer.numberOfTrailingZeros(slabRecords);
        this.slabMask = slabRecords - 1;
        this.genBase = slabRecords * recordSize;
        long bytes = (long) slabRecords * (recordSize + DeferRecordDescriptor.GENERATION_WORD_SIZE);
        if (bytes > Integer.MAX_VALUE - SLAB_ALIGNMENT) {
            throw new IllegalArgumentException("slabRecords too large: " + slabRecords);
        }
        this.slabBytes = (int) bytes;
        this.maxRecords = maxRecords;
        this.ps = ps;
        int maxSlabs = (maxRecords + slabRecords - 1) / slabRecords;
        this.slabs = new UnsafeBuffer[maxSlabs];
        this.slabMemory = new ByteBuffer[maxSlabs];
        this.fns = new DeferFn[maxSlabs][];
    }

    /** The record layout. */
    public DeferLayout layout() {
        return layout;
    }

    /** Records per slab. */
    public int slabRecords() {
        return slabRecords;
    }

    /** The configured maximum number of records. */
    public int maxRecords() {
        return maxRecords;
    }

    /** Off-heap bytes currently reserved by slabs (0 after {@link #close()}). Can be executed by any P. */
    public long reservedBytes() {
        synchronized (slabLock) {
            return reservedBytes;
        }
    }

    /** Number of slabs allocated. Can be executed by any P. */
    public int slabCount() {
        synchronized (slabLock) {
            return slabCount;
        }
    }

    /** Records ever created (fresh slots handed out). Can be executed by any P. */
    public int recordsCreated() {
        synchronized (slabLock) {
            return freshNext;
        }
    }

    /**
     * Takes a record on P {@code pid} and returns its handle. Models panic.go: newdefer (Go 1.22).
     * Executed only by the owner P.
     */
    int newdefer(int pid) {
        final DeferP p = ps[pid];
        assert p.enter();
        final int[] pool = p.slots;
        final boolean missed = p.n == 0;
        p.lastMissed = missed;
        if (missed) {
            p.localMisses++;
            if (globalSize != 0) {
                refill(p, pool);
            }
        }
        int slot;
        int n = p.n;
        if (n > 0) {
            n--;
            slot = pool[n];
            p.n = n;
            if (!missed) {
                p.localHits++;
            }
        } else {
            try {
                slot = freshSlot();
            } catch (RuntimeException e) {
                assert p.exit();
                throw e;
            }
            p.allocated++;
        }
        UnsafeBuffer buf = slabs[slot >>> slabShift];
        int genOff = genBase + ((slot & slabMask) << 2);
        int word = buf.getInt(genOff);
        if ((word & 1) != 0) {
            throw new IllegalStateException("newdefer: pooled slot " + slot + " is live (pool corrupted)");
        }
        buf.putInt(genOff, word | 1);
        buf.putByte((slot & slabMask) * recordSize + layout.heapOffset, (byte) 1);
        p.gets++;
        assert p.exit();
        return ((word >>> 1) << SLOT_BITS) | (slot + 1);
    }

    private int freshSlot() {
        synchronized (slabLock) {
            if (closed) {
                throw new IllegalStateException("newdefer: off-heap defer arena is closed");
            }
            int slot = freshNext;
            if (slot == maxRecords) {
                throw new DeferArenaExhaustedException("newdefer: off-heap defer arena exhausted: all "
                        + maxRecords + " records of " + recordSize + " B are live or pooled (" + slabCount
                        + " slabs of " + slabRecords + "); raise maxOffHeapRecords or run pending defers");
            }
            int slab = slot >>> slabShift;
            if (slab == slabCount) {
                // Over-allocate and align by hand: Agrona's allocateDirectAligned returns a slice, which
                // cannot be freed explicitly; the original buffer is kept so close() can release it.
                ByteBuffer mem = ByteBuffer.allocateDirect(slabBytes + SLAB_ALIGNMENT);
                long address = BufferUtil.address(mem);
                int pad = (int) ((SLAB_ALIGNMENT - (address & (SLAB_ALIGNMENT - 1))) & (SLAB_ALIGNMENT - 1));
                UnsafeBuffer buf = new UnsafeBuffer(mem, pad, slabBytes);
                buf.setMemory(0, slabBytes, (byte) 0);
                slabMemory[slab] = mem;
                fns[slab] = new DeferFn[slabRecords];
                slabs[slab] = buf; // published to other threads by the hand-off of a handle into it
                slabCount++;
                reservedBytes += slabBytes + SLAB_ALIGNMENT;
            }
            freshNext = slot + 1;
            return slot;
        }
    }

    /** Moves up to 16 free slots from the global list to an empty local pool. Executed only by the owner P. */
    private void refill(DeferP p, int[] pool) {
        int n = p.n;
        lock.lock();
        try {
            int g = globalHead;
            int moved = 0;
            while (n < DeferPools.HALF && g != 0) {
                int slot = g - 1;
                UnsafeBuffer buf = slabs[slot >>> slabShift];
                int linkOff = (slot & slabMask) * recordSize + layout.linkOffset;
                int next = (int) buf.getLong(linkOff);
                buf.putLong(linkOff, 0L);
                pool[n++] = slot;
                g = next;
                moved++;
            }
            globalHead = g;
            if (moved > 0) {
                globalSize = globalSize - moved;
                p.refills++;
                p.refillRecords += moved;
            }
        } finally {
            lock.unlock();
        }
        p.n = n;
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
        final int[] pool = p.slots;
        int n = p.n;
        if (n == DeferPools.LOCAL_CAPACITY) {
            int first = 0;
            int last = -1;
            while (n > DeferPools.HALF) {
                n--;
                int x = pool[n];
                if (first == 0) {
                    first = x + 1;
                } else {
                    putLinkAt(last, x + 1);
                }
                last = x;
            }
            lock.lock();
            try {
                putLinkAt(last, globalHead);
                globalHead = first;
                globalSize = globalSize + DeferPools.HALF;
            } finally {
                lock.unlock();
            }
            p.spills++;
            p.spillRecords += DeferPools.HALF;
        }
        // *d = _defer{}, then a new generation so that the old handle is stale.
        UnsafeBuffer buf = slabs[slot >>> slabShift];
        int idx = slot & slabMask;
        buf.setMemory(idx * recordSize, recordSize, (byte) 0);
        fns[slot >>> slabShift][idx] = null;
        int genOff = genBase + (idx << 2);
        int gen = (buf.getInt(genOff) >>> 1) + 1;
        buf.putInt(genOff, (gen & GEN_MASK) << 1);
        pool[n] = slot;
        p.n = n + 1;
        p.puts++;
        assert p.exit();
    }

    /**
     * Checks that {@code handle} names a live record and returns its slot. Throws
     * {@link IllegalArgumentException} for a handle outside the arena and {@link DeferHandleException} for
     * a stale one. Can be executed by any P holding the handle.
     */
    int checkLive(int handle, String op) {
        int slot = (handle & SLOT_MASK) - 1;
        int slab = slot >>> slabShift;
        if (handle < 0 || slot < 0 || slab >= slabs.length || slabs[slab] == null) {
            throw new IllegalArgumentException(op + ": defer handle 0x" + Integer.toHexString(handle)
                    + " names slot " + slot + " outside the arena (" + (closed ? "closed" : slabs.length * slabRecords
                    + " addressable slots") + ")");
        }
        int gen = handle >>> SLOT_BITS;
        int word = slabs[slab].getInt(genBase + ((slot & slabMask) << 2));
        if (word != ((gen << 1) | 1)) {
            String what = "freedefer".equals(op) ? "double free" : "use after free";
            throw new DeferHandleException(op + ": " + what + " of defer handle 0x" + Integer.toHexString(handle)
                    + " (slot " + slot + ", generation " + gen + "; the slot is "
                    + ((word & 1) != 0 ? "live" : "free") + " at generation " + (word >>> 1) + ")", handle);
        }
        return slot;
    }

    /** Writes a new record's fields. Executed by the G's thread, which owns the live record. */
    void init(int slot, long sp, DeferFn fn, long arg, int link) {
        UnsafeBuffer buf = slabs[slot >>> slabShift];
        int idx = slot & slabMask;
        int off = idx * recordSize;
        buf.putLong(off + layout.spOffset, sp);
        buf.putLong(off + layout.pcOffset, arg);
        buf.putLong(off + layout.fnOffset, slot + 1);
        buf.putLong(off + layout.linkOffset, link);
        fns[slot >>> slabShift][idx] = fn;
    }

    long spAt(int slot) {
        return slabs[slot >>> slabShift].getLong((slot & slabMask) * recordSize + layout.spOffset);
    }

    long argAt(int slot) {
        return slabs[slot >>> slabShift].getLong((slot & slabMask) * recordSize + layout.pcOffset);
    }

    /** The link word: the next record's handle on a chain. */
    int linkAt(int slot) {
        return (int) slabs[slot >>> slabShift].getLong((slot & slabMask) * recordSize + layout.linkOffset);
    }

    DeferFn fnAt(int slot) {
        return fns[slot >>> slabShift][slot & slabMask];
    }

    private void putLinkAt(int slot, int link) {
        slabs[slot >>> slabShift].putLong((slot & slabMask) * recordSize + layout.linkOffset, link);
    }

    /** The {@code sp} word of a live record (validated). Can be executed by any P holding the handle. */
    public long sp(int handle) {
        return spAt(checkLive(handle, "sp"));
    }

    /** The argument of a live record (validated). Can be executed by any P holding the handle. */
    public long arg(int handle) {
        return argAt(checkLive(handle, "arg"));
    }

    /** Records on the global list. Can be executed by any P. */
    int globalSize() {
        return globalSize;
    }

    /** Walks the global list under the lock and returns its length. */
    int countGlobal() {
        lock.lock();
        try {
            int c = 0;
            for (int g = globalHead; g != 0; g = linkAt(g - 1)) {
                c++;
            }
            return c;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #close()} ran. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Releases every slab's memory. Handles become invalid (using one throws IllegalArgumentException).
     * Must not run concurrently with other operations on the arena. Idempotent.
     */
    @Override
    public void close() {
        synchronized (slabLock) {
            if (closed) {
                return;
            }
            closed = true;
            for (int i = 0; i < slabCount; i++) {
                slabs[i] = null;
                fns[i] = null;
                BufferUtil.free(slabMemory[i]);
                slabMemory[i] = null;
            }
            reservedBytes = 0;
        }
    }
}
