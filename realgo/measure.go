package main

// One measured run and what it records: the runtime's /sched/latencies:seconds histogram, the workload's
// own timestamps in a log-bucketed histogram, GC cycles and stop-the-world pauses (runtime.MemStats;
// GC CPU and live heap come from gctrace, gctrace.go), process CPU time and wall time.

import (
	"fmt"
	"math"
	"math/bits"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sort"
	"syscall"
	"time"
)

const schedLatencies = "/sched/latencies:seconds"

var epoch = time.Now()

// now is monotonic nanoseconds since the program started.
func now() int64 { return int64(time.Since(epoch)) }

// cell is one configuration (workload, treatment, GOMAXPROCS, parameters) and its buffers, reused by
// its runs.
type cell struct {
	w     *workload
	t     treatment
	procs int
	p     params
	ctl   control
	ns    float64   // ns per spin step on this machine
	own   []int64   // the workload's own latency samples (ns), one slot each
	edges [][]int64 // PreemptLatency: each hog's back-edge timestamps
	// keepHeap: the run starts from the heap as it is (profileCell collected it already); resetWrap,
	// when set, wraps the collection before a run (profileCell labels it)
	keepHeap  bool
	resetWrap func(reset func())
	// traced: the run writes a runtime/trace (tracewait.go); traceFile is its path afterwards
	traced    bool
	traceFile string
}

func newCell(w *workload, p params, procs int, ns float64) *cell {
	c := &cell{w: w, p: p, procs: procs, ns: ns, own: make([]int64, w.samples(p, procs))}
	if w.name == "PreemptLatency" {
		for h := 0; h < procs; h++ {
			c.edges = append(c.edges, make([]int64, p["calls"]+1))
		}
	}
	return c
}

// steps is the spin steps that take about ns nanoseconds.
func (c *cell) steps(ns float64) int { return int(ns/c.ns + 0.5) }

// Latency is a latency distribution in µs; its fields appear flat in the JSON of whatever embeds it.
type Latency struct {
	P50Us   float64 `json:"p50Us"`
	P95Us   float64 `json:"p95Us"`
	P99Us   float64 `json:"p99Us"`
	MaxUs   float64 `json:"maxUs"`
	MeanUs  float64 `json:"meanUs"`
	Samples uint64  `json:"samples"`
}

// Summary is a latency distribution and what it times.
type Summary struct {
	What string `json:"what,omitempty"`
	Latency
}

// Run is one execution of one workload under one treatment. Field names follow the model's metrics
// where they mean the same thing (docs/realgo.md).
type Run struct {
	Workload  string         `json:"workload"`
	Treatment string         `json:"treatment"`
	Procs     int            `json:"procs"`
	Params    map[string]int `json:"params"`
	Run       int            `json:"run"` // index within the cell, in the interleaved order
	WallMs    float64        `json:"wallMs"`
	CPUMs     float64        `json:"cpuMs"` // user + system CPU of the process (getrusage), whole run
	// GC: cycles (MemStats.NumGC), stop-the-world pauses (MemStats.PauseNs: both pauses of a cycle),
	// and from gctrace (zero when gcTrace is false): GC CPU, its parts, live heap after each cycle
	GCCycles       uint32    `json:"gcCycles"`
	GCFirst        uint32    `json:"gcFirst"` // the run's cycles are gcFirst+1 .. gcLast
	GCLast         uint32    `json:"gcLast"`
	STWUs          float64   `json:"stwUs"`
	STWMaxUs       float64   `json:"stwMaxUs"`
	GCCPUMs        float64   `json:"gcCpuMs"`
	GCAssistMs     float64   `json:"gcAssistMs"`
	GCBgMs         float64   `json:"gcBgMs"`
	GCIdleMs       float64   `json:"gcIdleMs"`
	HeapLiveMB     []float64 `json:"heapLiveMb"` // marked heap at the end of each cycle
	HeapLivePeakMB float64   `json:"heapLivePeakMb"`
	// scheduling latency from /sched/latencies:seconds (bucket upper bounds; sampled)
	Latency
	// SchedHist is the run's part of that histogram: its non-empty buckets as [upper bound in µs, count]
	// (the open last bucket gives its lower bound), for the report's distribution plots
	SchedHist [][2]float64 `json:"schedHist,omitempty"`
	// the relative width of the runtime histogram's buckets that hold P50 and P95 (upper/lower - 1): the
	// resolution of those two figures (Go 1.26: about 0.25; Go 1.19: about 0.06; one bucket below 512 ns)
	P50BucketRelWidth float64 `json:"p50BucketRelWidth"`
	P95BucketRelWidth float64 `json:"p95BucketRelWidth"`
	// the workload's own timestamps (exact to the histogram's 1/64 octave), and PreemptLatency's hog slices
	Own    *Summary `json:"own,omitempty"`
	Slices *Summary `json:"slices,omitempty"`
	// traced runs only (Doc.Traced): each wait's length split by what the Ps did meanwhile (tracewait.go)
	WaitByCause *WaitByCause `json:"waitByCause,omitempty"`
}

