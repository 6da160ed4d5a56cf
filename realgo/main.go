// Command realgo cross-checks the model against the real Go runtime on this machine: the article's
// own program (claims C1-C4) with the treatments none / defer / cpu_control, its scheduling latency read
// from the runtime's /sched/latencies:seconds histogram, and Go's own cost per defer (C12, C17) from
// testing.Benchmark. It writes one JSON document to stdout (or -out).
//
// It measures whatever Go it is built with (scripts/realgo.sh uses Debian's golang-1.19-go); the
// article used Go 1.22.5. Run: go run . -help
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const schedLatencies = "/sched/latencies:seconds"

// treatment is what each iteration of the article's loop does before runtime.Gosched().
type treatment string

const (
	none       treatment = "none"        // nothing
	withDefer  treatment = "defer"       // density x defer func(){}(), run when the function returns
	cpuControl treatment = "cpu_control" // no defer: spins the CPU time the defers were measured to add
)

// Run is one execution of the article's program.
type Run struct {
	Treatment string  `json:"treatment"`
	Procs     int     `json:"procs"`
	WallMs    float64 `json:"wallMs"`
	CPUMs     float64 `json:"cpuMs"` // user + system CPU of the process (getrusage), whole run
	P50Us     float64 `json:"p50Us"`
	P95Us     float64 `json:"p95Us"`
	P99Us     float64 `json:"p99Us"`
	MeanUs    float64 `json:"meanUs"`
	Samples   uint64  `json:"samples"` // G starts the runtime sampled into the histogram during the run
	GCs       uint32  `json:"gcs"`
}

// Cost is one testing.Benchmark result, per defer (or per chain node).
type Cost struct {
	Name       string  `json:"name"`
	Kind       string  `json:"kind"` // what Go's compiler makes of the defers (open-coded, stack, heap)
	Defers     int     `json:"defers"`
	NsPerOp    float64 `json:"nsPerOp"`
	NsPerDefer float64 `json:"nsPerDefer"` // (ns/op - plain call ns/op) / defers
	BytesPerOp int64   `json:"bytesPerOp"`
	AllocsOp   int64   `json:"allocsPerOp"`
	N          int     `json:"n"`
}

// Doc is the whole output.
type Doc struct {
	Schema      int       `json:"schema"`
	GoVersion   string    `json:"goVersion"`
	GOOS        string    `json:"goos"`
	GOARCH      string    `json:"goarch"`
	NumCPU      int       `json:"numCPU"`
	Date        string    `json:"date"`
	Args        string    `json:"args"`
	Goroutines  int       `json:"goroutines"`
	Loops       int       `json:"loops"`
	Density     int       `json:"density"`
	SpinNsUnit  float64   `json:"spinNsPerUnit"`
	ControlNs   []float64 `json:"controlNsPerDefer"` // per procs value, what cpu_control burned per defer
	Runs        []Run     `json:"runs"`
	Costs       []Cost    `json:"costs"`
	Histogram   string    `json:"histogram"`
	Description string    `json:"description"`
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the command: it parses args, runs the experiments and writes the JSON document to stdout (or
// -out). A bad flag or value is one line on stderr and exit status 2; -h prints the flags and returns 0.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("realgo", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported in one line below
	goroutines := fs.Int("goroutines", 10000, "goroutines in the article's program (C1: 10k)")
	loops := fs.Int("loops", 100, "loop iterations per goroutine, each ending in runtime.Gosched()")
	density := fs.Int("density", 10, "defers per iteration for the defer treatment (C1: 10)")
	procsFlag := fs.String("procs", "2,4", "GOMAXPROCS values, comma separated (C1: 4)")
	runs := fs.Int("runs", 5, "runs per treatment and procs value")
	costs := fs.Bool("costs", true, "also measure Go's cost per defer with testing.Benchmark")
	out := fs.String("out", "", "output file (default: stdout)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fmt.Fprintln(stdout, "Usage: realgo [flags]")
			fs.PrintDefaults()
			return 0
		}
		fmt.Fprintln(stderr, "realgo:", err, "(flags: realgo -h)")
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "realgo: unexpected argument %q (flags: realgo -h)\n", fs.Arg(0))
		return 2
	}
	procs, err := parseProcs(*procsFlag)
	if err != nil || *goroutines < 1 || *loops < 1 || *density < 1 || *runs < 1 {
		if err == nil {
			err = fmt.Errorf("goroutines, loops, density and runs must be >= 1")
		}
		fmt.Fprintln(stderr, "realgo:", err)
		return 2
	}

	doc := Doc{Schema: 1, GoVersion: runtime.Version(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH,
		NumCPU: runtime.NumCPU(), Date: time.Now().UTC().Format(time.RFC3339), Args: strings.Join(args, " "),
		Goroutines: *goroutines, Loops: *loops, Density: *density, Histogram: schedLatencies,
		Description: "The article's program on the real Go runtime. Latency percentiles are the upper bounds " +
			"of the runtime's " + schedLatencies + " buckets (it samples one G start in 8). cpu_control " +
			"spins, per defer, the extra process CPU time the defer treatment was measured to take over none " +
			"in the same process (half at each registration point, half when the function returns)."}
	doc.SpinNsUnit = calibrateSpin()
	for _, p := range procs {
		runtime.GOMAXPROCS(p)
		progress("GOMAXPROCS=%d: none and defer, %d runs each", p, *runs)
		var noneCPU, deferCPU []float64
		for i := 0; i < *runs; i++ {
			r := runArticle(none, p, *goroutines, *loops, *density, 0)
			noneCPU = append(noneCPU, r.CPUMs)
			doc.Runs = append(doc.Runs, r)
			r = runArticle(withDefer, p, *goroutines, *loops, *density, 0)
			deferCPU = append(deferCPU, r.CPUMs)
			doc.Runs = append(doc.Runs, r)
		}
		defers := float64(*goroutines) * float64(*loops) * float64(*density)
		perDefer := (median(deferCPU) - median(noneCPU)) * 1e6 / defers
		if perDefer < 0 {
			perDefer = 0
		}
		doc.ControlNs = append(doc.ControlNs, perDefer)
		units := int(perDefer/doc.SpinNsUnit + 0.5)
		progress("GOMAXPROCS=%d: cpu_control at %.1f ns per defer (%d spin units), %d runs", p, perDefer, units, *runs)
		for i := 0; i < *runs; i++ {
			doc.Runs = append(doc.Runs, runArticle(cpuControl, p, *goroutines, *loops, *density, units))
		}
	}
	if *costs {
		progress("cost per defer (testing.Benchmark)")
		runtime.GOMAXPROCS(runtime.NumCPU())
		doc.Costs = measureCosts()
	}
	b, _ := json.MarshalIndent(doc, "", "  ")
	b = append(b, '\n')
	if *out == "" {
		stdout.Write(b)
		return 0
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(stderr, "realgo:", err)
		return 1
	}
	progress("wrote %s", *out)
	return 0
}

