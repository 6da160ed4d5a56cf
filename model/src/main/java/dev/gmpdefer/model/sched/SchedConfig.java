package dev.gmpdefer.model.sched;

/**
 * Configuration of a scheduler run, with Go's constants as defaults. Immutable; build with
 * {@link #builder()}. Every setter rejects an invalid value with an {@link IllegalArgumentException}
 * naming the knob and the value.
 */
public final class SchedConfig {
    /** Go's run queue size (runtime2.go: p.runq [256]guintptr). */
    public static final int GO_RUNQ_SIZE = 256;
    /** proc.go: forcePreemptNS = 10 * 1000 * 1000 (10 ms). */
    public static final long GO_FORCE_PREEMPT_NS = 10_000_000L;
    /** proc.go: runqgrab's usleep(3). */
    public static final long GO_RUNNEXT_STEAL_PAUSE_NS = 3_000L;
    /** proc.go: sysmon's first delay, usleep(20). */
    public static final long GO_SYSMON_MIN_DELAY_NS = 20_000L;
    /** proc.go: sysmon's delay cap, 10 ms. */
    public static final long GO_SYSMON_MAX_DELAY_NS = 10_000_000L;
    /** proc.go: schedtick % 61 fairness check. */
    public static final int GO_FAIRNESS_TICK = 61;
    /** proc.go: stealWork's stealTries = 4. */
    public static final int GO_STEAL_TRIES = 4;
    /**
     * Real Go's mark CPU per byte of marked heap on this machine: 1.7317 ms per MiB, the median over 258
     * GC cycles of results/2026-12-02-realgo-2 (gcCalibration.markCpuMsPerMb, go1.19.8, 2 CPUs).
     */
    public static final double GO_MARK_NS_PER_BYTE = 1.7317460317460318e6 / (1 << 20);

    /**
     * The CPU Go's allocator and write barrier take for the model's heap objects (issue 19, item 5; docs/gc.md
     * has each figure's source). Charged on the G that pays it in Go: {@link Gc#chargeMalloc} and
     * {@link Gc#chargeWriteBarriers}.
     *
     * @param mallocNsPerObject malloc.go: mallocgc's small-object path per pointerful object in swept memory
     *                          (nextFreeFast or the span refill, heap bits, zeroing, the share of sweeping)
     * @param freshSpanNs       what a fresh span (memory new from the OS: page faults) adds per 8 KiB span
     * @param writeBarrierNs    mbarrier.go / mwbbuf.go: one pointer store's barrier while the GC marks
     */
    public record HeapCosts(double mallocNsPerObject, double freshSpanNs, double writeBarrierNs) {
        public HeapCosts {
            for (double v : new double[] {mallocNsPerObject, freshSpanNs, writeBarrierNs}) {
                if (!(v >= 0) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException("heap costs must be >= 0 and finite: " + v);
                }
            }
        }

        /** No allocator or barrier CPU (the model before issue 19, item 5; scheduler tests). */
        public static final HeapCosts NONE = new HeapCosts(0, 0, 0);
    }

    /**
     * Real Go's allocator and write-barrier costs on this machine: go1.26.8's BenchmarkHeapCost
     * (realgo/heapcost_test.go), medians of 5 runs in results/2026-12-07-realgo-footprints/heapcost.txt:
     * mallocgc of a 48-byte pointerful object in swept memory 29.88 ns; in fresh memory 39.22 ns, so a fresh
     * span of 170 such objects adds (fresh - swept) x 170 = 1588 ns; a pointer store while marking 10.05 ns
     * against 1.008 ns without a cycle, so a barrier costs 9.04 ns. SchedConfigHeapCostsTest checks these
     * figures against that file.
     */
    public static final HeapCosts GO_HEAP_COSTS = new HeapCosts(29.88, (39.22 - 29.88) * 170, 10.05 - 1.008);

    public final int procs;
    public final int ringCapacity;
    public final long forcePreemptNs;
    public final long runnextStealPauseNs;
    public final StealPause.Mode stealPauseMode;
    public final long seed;
    public final boolean sysmon;
    /**
     * Whether sysmon's preemption requests are also honoured at the instruction-level safe points G
     * bodies expose (loop back-edges), as Go 1.14+'s signal-based preemption does (preempt.go:
     * preemptM -> asyncPreempt); false is GODEBUG=asyncpreemptoff=1, where only function prologues
     * (stackguard0 = stackPreempt) preempt. Default true, as in Go.
     */
    public final boolean asyncPreempt;
    /**
     * GOGC: -1 = off (no GC cycle: the default of a bare {@code SchedConfig}, for tests of the scheduler
     * alone), else the percentage; the latency benchmarks pass Go's default, 100.
     */
    public final int gogc;
    /**
     * Mark CPU per byte of live heap, in ns: real Go's on this machine, from results/2026-12-02-realgo-2
     * (gcCalibration.markCpuMsPerMb, median over 258 cycles of go1.19.8: 1.7317 ms per MiB).
     */
    public final double gcMarkNsPerByte;
    /** The allocator's and the write barrier's CPU ({@link #GO_HEAP_COSTS} by default). */
    public final HeapCosts heapCosts;
    public final boolean recordMetrics;
    public final long timeoutNs;

