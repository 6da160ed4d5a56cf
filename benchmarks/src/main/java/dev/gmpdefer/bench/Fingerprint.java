package dev.gmpdefer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;

/**
 * The host fingerprint, measured in the JVM (issue 20): how fast this host runs memory-bound and
 * arithmetic code right now, measured exactly as realgo measures it in Go (realgo/fingerprint.go), so
 * that the model and real Go are compared only where the host ran at the same speed. The memory probe
 * chases one random cycle (Sattolo's shuffle, from the same seed and generator as Go's) through a
 * buffer of {@value #MEM_MIB} MiB, larger than the last-level cache, so every load waits for the one
 * before; the arithmetic probe times xorshift64 steps. Each figure is the median of {@value #PASSES}
 * timed passes after untimed ones.
 *
 * <p>Run: {@code java -cp benchmarks.jar dev.gmpdefer.bench.Fingerprint [--when W] [--block B]}; it prints
 * one JSON line (the fields of realgo's {@code Fingerprint}, side "jvm"). scripts/run.sh paired runs it
 * at the start and end of every block.
 */
public final class Fingerprint {
    static final int MEM_MIB = 128;
    static final int LOADS = 1 << 21;
    static final int STEPS = 1 << 25;
    static final int PASSES = 3;
    static final int WARMUP = 8;

    private static long sink;

    private Fingerprint() {
    }

    static long splitmix64(long x) {
        x += 0x9E3779B97F4A7C15L;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    static long xorshift64(long x) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        return x;
    }

    /** One random cycle through n slots: next[i] is the slot after i (Sattolo), as Go's fingerprintCycle. */
    static int[] cycle(int n) {
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = i;
        }
        long r = splitmix64(20261206);
        for (int i = n - 1; i > 0; i--) {
            r = xorshift64(r);
            int j = (int) Long.remainderUnsigned(r, i);
            int t = next[i];
            next[i] = next[j];
            next[j] = t;
        }
        return next;
    }

    /** One pass of the memory probe: {@code loads} dependent loads from slot p; returns where it ended. */
    static int chase(int[] next, int p, int loads) {
        for (int i = 0; i < loads; i++) {
            p = next[p];
        }
        return p;
    }

    /** One pass of the arithmetic probe: {@code steps} xorshift64 steps from x. */
    static long xorshiftSteps(long x, int steps) {
        for (int i = 0; i < steps; i++) {
            x = xorshift64(x);
        }
        return x;
    }

    /**
     * ns per dependent load, ns per xorshift step. Each pass is its own call, so that the JIT compiles the
     * loops as methods (not on-stack replacement) during the {@value #WARMUP} untimed passes before
     * the timed ones; Go's probe needs one untimed pass (warming the TLB and page tables).
     */
    static double[] measure() {
        int[] next = cycle(MEM_MIB << 20 >> 2);
        double[] mem = new double[PASSES];
        int p = 0;
        for (int k = 0; k < WARMUP + PASSES; k++) {
            long t0 = System.nanoTime();
            p = chase(next, p, k < WARMUP ? LOADS / 8 : LOADS);
            if (k >= WARMUP) {
                mem[k - WARMUP] = (System.nanoTime() - t0) / (double) LOADS;
            }
        }
        double[] ari = new double[PASSES];
        long x = p | 1;
        for (int k = 0; k < WARMUP + PASSES; k++) {
            long t0 = System.nanoTime();
            x = xorshiftSteps(x, k < WARMUP ? STEPS / 8 : STEPS);
            if (k >= WARMUP) {
                ari[k - WARMUP] = (System.nanoTime() - t0) / (double) STEPS;
            }
        }
        sink += x;
        Arrays.sort(mem);
        Arrays.sort(ari);
        return new double[] {mem[PASSES / 2], ari[PASSES / 2]};
    }

    private static String firstLine(String path) {
        try {
            String s = Files.readString(Path.of(path)).trim();
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name") && l.indexOf(':') >= 0) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no model
        }
        return "";
    }

    private static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** One fingerprint as a JSON line. */
    static String json(String when, String block) {
        double[] m = measure();
        return String.format(Locale.ROOT, "{\"side\":\"jvm\",\"when\":%s,%s\"date\":%s,\"memNsPerLoad\":%.4f,"
                        + "\"memBufferMiB\":%d,\"xorshiftNsPerStep\":%.4f,\"kernel\":%s,\"cpuModel\":%s}",
                q(when), block.isEmpty() ? "" : "\"block\":" + q(block) + ",",
                q(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()), m[0], MEM_MIB, m[1],
                q(firstLine("/proc/sys/kernel/osrelease")), q(cpuModel()));
    }

    public static void main(String[] args) {
        String when = "now";
        String block = "";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--when") || a.equals("--block")) && i + 1 < args.length) {
                if (a.equals("--when")) {
                    when = args[++i];
                } else {
                    block = args[++i];
                }
            } else if (a.equals("-h") || a.equals("--help")) {
                System.out.println("Usage: java -cp benchmarks.jar dev.gmpdefer.bench.Fingerprint [--when W] [--block B]");
                return;
            } else {
                System.err.println("Fingerprint: unknown argument '" + a + "' (usage: [--when W] [--block B])");
                System.exit(2);
            }
        }
        System.out.println(json(when, block));
    }
}
