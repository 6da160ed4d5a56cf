package dev.gmpdefer.model.workload;

import dev.gmpdefer.model.sched.G;

/**
 * A treatment applied to the place where a workload's function registers its defers: real defers,
 * nothing, CPU burned instead, bytes allocated instead, or the article's hypothetical requeue.
 *
 * <p>The CPU control burns, per defer registered and per defer run, the number of spin units (see
 * {@link CostClock}) that {@link #calibrate} or an in-situ run ({@link #measuring}) measured the real
 * operations to cost, in this JVM, before the measurement.
 * Deferred functions are empty ({@code defer func(){}()}), as in the article.
 */
public final class TreatmentOps {
    private final Treatment treatment;
    private final DeferOps defers;
    private final CostClock clock;
    /** CPU control: spin units per defer registered / run, fractional (carried between calls). */
    private double unitsPerRegister;
    private double unitsPerRun;
    private double nsPerRegister = Double.NaN;
    private double nsPerRun = Double.NaN;

    /**
     * In-situ timing (see {@link #measuring}): per-P sums of ns spent in register / run and of defers
     * registered / run, each P's slots written only by the M that owns the P. Stride 8 longs (64 B)
     * so that two Ps never share a cache line. Null when not measuring.
     */
    private final long[] timing;
    /**
     * In-situ timing samples one call in {@value #CPU_SAMPLE} (and every call of at least
     * {@value #CPU_ALWAYS} defers) with the thread's CPU clock instead of the wall clock: what the defers
     * cost in CPU, without the time an M spends descheduled inside a call when there are more runnable
     * threads than cores. The CPU clock costs about a microsecond to read, hence the sampling.
     */
    static final int CPU_SAMPLE = 8;
    static final int CPU_ALWAYS = 32;
    private static final int STRIDE = 16; // 128 B per P: no two Ps share a cache line
    private static final int REG_NS = 0;
    private static final int REG_N = 1;
    private static final int RUN_NS = 2;
    private static final int RUN_N = 3;
    private static final int REG_CPU_NS = 4;
    private static final int REG_CPU_N = 5;
    private static final int RUN_CPU_NS = 6;
    private static final int RUN_CPU_N = 7;
    private static final int CALLS = 8;
    private final long clockCost;
    /** Median CPU consumed by one pair of CPU-clock reads; -1 when the CPU clock is not available. */
    private final long cpuClockCost;

    /**
     * @param treatment what to do
     * @param defers    the real defer operations (used by DEFER and ARTICLE_HYPOTHESIS, and measured
     *                  for CPU_CONTROL); may be null for NONE and ALLOC_CONTROL
     */
    public TreatmentOps(Treatment treatment, DeferOps defers) {
        this(treatment, defers, 0, CostClock.REAL);
    }

    /**
     * @param procs timed in situ for pids 0..procs-1 when {@code procs > 0}; not timed when 0
     * @param clock the clock and burner (tests pass a deterministic one)
     */
    TreatmentOps(Treatment treatment, DeferOps defers, int procs, CostClock clock) {
        if (treatment == null) {
            throw new IllegalArgumentException("treatment: null; valid values: " + Treatment.ids());
        }
        if (treatment.registersDefers() && defers == null) {
            throw new IllegalArgumentException("treatment " + treatment.id() + " needs defer operations");
        }
        if (clock == null) {
            throw new IllegalArgumentException("clock: null");
        }
        this.treatment = treatment;
        this.defers = defers;
        this.clock = clock;
        this.timing = procs > 0 ? new long[(procs + 1) * STRIDE] : null;
        this.cpuClockCost = procs > 0 ? cpuClockCost(clock) : -1;
        this.clockCost = procs > 0 ? clockCost(clock) : 0;
    }

    /**
     * Real defers ({@code DEFER}, or the CPU control's burn when {@code inner} is a control) whose
     * register and run calls are timed where they happen, in a real run of the workload: the cost of
     * defers in the workload's own regime (cold records, empty pools, lock contention), which a
     * steady-state loop does not see. Used to calibrate the CPU control in situ and to check it.
     *
     * @param procs the number of Ps of the runs (pids 0..procs-1)
     */
    public static TreatmentOps measuring(DeferOps defers, int procs) {
        return measuring(defers, procs, CostClock.REAL);
    }

