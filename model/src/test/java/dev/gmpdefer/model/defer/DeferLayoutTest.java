package dev.gmpdefer.model.defer;

import org.junit.jupiter.api.Test;

import static dev.gmpdefer.model.defer.DeferRecordDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/** The descriptor agrees with Go's amd64 layout rules: no overlap, 8-byte words aligned, sizes 48 and 72. */
class DeferLayoutTest {

    private static void assertLayout(int size, int[] offsets, int[] widths) {
        boolean[] used = new boolean[size];
        for (int f = 0; f < offsets.length; f++) {
            assertEquals(0, offsets[f] % widths[f], "field " + f + " aligned to its width");
            for (int b = offsets[f]; b < offsets[f] + widths[f]; b++) {
                assertFalse(used[b], "byte " + b + " used twice");
                used[b] = true;
            }
        }
        assertEquals(0, size % ALIGNMENT);
        assertTrue(used[size - 1], "no tail padding: the last field ends the struct");
    }

    @Test
    void go122Is48Bytes() {
        assertEquals(48, G122_SIZE);
        assertLayout(G122_SIZE,
                new int[] {G122_HEAP_OFFSET, G122_RANGEFUNC_OFFSET, G122_SP_OFFSET, G122_PC_OFFSET, G122_FN_OFFSET,
                        G122_LINK_OFFSET, G122_HEAD_OFFSET},
                new int[] {1, 1, 8, 8, 8, 8, 8});
        assertEquals(48, DeferLayout.GO122_48.size);
    }

    @Test
    void go114Is72Bytes() {
        assertEquals(72, G114_SIZE);
        assertLayout(G114_SIZE,
                new int[] {G114_STARTED_OFFSET, G114_HEAP_OFFSET, G114_OPENDEFER_OFFSET, G114_SP_OFFSET, G114_PC_OFFSET,
                        G114_FN_OFFSET, G114_PANIC_OFFSET, G114_LINK_OFFSET, G114_FD_OFFSET, G114_VARP_OFFSET,
                        G114_FRAMEPC_OFFSET},
                new int[] {1, 1, 1, 8, 8, 8, 8, 8, 8, 8, 8});
        assertEquals(72, DeferLayout.GO114_72.size);
        assertEquals(G114_LINK_OFFSET, DeferLayout.GO114_72.linkOffset);
    }
}