func progress(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "realgo: "+format+"\n", args...)
}

func parseProcs(s string) ([]int, error) {
	var ps []int
	for _, f := range strings.Split(s, ",") {
		var p int
		if _, err := fmt.Sscanf(strings.TrimSpace(f), "%d", &p); err != nil || p < 1 {
			return nil, fmt.Errorf("-procs: %q is not a list of integers >= 1", s)
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// ---- the article's program ----

//go:noinline
func loopNone(loops int) {
	for i := 0; i < loops; i++ {
		runtime.Gosched()
	}
}

// loopDefer is the article's function: each iteration defers density empty closures, then yields. The
// defers are in a loop, so Go gives each a heap _defer record from the per-P pool (deferproc), and
// all loops x density of them run when the function returns.
//
//go:noinline
func loopDefer(loops, density int) {
	for i := 0; i < loops; i++ {
		for j := 0; j < density; j++ {
			defer func() {}()
		}
		runtime.Gosched()
	}
}

//go:noinline
func loopControl(loops, density, units int) {
	reg := units * density / 2
	for i := 0; i < loops; i++ {
		spin(reg)
		runtime.Gosched()
	}
	spin((units - units/2) * density * loops)
}

var sink uint64

// spin burns units of dependent xorshift steps the compiler cannot remove.
//
//go:noinline
func spin(units int) {
	x := sink | 1
	for i := 0; i < units; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	sink = x
}

func calibrateSpin() float64 {
	const units = 20_000_000
	spin(units / 10)
	best := 0.0
	for k := 0; k < 5; k++ {
		t0 := time.Now()
		spin(units)
		ns := float64(time.Since(t0).Nanoseconds()) / units
		if k == 0 || ns < best {
			best = ns
		}
	}
	return best
}

func runArticle(t treatment, procs, goroutines, loops, density, units int) Run {
	runtime.GC()
	before := readLatencies()
	var gc0 runtime.MemStats
	runtime.ReadMemStats(&gc0)
	cpu0 := cpuMs()
	t0 := time.Now()
	var wg sync.WaitGroup
	wg.Add(goroutines)
	for i := 0; i < goroutines; i++ {
		go func() {
			switch t {
			case none:
				loopNone(loops)
			case withDefer:
				loopDefer(loops, density)
			case cpuControl:
				loopControl(loops, density, units)
			}
			wg.Done()
		}()
	}
	wg.Wait()
	wall := time.Since(t0)
	cpu := cpuMs() - cpu0
	after := readLatencies()
	var gc1 runtime.MemStats
	runtime.ReadMemStats(&gc1)
	r := Run{Treatment: string(t), Procs: procs, WallMs: float64(wall.Nanoseconds()) / 1e6, CPUMs: cpu,
		GCs: gc1.NumGC - gc0.NumGC}
	counts, buckets := delta(before, after)
	r.Samples, r.P50Us, r.P95Us, r.P99Us, r.MeanUs = summarize(counts, buckets)
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

func delta(a, b *metrics.Float64Histogram) ([]uint64, []float64) {
	c := make([]uint64, len(b.Counts))
	for i := range b.Counts {
		c[i] = b.Counts[i] - a.Counts[i]
	}
	return c, b.Buckets
}

// summarize gives the sample count and the p50/p95/p99 (upper bound of the bucket holding the
// percentile) and mean (bucket midpoints) in µs.
func summarize(counts []uint64, buckets []float64) (uint64, float64, float64, float64, float64) {
	var total uint64
	for _, c := range counts {
		total += c
	}
	if total == 0 {
		return 0, 0, 0, 0, 0
	}
	pct := func(p float64) float64 {
		target := uint64(p*float64(total) + 0.5)
		if target < 1 {
			target = 1
		}
		var cum uint64
		for i, c := range counts {
			cum += c
			if cum >= target {
				return upper(buckets, i) * 1e6
			}
		}
		return upper(buckets, len(counts)-1) * 1e6
	}
	var sum float64
	for i, c := range counts {
		if c == 0 {
			continue
		}
		lo, hi := buckets[i], upper(buckets, i)
		if lo < 0 || lo != lo || lo < -1e300 {
			lo = 0
		}
		sum += float64(c) * (lo + hi) / 2
	}
	return total, pct(0.50), pct(0.95), pct(0.99), sum / float64(total) * 1e6
}

// upper is bucket i's upper bound; the last bucket is open (+Inf): its lower bound is used.
func upper(buckets []float64, i int) float64 {
	hi := buckets[i+1]
	if hi > 1e300 {
		return buckets[i]
	}
	return hi
}

func cpuMs() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// ---- Go's cost per defer (C12, C17) ----

var acc int

//go:noinline
func work(i int) { acc += i }

//go:noinline
func plain() { work(1) }

//go:noinline
func open1() {
	defer work(1)
}

//go:noinline
func open8() {
	defer work(1)
	defer work(2)
	defer work(3)
	defer work(4)
	defer work(5)
	defer work(6)
	defer work(7)
	defer work(8)
}

// nine defers: more than 8 in a frame, so none is open-coded; each runs at most once, so the compiler
// gives each a stack record (deferprocStack).
//
//go:noinline
func stack9() {
	defer work(1)
	defer work(2)
	defer work(3)
	defer work(4)
	defer work(5)
	defer work(6)
	defer work(7)
	defer work(8)
	defer work(9)
}

// defers in a loop: heap records from the per-P pool (deferproc / newdefer). The deferred call
// captures nothing (like the article's defer func(){}()), so no closure is allocated.
//
//go:noinline
func loop(n int) {
	for i := 0; i < n; i++ {
		defer work(1)
	}
}

func measureCosts() []Cost {
	bench := func(name, kind string, defers int, f func()) Cost {
		r := testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				f()
			}
		})
		return Cost{Name: name, Kind: kind, Defers: defers, NsPerOp: float64(r.T.Nanoseconds()) / float64(r.N),
			BytesPerOp: r.AllocedBytesPerOp(), AllocsOp: r.AllocsPerOp(), N: r.N}
	}
	cs := []Cost{
		bench("plain call", "none", 0, plain),
		bench("1 defer", "open-coded", 1, open1),
		bench("8 defers", "open-coded", 8, open8),
		bench("9 defers", "stack (deferprocStack)", 9, stack9),
		bench("8 defers in a loop", "heap (deferproc, per-P pool)", 8, func() { loop(8) }),
		bench("100 defers in a loop", "heap (deferproc, per-P pool)", 100, func() { loop(100) }),
		bench("chain of 10000", "heap (deferproc, per-P pool)", 10000, func() { loop(10000) }),
	}
	base := cs[0].NsPerOp
	for i := range cs {
		if cs[i].Defers > 0 {
			cs[i].NsPerDefer = (cs[i].NsPerOp - base) / float64(cs[i].Defers)
		}
		progress("%-22s %-30s %8.1f ns/op %7.2f ns/defer %5d B/op", cs[i].Name, cs[i].Kind, cs[i].NsPerOp,
			cs[i].NsPerDefer, cs[i].BytesPerOp)
	}
	return cs
}