    static TreatmentOps measuring(DeferOps defers, int procs, CostClock clock) {
        if (defers == null) {
            throw new IllegalArgumentException("measuring needs defer operations");
        }
        if (procs < 1) {
            throw new IllegalArgumentException("measuring needs procs >= 1: " + procs);
        }
        return new TreatmentOps(Treatment.DEFER, defers, procs, clock);
    }

    /** A CPU control that burns the given ns per defer registered and per defer run, timed in situ. */
    public static TreatmentOps measuringControl(double nsPerRegister, double nsPerRun, int procs) {
        return measuringControl(nsPerRegister, nsPerRun, procs, CostClock.REAL);
    }

    static TreatmentOps measuringControl(double nsPerRegister, double nsPerRun, int procs, CostClock clock) {
        if (procs < 1) {
            throw new IllegalArgumentException("measuringControl needs procs >= 1: " + procs);
        }
        TreatmentOps t = new TreatmentOps(Treatment.CPU_CONTROL, null, procs, clock);
        t.setControlRates(nsPerRegister, nsPerRun);
        return t;
    }

    /**
     * For a control timed in situ ({@link #measuringControl}), after its run: the factor by which its burn
     * must be scaled to cost what it was told to, {@code (nsPerRegister + nsPerRun) / (measured register +
     * run)}; 1 when nothing was timed or nothing was to be burned. See {@link #scaledControl}.
     */
    public double correctionFactor() {
        if (treatment != Treatment.CPU_CONTROL || timing == null) {
            throw new IllegalStateException("correctionFactor: only for a CPU control timed in situ");
        }
        double target = nsPerRegister + nsPerRun;
        double reg = measuredNsPerRegister();
        double run = measuredNsPerRun();
        double got = (Double.isNaN(reg) ? 0 : reg) + (Double.isNaN(run) ? 0 : run);
        return got > 0 && target > 0 ? target / got : 1.0;
    }

    /** Median cost of one clock read, subtracted from each timed call. */
    private static long clockCost(CostClock clock) {
        long[] s = new long[21];
        for (int k = 0; k < s.length; k++) {
            long t0 = clock.nanoTime();
            for (int i = 0; i < 1000; i++) {
                clock.nanoTime();
            }
            s[k] = (clock.nanoTime() - t0) / 1000;
        }
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Sets what the CPU control burns: ns per defer registered and per defer run. */
    public void setControlRates(double nsPerRegister, double nsPerRun) {
        if (!(nsPerRegister >= 0) || !(nsPerRun >= 0)) {
            throw new IllegalArgumentException("control rates must be >= 0 ns: " + nsPerRegister + ", " + nsPerRun);
        }
        this.nsPerRegister = nsPerRegister;
        this.nsPerRun = nsPerRun;
        double perUnit = clock.recalibrate(); // measured now, in the JIT state the control will run in
        this.unitsPerRegister = nsPerRegister / perUnit;
        this.unitsPerRun = nsPerRun / perUnit;
    }

    /**
     * A CPU control (not timed) that burns {@code factor} times what this control burns per defer, in
     * the same spin units: the correction after a check run timed in situ (see LatencySetup).
     */
    public TreatmentOps scaledControl(double factor) {
        if (treatment != Treatment.CPU_CONTROL) {
            throw new IllegalStateException("scaledControl: " + treatment.id() + " is not a CPU control");
        }
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("scaledControl: factor must be > 0 and finite: " + factor);
        }
        TreatmentOps t = new TreatmentOps(Treatment.CPU_CONTROL, null, 0, clock);
        t.nsPerRegister = nsPerRegister * factor;
        t.nsPerRun = nsPerRun * factor;
        t.unitsPerRegister = unitsPerRegister * factor;
        t.unitsPerRun = unitsPerRun * factor;
        return t;
    }

    /** Median CPU time between two back-to-back CPU-clock reads, or -1 without a CPU clock. */
    private static long cpuClockCost(CostClock clock) {
        if (clock.threadCpuNanos() < 0) {
            return -1;
        }
        long[] d = new long[31];
        for (int k = 0; k < d.length; k++) {
            long c0 = clock.threadCpuNanos();
            d[k] = clock.threadCpuNanos() - c0;
        }
        java.util.Arrays.sort(d);
        return d[d.length / 2];
    }

