package dev.gmpdefer.model.workload;

import dev.gmpdefer.model.defer.DeferAllocator;
import dev.gmpdefer.model.defer.DeferChain;
import dev.gmpdefer.model.defer.DeferLayout;
import dev.gmpdefer.model.defer.DeferStrategy;
import dev.gmpdefer.model.defer.FuncShape;
import dev.gmpdefer.model.sched.G;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Stack and open-coded records are frame memory (issue 19): a G's chain, with its stack records and
 * open-coded slots, is kept by the G's slot across runs, as a goroutine keeps its stack, so a new run's G
 * objects allocate no chain and no record.
 */
class FrameMemoryTest {

    @Test
    void aGOfTheSameSlotInTheNextRunReusesTheFrames() {
        for (FuncShape shape : new FuncShape[] {FuncShape.straight(12, 1), FuncShape.straight(4, 1)}) {
            AllocatorDeferOps ops = new AllocatorDeferOps(
                    DeferAllocator.create(DeferStrategy.GO_COMPILER, DeferLayout.GO122_48, 1), shape);
            G run1 = G.detached(5, 1);
            ops.register(run1, 0, shape.numDefers());
            assertEquals(shape.numDefers(), ops.run(run1, 0, shape.numDefers()));
            DeferChain frames = run1.defers;
            G run2 = G.detached(5, 99); // the next run's G object in the same slot
            ops.register(run2, 0, shape.numDefers());
            assertSame(frames, run2.defers, "the slot's frames are reused");
            assertEquals(shape.numDefers(), ops.run(run2, 0, shape.numDefers()));
            G other = G.detached(6, 100);
            ops.register(other, 0, 1);
            assertNotSame(frames, other.defers, "another slot has its own frames");
            assertEquals(0, ops.allocator().allocated(), "stack and open-coded defers allocate no record");
            ops.close();
        }
    }

    @Test
    void framesLeftInUseByAnAbortedRunAreNotReused() {
        FuncShape shape = FuncShape.straight(12, 1);
        AllocatorDeferOps ops = new AllocatorDeferOps(
                DeferAllocator.create(DeferStrategy.GO_COMPILER, DeferLayout.GO122_48, 1), shape);
        G aborted = G.detached(3, 1);
        ops.register(aborted, 0, 12); // never returns
        G next = G.detached(3, 2);
        ops.register(next, 0, 12);
        assertNotSame(aborted.defers, next.defers);
        assertEquals(12, ops.run(next, 0, 12));
        ops.close();
    }

    @Test
    void stackRecordsOnTheChainsAreWhatTheCyclesScanWithTheStacks() {
        FuncShape shape = FuncShape.straight(12, 1); // more than 8 sites: stack records
        AllocatorDeferOps ops = new AllocatorDeferOps(
                DeferAllocator.create(DeferStrategy.GO_COMPILER, DeferLayout.GO122_48, 1), shape);
        G a = G.detached(1, 1);
        G b = G.detached(2, 2);
        ops.register(a, 0, 12);
        ops.register(b, 0, 12);
        assertEquals(24L * 48, ops.stackScanBytes(), "two frames of 12 pending stack records");
        assertEquals(12, ops.run(a, 0, 12));
        assertEquals(12L * 48, ops.stackScanBytes());
        assertEquals(12, ops.run(b, 0, 12));
        assertEquals(0, ops.stackScanBytes());
        AllocatorDeferOps open = new AllocatorDeferOps(
                DeferAllocator.create(DeferStrategy.GO_COMPILER, DeferLayout.GO122_48, 1), FuncShape.straight(4, 1));
        open.register(G.detached(1, 3), 0, 4);
        assertEquals(0, open.stackScanBytes(), "open-coded defers have no record to scan");
        AllocatorDeferOps heap = new AllocatorDeferOps(
                DeferAllocator.create(DeferStrategy.GO_COMPILER, DeferLayout.GO122_48, 1), FuncShape.loop());
        heap.register(G.detached(1, 4), 0, 10);
        assertEquals(0, heap.stackScanBytes(), "heap records are scanned as part of the live heap");
        assertEquals(10L * 48, heap.heapBytes());
        for (AllocatorDeferOps o : new AllocatorDeferOps[] {ops, open, heap}) {
            o.close();
        }
    }
}