// measure makes one run of the cell under treatment t.
func (c *cell) measure(t treatment, idx int) Run {
	c.t = t
	for i := range c.own {
		c.own[i] = -1
	}
	// every run starts from the same state: a collected, swept heap returned to the OS, so that no
	// sweeping or scavenging left by the previous run burns CPU in this one (this cycle is not counted)
	if c.resetWrap != nil && !c.keepHeap {
		c.resetWrap(debug.FreeOSMemory)
	} else if !c.keepHeap {
		debug.FreeOSMemory()
	}
	if t.gcOff() {
		old := debug.SetGCPercent(-1)
		defer debug.SetGCPercent(old)
	}
	if t == deferPrimed {
		prime(c.w.peak(c.p, c.procs))
	}
	var ms0, ms1 runtime.MemStats
	var stopTrace func() (string, error)
	c.traceFile = ""
	if c.traced {
		var err error
		if stopTrace, err = startTrace(); err != nil {
			fmt.Fprintln(os.Stderr, "realgo: runtime/trace:", err)
			os.Exit(1)
		}
	}
	runtime.ReadMemStats(&ms0)
	lat0 := readLatencies()
	cpu0 := cpuMs()
	t0 := time.Now()
	c.w.run(c)
	wall := time.Since(t0)
	cpu := cpuMs() - cpu0
	lat1 := readLatencies()
	runtime.ReadMemStats(&ms1)
	if stopTrace != nil {
		var err error
		if c.traceFile, err = stopTrace(); err != nil {
			fmt.Fprintln(os.Stderr, "realgo: runtime/trace:", err)
			os.Exit(1)
		}
	}

	r := Run{Workload: c.w.name, Treatment: string(t), Procs: c.procs, Params: c.p, Run: idx,
		WallMs: float64(wall.Nanoseconds()) / 1e6, CPUMs: cpu, GCFirst: ms0.NumGC, GCLast: ms1.NumGC,
		GCCycles: ms1.NumGC - ms0.NumGC, STWUs: float64(ms1.PauseTotalNs-ms0.PauseTotalNs) / 1e3}
	for n := ms0.NumGC + 1; n <= ms1.NumGC && ms1.NumGC-n < 256; n++ {
		r.STWMaxUs = math.Max(r.STWMaxUs, float64(ms1.PauseNs[(n+255)%256])/1e3)
	}
	r.Latency = summarizeRuntime(lat0, lat1)
	r.SchedHist = runtimeBuckets(lat0, lat1)
	r.P50BucketRelWidth, r.P95BucketRelWidth = bucketWidthAt(lat1, r.P50Us), bucketWidthAt(lat1, r.P95Us)
	if c.w.own != "" {
		o := summarizeNs(c.own)
		o.What = c.w.own
		r.Own = &o
	}
	if c.edges != nil {
		sl := summarizeNs(preemptSlices(c.edges))
		sl.What = "hog time slices (between deschedules seen at the loop's back-edge)"
		r.Slices = &sl
	}
	return r
}

