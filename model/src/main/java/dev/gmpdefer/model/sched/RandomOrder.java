package dev.gmpdefer.model.sched;

/**
 * Visits every P exactly once in a pseudo-random order: a random start and a random step coprime to
 * the number of Ps, {@code pos = (pos + inc) % count}.
 *
 * <p>Models proc.go: randomOrder / randomEnum (Go 1.21), used by stealWork. Immutable after
 * construction; the enumeration state lives in the caller (allocation-free).
 */
public final class RandomOrder {
    private final int count;
    private final int[] coprimes;

    /** Models proc.go: randomOrder.reset (Go 1.21): all numbers in 1..count coprime to count. */
    public RandomOrder(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("RandomOrder count must be >= 1: " + count);
        }
        this.count = count;
        int n = 0;
        int[] tmp = new int[count];
        for (int i = 1; i <= count; i++) {
            if (gcd(i, count) == 1) {
                tmp[n++] = i;
            }
        }
        this.coprimes = java.util.Arrays.copyOf(tmp, n);
    }

    static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    public int count() {
        return count;
    }

    /** Start position for random value {@code i} (proc.go: randomOrder.start: pos = i % count). */
    public int startPos(int i) {
        return Integer.remainderUnsigned(i, count);
    }

    /** Step for random value {@code i} (proc.go: randomOrder.start: inc = coprimes[i/count % len]). */
    public int step(int i) {
        return coprimes[Integer.remainderUnsigned(Integer.divideUnsigned(i, count), coprimes.length)];
    }

    /** Next position (proc.go: randomEnum.next). */
    public int next(int pos, int inc) {
        return (pos + inc) % count;
    }
}