    /** Whether this call of {@code n} defers on the P at slot {@code i} is timed with the CPU clock. */
    private boolean sampleCpu(int i, int n) {
        return cpuClockCost >= 0 && (n >= CPU_ALWAYS || (timing[i + CALLS]++ & (CPU_SAMPLE - 1)) == 0);
    }

    private long sum(int slot) {
        if (timing == null) {
            return 0;
        }
        long s = 0;
        for (int i = 0; i < timing.length; i += STRIDE) {
            s += timing[i + slot];
        }
        return s;
    }

    /**
     * In situ: CPU ns per defer registered, from the calls timed with the thread's CPU clock (the wall
     * clock's mean when the JVM has no CPU clock); NaN when nothing was timed. Read after the run.
     */
    public double measuredNsPerRegister() {
        return measured(REG_CPU_NS, REG_CPU_N, REG_NS, REG_N);
    }

    /** In situ: CPU ns per deferred call run, as {@link #measuredNsPerRegister}. Read after the run. */
    public double measuredNsPerRun() {
        return measured(RUN_CPU_NS, RUN_CPU_N, RUN_NS, RUN_N);
    }

    private double measured(int cpuNs, int cpuN, int wallNs, int wallN) {
        long n = sum(cpuN);
        if (n > 0) {
            return Math.max(0, sum(cpuNs)) / (double) n;
        }
        n = sum(wallN);
        return n == 0 ? Double.NaN : Math.max(0, sum(wallNs)) / (double) n;
    }

    /**
     * In situ: the wall-clock ns per defer registered of the calls not timed with the CPU clock (NaN when
     * none): larger than the CPU figure by whatever descheduling happened inside them.
     */
    public double measuredWallNsPerRegister() {
        long n = sum(REG_N);
        return n == 0 ? Double.NaN : Math.max(0, sum(REG_NS)) / (double) n;
    }

    /** In situ: the wall-clock ns per deferred call run, as {@link #measuredWallNsPerRegister}. */
    public double measuredWallNsPerRun() {
        long n = sum(RUN_N);
        return n == 0 ? Double.NaN : Math.max(0, sum(RUN_NS)) / (double) n;
    }

    /** In situ: defers registered by timed calls (0 when not measuring). */
    public long measuredRegisters() {
        return sum(REG_N) + sum(REG_CPU_N);
    }

    /** In situ: deferred calls completed by timed calls (0 when not measuring). */
    public long measuredRuns() {
        return sum(RUN_N) + sum(RUN_CPU_N);
    }

    /** CPU control: spin units burned per defer registered (fractional; 0 before calibration). */
    public double controlUnitsPerRegister() {
        return unitsPerRegister;
    }

    /** CPU control: spin units burned per defer run (fractional; 0 before calibration). */
    public double controlUnitsPerRun() {
        return unitsPerRun;
    }

    /** Clears the in-situ sums. */
    public void resetMeasurement() {
        if (timing != null) {
            java.util.Arrays.fill(timing, 0);
        }
    }

    public Treatment treatment() {
        return treatment;
    }

    /**
     * Measures, on the calling thread, what {@code density} defers per call cost in the real defer
     * operations (register + run), and sets the CPU control to burn as much. Runs for about
     * {@code budgetNanos}. Returns the measured ns per call (register + run of {@code density}).
     */
    public double calibrate(int density, long budgetNanos) {
        if (defers == null || density == 0 || treatment == Treatment.CPU_CONTROL && timing != null) {
            nsPerRegister = 0;
            nsPerRun = 0;
            return 0;
        }
        G g = G.detached(0, 1);
        // warm-up so the JIT compiles the defer paths, then time register and run separately
        long end = clock.nanoTime() + budgetNanos / 3;
        while (clock.nanoTime() < end) {
            defers.register(g, 0, density);
            drain(g, density);
        }
        long reg = 0;
        long run = 0;
        long calls = 0;
        end = clock.nanoTime() + 2 * budgetNanos / 3;
        do { // at least one timed call, whatever the budget
            long t0 = clock.nanoTime();
            defers.register(g, 0, density);
            long t1 = clock.nanoTime();
            drain(g, density);
            long t2 = clock.nanoTime();
            reg += t1 - t0;
            run += t2 - t1;
            calls++;
        } while (clock.nanoTime() < end);
        nsPerRegister = reg / (double) (calls * density);
        nsPerRun = run / (double) (calls * density);
        double perUnit = clock.nanosPerUnit();
        unitsPerRegister = nsPerRegister / perUnit;
        unitsPerRun = nsPerRun / perUnit;
        return (reg + run) / (double) calls;
    }