func readLatencies() *metrics.Float64Histogram {
	s := []metrics.Sample{{Name: schedLatencies}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindFloat64Histogram {
		fmt.Fprintln(os.Stderr, "realgo: this Go has no", schedLatencies, "(needs Go 1.17+)")
		os.Exit(1)
	}
	return s[0].Value.Float64Histogram()
}

// summarizeRuntime summarises the samples the runtime added to its histogram between a and b:
// percentiles and max are the upper bounds of the buckets that hold them, the mean uses bucket midpoints.
func summarizeRuntime(a, b *metrics.Float64Histogram) Latency {
	counts := make([]uint64, len(b.Counts))
	var total uint64
	for i := range b.Counts {
		counts[i] = b.Counts[i] - a.Counts[i]
		total += counts[i]
	}
	if total == 0 {
		return Latency{}
	}
	upper := func(i int) float64 { // the last bucket is open (+Inf): its lower bound stands in
		if hi := b.Buckets[i+1]; !math.IsInf(hi, 1) {
			return hi
		}
		return b.Buckets[i]
	}
	uppers := make([]float64, len(counts))
	for i := range uppers {
		uppers[i] = upper(i) * 1e6
	}
	pct := func(p float64) float64 { return quantile(counts, uppers, total, p) }
	var sum, max float64
	for i, c := range counts {
		if c == 0 {
			continue
		}
		lo := b.Buckets[i]
		if math.IsInf(lo, -1) || lo < 0 {
			lo = 0
		}
		sum += float64(c) * (lo + upper(i)) / 2
		max = upper(i)
	}
	return Latency{P50Us: pct(0.50), P95Us: pct(0.95), P99Us: pct(0.99), MaxUs: max * 1e6,
		MeanUs: sum / float64(total) * 1e6, Samples: total}
}

// runtimeBuckets is the samples the runtime added to its histogram between a and b, as the non-empty
// buckets' [upper bound in µs, count] in bucket order (the open last bucket stands at its lower bound).
func runtimeBuckets(a, b *metrics.Float64Histogram) [][2]float64 {
	var out [][2]float64
	for i := range b.Counts {
		n := b.Counts[i] - a.Counts[i]
		if n == 0 {
			continue
		}
		hi := b.Buckets[i+1]
		if math.IsInf(hi, 1) {
			hi = b.Buckets[i]
		}
		out = append(out, [2]float64{hi * 1e6, float64(n)})
	}
	return out
}

// bucketRelWidth is the runtime histogram's relative bucket width (upper/lower - 1) at its widest
// between 1 µs and 10 s: the resolution of the figures summarizeRuntime gives.
func bucketRelWidth() float64 {
	h := readLatencies()
	w := 0.0
	for i := 0; i+1 < len(h.Buckets); i++ {
		lo, hi := h.Buckets[i], h.Buckets[i+1]
		if lo >= 1e-6 && hi <= 10 && !math.IsInf(hi, 1) {
			w = math.Max(w, hi/lo-1)
		}
	}
	return w
}

// bucketWidthAt is the relative width (upper/lower - 1) of the runtime histogram's bucket whose upper
// bound is us (a percentile summarizeRuntime gave); 0 when none is, or the bucket starts at 0.
func bucketWidthAt(h *metrics.Float64Histogram, us float64) float64 {
	for i := 0; i+1 < len(h.Buckets); i++ {
		lo, hi := h.Buckets[i], h.Buckets[i+1]
		if math.IsInf(hi, 1) {
			hi = lo
		}
		if math.Abs(hi*1e6-us) <= 1e-9*math.Max(us, 1) {
			if lo <= 0 || math.IsInf(lo, -1) {
				return 0
			}
			return hi/lo - 1
		}
	}
	return 0
}

// ---- the workload's own samples: a log-bucketed histogram ----

// subBits: each power of two is split into 2^subBits buckets, so a value is placed within 1/64 of
// itself (HdrHistogram's scheme with 64 sub-buckets).
const subBits = 6

// bucketOf is the log-linear bucket of v >= 0 (ns).
func bucketOf(v int64) int {
	if v < 1<<subBits {
		return int(v)
	}
	e := 63 - bits.LeadingZeros64(uint64(v)) // floor(log2 v) >= subBits
	shift := e - subBits
	return (shift+1)<<subBits + int(v>>shift) - 1<<subBits
}

// bucketUpper is the largest value in bucket b.
func bucketUpper(b int) int64 {
	if b < 1<<subBits {
		return int64(b)
	}
	shift := b>>subBits - 1
	mant := int64(b&(1<<subBits-1)) + 1<<subBits
	return (mant+1)<<shift - 1
}

// summarizeNs summarises raw samples in ns (negative ones were not recorded and are skipped):
// percentiles are the upper bounds of their log buckets (within 1/64), max and mean are exact.
func summarizeNs(v []int64) Summary {
	hist := map[int]uint64{}
	var n uint64
	var sum float64
	var max int64
	for _, x := range v {
		if x < 0 {
			continue
		}
		hist[bucketOf(x)]++
		n++
		sum += float64(x)
		if x > max {
			max = x
		}
	}
	if n == 0 {
		return Summary{}
	}
	keys := make([]int, 0, len(hist))
	for k := range hist {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	counts := make([]uint64, len(keys))
	uppers := make([]float64, len(keys))
	for i, k := range keys {
		counts[i] = hist[k]
		uppers[i] = float64(minInt64(bucketUpper(k), max)) / 1e3
	}
	pct := func(p float64) float64 { return quantile(counts, uppers, n, p) }
	return Summary{Latency: Latency{P50Us: pct(0.50), P95Us: pct(0.95), P99Us: pct(0.99), MaxUs: float64(max) / 1e3,
		MeanUs: sum / float64(n) / 1e3, Samples: n}}
}

// quantile is the upper bound of the bucket holding the p-quantile of a histogram: counts in bucket
// order, uppers their upper bounds, total their sum (> 0).
func quantile(counts []uint64, uppers []float64, total uint64, p float64) float64 {
	target := uint64(math.Ceil(p * float64(total)))
	if target < 1 {
		target = 1
	}
	var cum uint64
	for i, c := range counts {
		cum += c
		if cum >= target {
			return uppers[i]
		}
	}
	return uppers[len(uppers)-1]
}

func minInt64(a, b int64) int64 {
	if a < b {
		return a
	}
	return b
}

func cpuMs() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// calibrateSpin measures ns per spin step (the best of 5 timed batches).
func calibrateSpin() float64 {
	const steps = 20_000_000
	spin(steps / 10)
	best := math.Inf(1)
	for k := 0; k < 5; k++ {
		t0 := time.Now()
		spin(steps)
		best = math.Min(best, float64(time.Since(t0).Nanoseconds())/steps)
	}
	return best
}
