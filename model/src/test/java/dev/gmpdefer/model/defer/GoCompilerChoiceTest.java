package dev.gmpdefer.model.defer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** GO_COMPILER picks what Go 1.22's compiler picks (reference item 19). */
class GoCompilerChoiceTest {

    @Test
    void oneDeferIsOpenCoded() {
        FuncShape f = FuncShape.straight(1, 1);
        assertTrue(f.openCoded());
        assertEquals(DeferKind.OPEN_CODED, f.kind(0));
    }

    @Test
    void eightDefersAreOpenCoded() {
        FuncShape f = FuncShape.straight(8, 1);
        assertTrue(f.openCoded());
        for (int i = 0; i < 8; i++) {
            assertEquals(DeferKind.OPEN_CODED, f.kind(i));
        }
    }

    @Test
    void nineDefersGetStackRecords() {
        FuncShape f = FuncShape.straight(9, 1);
        assertFalse(f.openCoded(), "more than maxOpenDefers = 8");
        for (int i = 0; i < 9; i++) {
            assertEquals(DeferKind.STACK, f.kind(i));
        }
    }

    @Test
    void aDeferInALoopIsAHeapRecordAndDisablesOpenCodingForTheWholeFunction() {
        FuncShape f = FuncShape.of(1, false, true);
        assertFalse(f.openCoded());
        assertEquals(DeferKind.STACK, f.kind(0));
        assertEquals(DeferKind.HEAP, f.kind(1));
        assertEquals(DeferKind.HEAP, FuncShape.loop().kind(0));
    }

    @Test
    void twoDefersTimesEightReturnsExceedFifteen() {
        FuncShape f = FuncShape.straight(2, 8);
        assertFalse(f.openCoded(), "2 x 8 = 16 > 15");
        assertEquals(DeferKind.STACK, f.kind(0));
        assertEquals(DeferKind.STACK, f.kind(1));
        assertTrue(FuncShape.straight(2, 7).openCoded(), "2 x 7 = 14 <= 15");
        assertTrue(FuncShape.straight(3, 5).openCoded(), "3 x 5 = 15 <= 15");
    }

    /** The chain follows the choice: no records for open-coded, stack records, pooled heap records. */
    @Test
    void chainUsesTheChosenKind() {
        DeferAllocator a = DeferAllocator.create(DeferStrategy.GO_COMPILER, 1);
        DeferChain c = a.newChain();
        Recorder r = new Recorder();

        long sp = c.enterFrame(FuncShape.straight(8, 1));
        for (int i = 0; i < 8; i++) {
            assertFalse(c.deferproc(0, i, r, i));
        }
        assertEquals(0, a.outstanding(), "open-coded: no record");
        c.deferreturn(0, sp);

        sp = c.enterFrame(FuncShape.straight(9, 1));
        for (int i = 0; i < 9; i++) {
            assertFalse(c.deferproc(0, i, r, i));
        }
        assertEquals(9, a.outstanding(), "stack records");
        assertEquals(0, a.localMisses(), "stack records never call newdefer");
        c.deferreturn(0, sp);

        sp = c.enterFrame(FuncShape.loop());
        for (int i = 0; i < 5; i++) {
            c.deferproc(0, 0, r, i);
        }
        assertEquals(5, a.outstanding());
        assertEquals(5, a.allocated(), "heap records from newdefer");
        c.deferreturn(0, sp);
        assertEquals(5, a.localPoolSize(0), "and back to the P's pool");
        assertEquals(8 + 9 + 5, r.n);
    }
}
