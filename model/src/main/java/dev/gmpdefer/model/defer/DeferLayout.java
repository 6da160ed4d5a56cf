package dev.gmpdefer.model.defer;

import static dev.gmpdefer.model.defer.DeferRecordDescriptor.*;

/**
 * Which {@code _defer} layout the records use; see {@link DeferRecordDescriptor} for the bytes.
 * Selectable as a JMH {@code @Param} so that the effect of the record size can be measured.
 */
public enum DeferLayout {
    /** Go 1.22-1.23: 48 bytes. */
    GO122_48(G122_SIZE, G122_HEAP_OFFSET, G122_SP_OFFSET, G122_PC_OFFSET, G122_FN_OFFSET, G122_LINK_OFFSET),
    /** Go 1.14-1.21: 72 bytes. */
    GO114_72(G114_SIZE, G114_HEAP_OFFSET, G114_SP_OFFSET, G114_PC_OFFSET, G114_FN_OFFSET, G114_LINK_OFFSET);

    /** Record size in bytes. */
    public final int size;
    /** Offset of {@code heap bool}. */
    public final int heapOffset;
    /** Offset of {@code sp}. */
    public final int spOffset;
    /** Offset of {@code pc} (model: the argument). */
    public final int pcOffset;
    /** Offset of {@code fn}. */
    public final int fnOffset;
    /** Offset of {@code link}. */
    public final int linkOffset;

    DeferLayout(int size, int heapOffset, int spOffset, int pcOffset, int fnOffset, int linkOffset) {
        this.size = size;
        this.heapOffset = heapOffset;
        this.spOffset = spOffset;
        this.pcOffset = pcOffset;
        this.fnOffset = fnOffset;
        this.linkOffset = linkOffset;
    }

    /** A fresh Java-heap record of this layout (models {@code new(_defer)}). */
    DeferRecord newRecord() {
        return this == GO122_48 ? new DeferRecord() : new DeferRecord72();
    }
}
