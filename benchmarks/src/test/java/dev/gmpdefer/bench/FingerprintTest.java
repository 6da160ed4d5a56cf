package dev.gmpdefer.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The JVM's fingerprint probe chases the same single cycle as Go's (realgo/fingerprint.go). */
class FingerprintTest {
    @Test
    void theCycleIsOneCycleThroughEverySlot() {
        for (int n : new int[] {2, 3, 1000, 4096}) {
            int[] next = Fingerprint.cycle(n);
            boolean[] seen = new boolean[n];
            int p = 0;
            int steps = 0;
            while (!seen[p]) {
                seen[p] = true;
                p = next[p];
                steps++;
            }
            assertEquals(n, steps, "n=" + n);
            assertEquals(0, p);
        }
    }

    /** Go's cycle for n = 10 (realgo: TestFingerprintCycleMatchesJava asserts the same slots). */
    @Test
    void theSameCycleAsGo() {
        assertArrayEquals(GO_CYCLE_10, Fingerprint.cycle(10));
    }

    static final int[] GO_CYCLE_10 = {6, 9, 1, 8, 3, 4, 2, 0, 7, 5};
}
