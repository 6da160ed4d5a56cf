package dev.gmpdefer.model.internal;

/**
 * A per-thread xorshift generator, allocation-free and not thread-safe.
 * Stands in for Go's per-M {@code cheaprand} / {@code fastrand} (wyrand in Go 1.21); the exact
 * generator does not matter to the scheduler, only that each M has its own and that runs are
 * reproducible from a seed.
 */
public final class FastRand {
    private long state;

    public FastRand(long seed) {
        // splitmix64 finaliser so that nearby seeds give unrelated streams; never zero
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        state = z == 0 ? 0x2545F4914F6CDD1DL : z;
    }

    public int nextInt() {
        long x = state;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        state = x;
        return (int) (x >>> 32);
    }
}
