package dev.gmpdefer.model.workload;

import dev.gmpdefer.model.internal.Spin;

import dev.gmpdefer.model.sched.G;

/**
 * A treatment applied to the place where a workload's function registers its defers: real defers,
 * nothing, CPU burned instead, bytes allocated instead, or the article's hypothetical requeue.
 *
 * <p>The CPU control burns, per defer registered and per defer run, the spin units (see
 * {@link CostClock}) for the ns it is given; {@link CpuControl} measures those ns (the one place the
 * control is calibrated) and builds it with {@link #cpuControl}.
 * Deferred functions are empty ({@code defer func(){}()}), as in the article.
 *
 * <p>Go counterpart: the {@code defer} treatment is panic.go: deferproc / deferreturn (through
 * {@link DeferOps}); the controls have none, they are the experiment's; {@code article_hypothesis} is
 * a mechanism Go does not have (claim C9: deferproc never touches the run queues).
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
    private static final int STRIDE = 8;
    private static final int REG_NS = 0;
    private static final int REG_N = 1;
    private static final int RUN_NS = 2;
    private static final int RUN_N = 3;
    private final long clockCost;

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

    /** A CPU control (not timed) that burns the given ns per defer registered and per defer run. */
    static TreatmentOps cpuControl(double nsPerRegister, double nsPerRun) {
        return cpuControl(nsPerRegister, nsPerRun, CostClock.REAL);
    }

    static TreatmentOps cpuControl(double nsPerRegister, double nsPerRun, CostClock clock) {
        TreatmentOps t = new TreatmentOps(Treatment.CPU_CONTROL, null, 0, clock);
        t.setControlRates(nsPerRegister, nsPerRun);
        return t;
    }

    /** A CPU control that burns the given ns per defer registered and per defer run, timed in situ. */
    static TreatmentOps measuringControl(double nsPerRegister, double nsPerRun, int procs) {
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
    void setControlRates(double nsPerRegister, double nsPerRun) {
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
     * the same spin units: the correction after check runs (see {@link CpuControl#matched}).
     */
    TreatmentOps scaledControl(double factor) {
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
     * In situ: wall-clock ns per defer registered (NaN when nothing was timed). Read after the run. With
     * more runnable threads than cores it includes time an M spent descheduled inside a call.
     */
    public double measuredNsPerRegister() {
        long n = sum(REG_N);
        return n == 0 ? Double.NaN : Math.max(0, sum(REG_NS)) / (double) n;
    }

    /** In situ: wall-clock ns per deferred call run (NaN when nothing was timed). Read after the run. */
    public double measuredNsPerRun() {
        long n = sum(RUN_N);
        return n == 0 ? Double.NaN : Math.max(0, sum(RUN_NS)) / (double) n;
    }

    /** In situ: defers registered by timed calls (0 when not measuring). */
    public long measuredRegisters() {
        return sum(REG_N);
    }

    /** In situ: deferred calls completed by timed calls (0 when not measuring). */
    public long measuredRuns() {
        return sum(RUN_N);
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

    /** CPU control: ns it burns per defer registered (NaN when it is not a control with rates). */
    public double nsPerRegister() {
        return nsPerRegister;
    }

    /** CPU control: ns it burns per defer run (NaN when it is not a control with rates). */
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
                burn(g, pid, unitsPerRegister * n);
                return false;
            case ALLOC_CONTROL:
                allocate(g, n);
                g.mallocgc(pid, n * BLOB_SIZE_CLASS);
                // mallocgc's CPU per object (no span costs: the control's spans are not tracked) and the
                // barrier of the store that links each object into the G's chain
                g.chargeMalloc(pid, n, 0);
                g.chargeWriteBarriers(pid, n);
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
                burn(g, pid, unitsPerRun * k);
                return k;
            case ALLOC_CONTROL:
                release(g, k);
                g.heapDead(pid, k * BLOB_SIZE_CLASS);
                return k;
            default:
                throw new IllegalStateException("run: " + treatment);
        }
    }

    /**
     * Burns {@code units} on P {@code pid}, carrying the fraction to the P's next burn, so that a control
     * whose rate is below one unit per call still burns its rate over the run (a unit is a few ns; see
     * CostClock). The carry is per P, written only by the M that owns the P.
     */
    private void burn(G g, int pid, double units) {
        int whole = Spin.carryUnits(carry, (pid & (MAX_CARRY_PS - 1)) * STRIDE, units);
        if (whole > 0) {
            clock.burn(g.goid(), whole);
        }
    }

    /** Ps with their own carry slot (pids beyond share one, which only makes the carry approximate). */
    private static final int MAX_CARRY_PS = 256;
    /** The CPU control's fractional units per P, stride 8 doubles (64 B) apart. */
    private final double[] carry = new double[MAX_CARRY_PS * STRIDE];

    /** A heap object of about one record's size, linked so that the chain stays live (alloc control). */
    static final class Blob {
        Blob next;
        long a;
        long b;
        long c;
        long d;
    }

    /** The Go object the alloc control stands for: 72 bytes with pointers, size class 80. */
    static final long BLOB_SIZE_CLASS = SizeClasses.roundUp(72);

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

    /** Heap bytes of the live defer records (pooled or pending); 0 without real defer operations. */
    public long heapBytes() {
        return defers == null ? 0 : defers.heapBytes();
    }

    /** Bytes of stack records on the Gs' chains (scanstack's share); 0 without real defer operations. */
    public long stackScanBytes() {
        return defers == null ? 0 : defers.stackScanBytes();
    }

    /** Before a run starts (no P runs): the defer operations' {@link DeferOps#beforeRun}. */
    public void beforeRun() {
        if (defers != null) {
            defers.beforeRun();
        }
    }

    /** mgc.go: clearpools, the defer part (bytes that died); 0 without real defer operations. */
    public long clearpools() {
        return defers == null ? 0 : defers.clearpools();
    }

    public void close() {
        if (defers != null) {
            defers.close();
        }
    }
}