    private SchedConfig(Builder b) {
        this.procs = b.procs;
        this.ringCapacity = b.ringCapacity;
        this.forcePreemptNs = b.forcePreemptNs;
        this.runnextStealPauseNs = b.runnextStealPauseNs;
        this.stealPauseMode = b.stealPauseMode;
        this.seed = b.seed;
        this.sysmon = b.sysmon;
        this.asyncPreempt = b.asyncPreempt;
        this.recordMetrics = b.recordMetrics;
        this.gogc = b.gogc;
        this.gcMarkNsPerByte = b.gcMarkNsPerByte;
        this.heapCosts = b.heapCosts;
        this.timeoutNs = b.timeoutNs;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: 2 Ps (this project's CI machine has 2 cores), everything else Go's. */
    public static SchedConfig defaults() {
        return builder().build();
    }

    public StealPause stealPause() {
        return new StealPause(runnextStealPauseNs, stealPauseMode);
    }

    @Override
    public String toString() {
        return "SchedConfig{procs=" + procs + ", ringCapacity=" + ringCapacity + ", forcePreemptNs=" + forcePreemptNs
                + ", runnextStealPause=" + stealPauseMode + "(" + runnextStealPauseNs + "ns)" + ", seed=" + seed
                + ", sysmon=" + sysmon + ", asyncPreempt=" + asyncPreempt + ", gogc=" + gogc + ", heapCosts=" + heapCosts + ", recordMetrics=" + recordMetrics + ", timeoutNs=" + timeoutNs + "}";
    }

    /** Builder with Go's defaults. */
    public static final class Builder {
        private int procs = 2;
        private int ringCapacity = GO_RUNQ_SIZE;
        private long forcePreemptNs = GO_FORCE_PREEMPT_NS;
        private long runnextStealPauseNs = GO_RUNNEXT_STEAL_PAUSE_NS;
        // PARK by default: Go's usleep(3) is a nanosleep that Linux's timer slack stretches (realgo
        // measured runtime.usleep(3) on this machine at 99.5 us, median: results/2026-12-02-realgo-2); SPIN is the exact 3 us
        private StealPause.Mode stealPauseMode = StealPause.Mode.PARK;
        private long seed = 1;
        private boolean sysmon = true;
        private boolean asyncPreempt = true;
        private int gogc = -1;
        private double gcMarkNsPerByte = GO_MARK_NS_PER_BYTE;
        private HeapCosts heapCosts = GO_HEAP_COSTS;
        private boolean recordMetrics = true;
        private long timeoutNs = 60_000_000_000L;

        private Builder() {
        }

        /** GOMAXPROCS: number of Ps (and Ms), 1..256. */
        public Builder procs(int v) {
            if (v < 1 || v > 256) {
                throw new IllegalArgumentException("procs (GOMAXPROCS) must be in 1..256: " + v);
            }
            procs = v;
            return this;
        }

        /** Local ring capacity: a power of two in 2..65536 (Go: 256). */
        public Builder ringCapacity(int v) {
            if (v < 2 || v > 65536 || Integer.bitCount(v) != 1) {
                throw new IllegalArgumentException("ringCapacity must be a power of two in 2..65536: " + v);
            }
            ringCapacity = v;
            return this;
        }

        /** sysmon's forcePreemptNS: a P running one slice longer than this is preempted (Go: 10 ms). */
        public Builder forcePreemptNs(long v) {
            if (v < 1_000L) {
                throw new IllegalArgumentException("forcePreemptNs must be >= 1000 ns (1 µs): " + v);
            }
            forcePreemptNs = v;
            return this;
        }

        /** Pause before stealing runnext from a running P (Go: 3 µs; 0 disables; Kotlin uses 100 µs). */
        public Builder runnextStealPauseNs(long v) {
            if (v < 0 || v > 1_000_000_000L) {
                throw new IllegalArgumentException("runnextStealPauseNs must be in 0..1e9 ns: " + v);
            }
            runnextStealPauseNs = v;
            return this;
        }

        /**
         * How the runnext steal pause is implemented: PARK (the default: a timed sleep with the OS's timer
         * slack, as Go's usleep(3) on Linux) or SPIN (exactly the configured time, a named variant).
         */
        public Builder stealPauseMode(StealPause.Mode v) {
            if (v == null) {
                throw new IllegalArgumentException("stealPauseMode must be SPIN or PARK: null");
            }
            stealPauseMode = v;
            return this;
        }

        /** Seed of the per-M random generators (steal order). */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** Whether sysmon runs (no preemption without it). */
        public Builder sysmon(boolean v) {
            sysmon = v;
            return this;
        }

        /** Whether latency histograms are recorded (counters always are). */
        /** GOGC: -1 = off, else >= 0 (Go's default 100). */
        public Builder gogc(int v) {
            if (v < -1) {
                throw new IllegalArgumentException("gogc must be -1 (off) or >= 0: " + v);
            }
            gogc = v;
            return this;
        }

        /** Mark CPU in ns per byte of live heap (default: real Go's on this machine). */
        public Builder gcMarkNsPerByte(double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("gcMarkNsPerByte must be >= 0 and finite: " + v);
            }
            gcMarkNsPerByte = v;
            return this;
        }

        /** The allocator's and the write barrier's CPU (default: real Go's on this machine, {@link #GO_HEAP_COSTS}). */
        public Builder heapCosts(HeapCosts v) {
            if (v == null) {
                throw new IllegalArgumentException("heapCosts must not be null (HeapCosts.NONE charges nothing)");
            }
            heapCosts = v;
            return this;
        }

        /** Asynchronous preemption at loop back-edges (Go 1.14+; false = GODEBUG=asyncpreemptoff=1). */
        public Builder asyncPreempt(boolean v) {
            asyncPreempt = v;
            return this;
        }

        public Builder recordMetrics(boolean v) {
            recordMetrics = v;
            return this;
        }

        /** Wall-clock limit of a run; a run past it is stopped and reported as timed out. */
        public Builder timeoutNs(long v) {
            if (v < 1_000_000L) {
                throw new IllegalArgumentException("timeoutNs must be >= 1 ms: " + v);
            }
            timeoutNs = v;
            return this;
        }

        public SchedConfig build() {
            return new SchedConfig(this);
        }
    }
}
