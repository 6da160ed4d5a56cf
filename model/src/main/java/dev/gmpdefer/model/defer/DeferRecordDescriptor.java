package dev.gmpdefer.model.defer;

/**
 * Byte layout of a {@code _defer} record on amd64, for the two layouts the model can measure.
 *
 * <p>Models runtime2.go: type _defer. Read in
 * <ul>
 *   <li>Go 1.23.5 ({@code fire1220/annotation-go1.23.5}, {@code go-go1.23.5/src/runtime/runtime2.go}):
 *       fields {@code heap bool, rangefunc bool, sp uintptr, pc uintptr, fn func(), link *_defer,
 *       head *atomic.Pointer[_defer]} = 48 bytes. Go 1.22 has the same struct (the rangefunc/head fields
 *       came with range-over-func in 1.22; reference item 20: 48 B for 1.22-1.23).</li>
 *   <li>Go 1.21.12 ({@code luode0320/go-1.21.0}, {@code src/runtime/runtime2.go}): fields
 *       {@code started bool, heap bool, openDefer bool, sp uintptr, pc uintptr, fn func(), _panic *_panic,
 *       link *_defer, fd unsafe.Pointer, varp uintptr, framepc uintptr} = 72 bytes (the same layout since
 *       Go 1.14, which added the open-coded fields openDefer/fd/varp/framepc).</li>
 * </ul>
 * Sizes follow Go's amd64 alignment rules: {@code bool} is 1 byte, every pointer or {@code uintptr} is
 * 8 bytes aligned to 8, so the leading flags are padded to offset 8 and the struct size is a multiple
 * of 8. A {@code func()} value is one pointer (to a funcval).
 *
 * <pre>
 * Go 1.22-1.23 _defer (LAYOUT_48), 48 bytes, 8-byte aligned
 *  0       1           2                         8
 *  +-------+-----------+-------------------------+
 *  | heap  | rangefunc |       padding (6)       |
 *  +-------+-----------+-------------------------+
 *  8                                            16
 *  |  sp     stack pointer of the deferring frame |
 *  16                                           24
 *  |  pc     pc of the defer statement           |   (model: the deferred call's argument, see below)
 *  24                                           32
 *  |  fn     *funcval of the deferred closure    |   (model: index into the closure table)
 *  32                                           40
 *  |  link   next (older) record on g._defer     |
 *  40                                           48
 *  |  head   rangefunc list head (nil otherwise) |
 *  +---------------------------------------------+
 *
 * Go 1.14-1.21 _defer (LAYOUT_72), 72 bytes, 8-byte aligned
 *  0         1      2           3               8
 *  +---------+------+-----------+---------------+
 *  | started | heap | openDefer |  padding (5)  |
 *  +---------+------+-----------+---------------+
 *   8 sp | 16 pc | 24 fn | 32 _panic | 40 link | 48 fd | 56 varp | 64 framepc | 72
 * </pre>
 *
 * <p>Model substitutions, the same in every strategy: the model has no program counters, so the
 * {@code pc} word carries the deferred call's one argument (what a Go closure would capture); Go reads
 * {@code d.pc} only for tracebacks and recover, so running a record still reads two words besides the
 * link, as Go's call through the funcval does. Off-heap, a Java reference cannot be stored, so the
 * {@code fn} word holds {@code slot + 1}, an index into a reference table parallel to the slots; 0 is nil.
 * The {@code sp} word holds the model's frame id. The other words are written (zeroed) but not used.
 */
public final class DeferRecordDescriptor {
    private DeferRecordDescriptor() {
    }

    /** Alignment of every record and of every 8-byte field, in bytes (amd64 pointer alignment). */
    public static final int ALIGNMENT = 8;

    // ---- Go 1.22-1.23 (48 bytes) ----
    /** {@code heap bool}: 1 for a record from newdefer, 0 for deferprocStack. */
    public static final int G122_HEAP_OFFSET = 0;
    /** {@code rangefunc bool}: never set by the model. */
    public static final int G122_RANGEFUNC_OFFSET = 1;
    /** {@code sp uintptr}. */
    public static final int G122_SP_OFFSET = 8;
    /** {@code pc uintptr} (model: the call's argument). */
    public static final int G122_PC_OFFSET = 16;
    /** {@code fn func()} (model: closure-table index, slot + 1). */
    public static final int G122_FN_OFFSET = 24;
    /** {@code link *_defer} (model: slot + 1 of the next record, 0 = nil). */
    public static final int G122_LINK_OFFSET = 32;
    /** {@code head *atomic.Pointer[_defer]}: never set by the model. */
    public static final int G122_HEAD_OFFSET = 40;
    /** {@code unsafe.Sizeof(_defer{})} in Go 1.22-1.23 on amd64. */
    public static final int G122_SIZE = 48;

    // ---- Go 1.14-1.21 (72 bytes) ----
    /** {@code started bool}. */
    public static final int G114_STARTED_OFFSET = 0;
    /** {@code heap bool}. */
    public static final int G114_HEAP_OFFSET = 1;
    /** {@code openDefer bool}. */
    public static final int G114_OPENDEFER_OFFSET = 2;
    /** {@code sp uintptr}. */
    public static final int G114_SP_OFFSET = 8;
    /** {@code pc uintptr} (model: the call's argument). */
    public static final int G114_PC_OFFSET = 16;
    /** {@code fn func()}. */
    public static final int G114_FN_OFFSET = 24;
    /** {@code _panic *_panic}. */
    public static final int G114_PANIC_OFFSET = 32;
    /** {@code link *_defer}. */
    public static final int G114_LINK_OFFSET = 40;
    /** {@code fd unsafe.Pointer}. */
    public static final int G114_FD_OFFSET = 48;
    /** {@code varp uintptr}. */
    public static final int G114_VARP_OFFSET = 56;
    /** {@code framepc uintptr}. */
    public static final int G114_FRAMEPC_OFFSET = 64;
    /** {@code unsafe.Sizeof(_defer{})} in Go 1.14-1.21 on amd64. */
    public static final int G114_SIZE = 72;

    /**
     * Where the off-heap arena keeps a slot's generation word ({@code generation << 1 | live}, 4 bytes): in
     * the header's padding after the flag bytes, which both layouts have (Go 1.22: bytes 2-7; Go 1.14-1.21:
     * bytes 3-7). Go has no such word: it is the model's stale-handle check.
     */
    public static final int OFFHEAP_GENERATION_OFFSET = 4;
}