    private void drain(G g, int pending) {
        while (pending > 0) {
            int done = defers.run(g, 0, pending);
            if (done <= 0) {
                throw new IllegalStateException("calibrate: " + pending + " deferred calls pending but none ran");
            }
            pending -= done;
        }
    }

    /** Measured ns per defer registered (NaN before {@link #calibrate}). */
    public double nsPerRegister() {
        return nsPerRegister;
    }

    /** Measured ns per defer run (NaN before {@link #calibrate}). */
    public double nsPerRun() {
        return nsPerRun;
    }

    /**
     * The registration point of a call: {@code n} defer statements executed.
     *
     * @return true only for the hypothetical treatment, when the G must be requeued globally (C9)
     */
    public boolean register(G g, int pid, int n) {
        if (timing != null) {
            int i = pid * STRIDE;
            if (sampleCpu(i, n)) {
                long c0 = clock.threadCpuNanos();
                boolean r = register0(g, pid, n);
                timing[i + REG_CPU_NS] += clock.threadCpuNanos() - c0 - cpuClockCost;
                timing[i + REG_CPU_N] += n;
                return r;
            }
            long t0 = clock.nanoTime();
            boolean r = register0(g, pid, n);
            timing[i + REG_NS] += clock.nanoTime() - t0 - clockCost;
            timing[i + REG_N] += n;
            return r;
        }
        return register0(g, pid, n);
    }

    private boolean register0(G g, int pid, int n) {
        switch (treatment) {
            case NONE:
                return false;
            case DEFER:
                defers.register(g, pid, n);
                return false;
            case ARTICLE_HYPOTHESIS:
                return defers.register(g, pid, n);
            case CPU_CONTROL:
                burn(g, unitsPerRegister * n);
                return false;
            case ALLOC_CONTROL:
                allocate(g, n);
                return false;
            default:
                throw new IllegalStateException("register: " + treatment);
        }
    }

    /**
     * The return of a call with {@code pending} deferred calls: runs up to {@code max} of them.
     *
     * @return how many of the pending calls were completed (real, burned or dropped)
     */
    public int run(G g, int pid, int pending, int max) {
        if (timing != null) {
            int i = pid * STRIDE;
            if (sampleCpu(i, Math.min(pending, max))) {
                long c0 = clock.threadCpuNanos();
                int done = run0(g, pid, pending, max);
                timing[i + RUN_CPU_NS] += clock.threadCpuNanos() - c0 - cpuClockCost;
                timing[i + RUN_CPU_N] += done;
                return done;
            }
            long t0 = clock.nanoTime();
            int done = run0(g, pid, pending, max);
            timing[i + RUN_NS] += clock.nanoTime() - t0 - clockCost;
            timing[i + RUN_N] += done;
            return done;
        }
        return run0(g, pid, pending, max);
    }

    private int run0(G g, int pid, int pending, int max) {
        int k = Math.min(pending, max);
        switch (treatment) {
            case NONE:
                return k;
            case DEFER:
            case ARTICLE_HYPOTHESIS:
                return defers.run(g, pid, k);
            case CPU_CONTROL:
                burn(g, unitsPerRun * k);
                return k;
            case ALLOC_CONTROL:
                release(g, k);
                return k;
            default:
                throw new IllegalStateException("run: " + treatment);
        }
    }

    /** Burns {@code units} rounded to the nearest unit (a unit is a few ns; see CostClock). */
    private void burn(G g, double units) {
        int whole = (int) Math.round(units);
        if (whole > 0) {
            clock.burn(g.goid(), whole);
        }
    }

    /** A heap object of about one record's size, linked so that the chain stays live (alloc control). */
    static final class Blob {
        Blob next;
        long a;
        long b;
        long c;
        long d;
    }

    private static void allocate(G g, int n) {
        Blob head = (Blob) g.aux;
        for (int i = 0; i < n; i++) {
            Blob x = new Blob();
            x.next = head;
            head = x;
        }
        g.aux = head;
    }

    private static void release(G g, int n) {
        Blob head = (Blob) g.aux;
        for (int i = 0; i < n && head != null; i++) {
            head = head.next;
        }
        g.aux = head;
    }

    public void close() {
        if (defers != null) {
            defers.close();
        }
    }
}
