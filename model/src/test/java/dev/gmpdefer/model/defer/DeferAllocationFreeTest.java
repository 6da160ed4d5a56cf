package dev.gmpdefer.model.defer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Steady state allocates nothing for POOLED, OFFHEAP, STACK, OPEN_CODED and GO_COMPILER (measured with the
 * thread's allocated-bytes counter), while HEAP allocates a record per defer.
 */
class DeferAllocationFreeTest {
    static final int CALLS = 20_000;

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    private static final DeferFn SINK = arg -> { };

    private static long run(DeferChain c, int n, FuncShape shape, int calls) {
        long ran = 0;
        for (int k = 0; k < calls; k++) {
            int pid = k & 1; // migrate every call
            long sp = c.enterFrame(shape);
            for (int i = 0; i < n; i++) {
                c.deferproc(pid, shape != null && shape.inLoop(0) ? 0 : i, SINK, i);
            }
            ran += c.deferreturn(pid ^ 1, sp);
        }
        return ran;
    }

    @ParameterizedTest
    @EnumSource(value = DeferStrategy.class, names = {"POOLED", "OFFHEAP", "STACK", "OPEN_CODED", "GO_COMPILER"})
    void steadyStateIsAllocationFree(DeferStrategy s) {
        try (DeferAllocator a = DeferAllocator.create(s, 2)) {
            DeferChain c = a.newChain();
            int n = s == DeferStrategy.OPEN_CODED ? 8 : 64;
            FuncShape shape = s == DeferStrategy.GO_COMPILER ? FuncShape.loop() : null;
            run(c, n, shape, CALLS); // warm-up: pools fill, JIT compiles
            long before = allocatedBytes();
            long ran = run(c, n, shape, CALLS);
            long bytes = allocatedBytes() - before;
            assertEquals((long) n * CALLS, ran);
            assertTrue(bytes < 4096, s + " allocated " + bytes + " B for " + ran + " defers");
        }
    }

    @Test
    void heapAllocatesEveryRecord() {
        DeferAllocator a = DeferAllocator.create(DeferStrategy.HEAP, 2);
        DeferChain c = a.newChain();
        run(c, 64, null, CALLS);
        long before = allocatedBytes();
        long ran = run(c, 64, null, CALLS);
        long bytes = allocatedBytes() - before;
        assertTrue(bytes >= ran * 40, "HEAP: " + bytes + " B for " + ran + " defers");
    }
}
