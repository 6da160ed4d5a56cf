// Command realgo runs the model's six latency workloads on the real Go runtime, beside the model: the
// article's program (ArticleGosched), Fanout, PingPongHog, StealLatency, PreemptLatency and
// DeferStarvation, each with the shape and parameter names of its JMH benchmark (workloads.go), under
// the treatments none / defer / cpu_control / alloc_control / defer_gcoff / defer_primed (treat.go),
// interleaved, with the runtime's /sched/latencies:seconds, the workloads' own timestamps, GC figures
// from gctrace, CPU profiles of chosen cells (profile.go) and Go's own cost per defer (costs.go). It
// writes one JSON document (docs/realgo.md describes it) to -out or stdout.
//
// It measures whatever Go it is built with (scripts/realgo.sh uses Debian's golang-1.19-go); the
// article used Go 1.22.5. Run: go run . -h
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// Doc is the whole output (schema 2; docs/realgo.md).
type Doc struct {
	Schema         int            `json:"schema"`
	GoVersion      string         `json:"goVersion"`
	GOOS           string         `json:"goos"`
	GOARCH         string         `json:"goarch"`
	NumCPU         int            `json:"numCPU"`
	Date           string         `json:"date"`
	Args           string         `json:"args"`
	Quick          bool           `json:"quick"`
	RunsPerCell    int            `json:"runsPerCell"`
	GCTrace        bool           `json:"gcTrace"` // GC CPU and live heap filled in from gctrace
	GCTraceMissing int            `json:"gcTraceMissing"`
	SpinNsPerStep  float64        `json:"spinNsPerStep"`
	StealPause     PauseInfo      `json:"stealPause"`
	Histogram      HistInfo       `json:"histogram"`
	Workloads      []WorkloadInfo `json:"workloads"`
	Controls       []Control      `json:"controls"`
	Runs           []Run          `json:"runs"`
	GCCalibration  *GCCalibration `json:"gcCalibration,omitempty"`
	Costs          []Cost         `json:"costs"`
	// GOExperiment is the GOEXPERIMENT the binary was built with ("" for the toolchain's defaults;
	// "nogreenteagc" switches Go 1.26's Green Tea GC off)
	GOExperiment string `json:"goExperiment"`
	// Session ties runs of the model and of real Go made in one session (scripts/run.sh paired); Fingerprints
	// are the host fingerprints measured at the start and end of the run (fingerprint.go)
	Session      string        `json:"session,omitempty"`
	Fingerprints []Fingerprint `json:"fingerprints"`
	// Experiment names a run made for one question (scripts/realgo.sh --footprints: "footprints"); the report
	// shows it in its own section, and it never decides a claim or stands for a Go version
	Experiment string `json:"experiment,omitempty"`
	// Traced are extra runs, after each cell's measured runs, with a runtime/trace decomposed by cause
	// (tracewait.go); never part of the measured figures
	Traced        []Run     `json:"traced"`
	TraceAnalyzer string    `json:"traceAnalyzer,omitempty"`
	Profiles      []Profile `json:"profiles"`
	Description   string    `json:"description"`
}

// HistInfo describes the runtime's scheduling-latency histogram.
type HistInfo struct {
	Name           string  `json:"name"`
	Sampling       string  `json:"sampling"`
	BucketRelWidth float64 `json:"bucketRelWidth"`
}

// WorkloadInfo says what a workload is and which model benchmark it mirrors.
type WorkloadInfo struct {
	Workload string         `json:"workload"`
	Bench    string         `json:"bench"`
	Procs    []int          `json:"procs"`
	Params   map[string]int `json:"params"`
	Records  string         `json:"records"`
	Own      string         `json:"own"`
	Defers   int64          `json:"defersPerRun"`
}

// Control is the cpu_control calibration of one cell: the process CPU that defer took over none,
// per defer, from runs made before the measured ones.
type Control struct {
	Workload      string    `json:"workload"`
	Procs         int       `json:"procs"`
	NoneCPUMs     []float64 `json:"noneCpuMs"`
	DeferCPUMs    []float64 `json:"deferCpuMs"`
	Pairs         int       `json:"pairs"`
	NsPerDefer    float64   `json:"nsPerDefer"` // median over the pairs of (defer - none) CPU, per defer
	StepsPerDefer int       `json:"stepsPerDefer"`
}

// config is the parsed command line.
type config struct {
	workloads      []*workload
	treatments     []treatment
	procs          []int // nil: each workload's own
	sets           params
	runs, calib    int
	calibSeconds   float64
	quick          bool
	costs          bool
	profile        bool
	profileSeconds float64
	profileProcs   int
	out            string
	gobin          string
	gctrace        bool
	check          bool
	analyzer       string // the tracewait command; "" for no traced runs
	traced         int    // traced runs per treatment per cell
	session, block string
	experiment     string
	fingerprint    bool // print one fingerprint and exit
	when           string
	fpFile         string // -merge: a JSON-lines file of fingerprints to add
	fingerprints   bool // measure the fingerprint at the start and end of the run
	merge          []string
}

// setFlag collects -p name=value.
type setFlag struct{ m params }

func (s *setFlag) String() string { return "" }
func (s *setFlag) Set(v string) error {
	i := strings.IndexByte(v, '=')
	if i <= 0 {
		return fmt.Errorf("%q is not name=value", v)
	}
	n, err := strconv.Atoi(v[i+1:])
	if err != nil || n < 1 {
		return fmt.Errorf("%s: %q is not an integer >= 1", v[:i], v[i+1:])
	}
	s.m[v[:i]] = n
	return nil
}

func main() {
	if os.Getenv(childEnv) != "" { // the gctrace child: progress on fd 3, read by the parent
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.NewFile(3, "progress")))
	}
	os.Exit(supervise(os.Args[1:], os.Stdout, os.Stderr))
}

func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, "Usage: realgo [flags]")
	fmt.Fprintln(w, "\nRuns the model's latency workloads on the real Go runtime and writes one JSON document.")
	fmt.Fprintln(w, "Workloads and their -p parameters (defaults):")
	for _, wl := range workloads {
		var ps []string
		for _, p := range wl.params {
			ps = append(ps, fmt.Sprintf("%s=%d", p.name, p.def))
		}
		fmt.Fprintf(w, "  %-16s procs %v; %s\n", wl.name, wl.procs, strings.Join(ps, " "))
	}
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// parseConfig parses the command line. On a bad flag or value it writes one line to stderr and returns
// nil, 2; on -h it writes the usage to stdout and returns nil, 0.
func parseConfig(args []string, stdout, stderr io.Writer) (*config, int) {
	fs := flag.NewFlagSet("realgo", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported in one line below
	sets := &setFlag{m: params{}}
	wl := fs.String("workloads", "all", "workloads, comma separated (names as in the model, with or without Bench)")
	tr := fs.String("treatments", joinTreatments(allTreatments), "treatments, comma separated (defer_primed only where the defers are heap records)")
	procsFlag := fs.String("procs", "", "GOMAXPROCS values for every workload, comma separated (default: each workload's, as its JMH class)")
	fs.Var(sets, "p", "a workload parameter, name=value (repeatable; goes to the workloads that have it)")
	runs := fs.Int("runs", 10, "measured runs per treatment in each cell, interleaved (none, defer, ..., none, ...)")
	calib := fs.Int("calib", 3, "none/defer run pairs before the measured runs that calibrate cpu_control (at least)")
	calibSecs := fs.Float64("calib-seconds", 2, "and at least this many seconds of them (short runs need many pairs)")
	quick := fs.Bool("quick", false, "an indicative run: 2 runs per cell, one calibration pair, no profiles")
	costs := fs.Bool("costs", true, "also measure Go's cost per defer with testing.Benchmark")
	prof := fs.Bool("profile", true, "CPU-profile ArticleGosched and DeferStarvation under defer and cpu_control (needs -out)")
	profSecs := fs.Float64("profile-seconds", 5, "profile each of those cells for at least this long")
	profProcs := fs.Int("profile-procs", 2, "GOMAXPROCS of the profiled cells")
	out := fs.String("out", "", "output file (default: stdout); profiles go to profiles/ beside it")
	gobin := fs.String("go", "", "the go command for `go tool pprof` (default: the toolchain realgo was built with)")
	gctrace := fs.Bool("gctrace", true, "rerun itself with GODEBUG=gctrace=1 to record GC CPU and live heap")
	check := fs.Bool("check", false, "check the flags and exit (0 when they are good)")
	analyzer := fs.String("trace-analyzer", "", "the tracewait command (realgo/tracewait): make traced runs and record each wait's causes")
	traced := fs.Int("traced", 1, "with -trace-analyzer: traced runs per treatment per cell, after its measured runs")
	session := fs.String("session", "", "a session id, recorded in the document (scripts/run.sh paired)")
	experiment := fs.String("experiment", "", "an experiment's name, recorded in the document (scripts/realgo.sh --footprints)")
	block := fs.String("block", "", "a block name for the fingerprints (scripts/run.sh paired)")
	fps := fs.Bool("fingerprints", true, "measure the host fingerprint at the start and end (about 2 s each)")
	fp := fs.Bool("fingerprint", false, "measure the host fingerprint, print it as one JSON line and exit")
	when := fs.String("when", "now", "with -fingerprint: when in the block it is measured (start, end)")
	fpFile := fs.String("fingerprint-file", "", "with -merge: add the fingerprints of this JSON-lines file")
	merge := fs.String("merge", "", "merge these realgo documents (comma separated) into one (-out) and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout, fs)
			return nil, 0
		}
		fmt.Fprintln(stderr, "realgo:", err, "(flags: realgo -h)")
		return nil, 2
	}
	bad := func(format string, a ...interface{}) (*config, int) {
		fmt.Fprintf(stderr, "realgo: "+format+"\n", a...)
		return nil, 2
	}
	if fs.NArg() > 0 {
		return bad("unexpected argument %q (flags: realgo -h)", fs.Arg(0))
	}
	c := &config{sets: sets.m, runs: *runs, calib: *calib, calibSeconds: *calibSecs, quick: *quick, costs: *costs, profile: *prof,
		profileSeconds: *profSecs, profileProcs: *profProcs, out: *out, gobin: *gobin, gctrace: *gctrace, check: *check,
		analyzer: *analyzer, traced: *traced, session: *session, experiment: *experiment, block: *block, fingerprint: *fp, fingerprints: *fps,
		when: *when, fpFile: *fpFile}
	if *merge != "" {
		c.merge = strings.Split(*merge, ",")
		c.gctrace = false
	}
	if c.fingerprint {
		c.gctrace = false
	}
	if c.traced < 0 {
		return bad("-traced must be >= 0")
	}
	if c.analyzer != "" {
		if st, err := os.Stat(c.analyzer); err != nil || st.IsDir() {
			return bad("-trace-analyzer %s: not a file (build it: cd realgo/tracewait && go build)", c.analyzer)
		}
	}
	var err error
	if c.workloads, err = parseWorkloads(*wl); err != nil {
		return bad("%v", err)
	}
	if c.treatments, err = parseTreatments(*tr); err != nil {
		return bad("%v", err)
	}
	if *procsFlag != "" {
		if c.procs, err = parseProcs(*procsFlag); err != nil {
			return bad("%v", err)
		}
	}
	if c.runs < 1 || c.calib < 1 || c.profileProcs < 1 || c.profileSeconds < 0 || c.calibSeconds < 0 {
		return bad("-runs, -calib and -profile-procs must be >= 1, -profile-seconds and -calib-seconds >= 0")
	}
	if c.quick {
		c.runs, c.calib, c.profile = minInt(c.runs, 2), 1, false
	}
	for name := range c.sets {
		ok := false
		for _, w := range c.workloads {
			ok = ok || w.has(name)
		}
		if !ok {
			var have []string
			for _, w := range c.workloads {
				have = append(have, w.name+": "+w.paramNames())
			}
			return bad("-p %s: no selected workload has it (%s)", name, strings.Join(have, "; "))
		}
	}
	for _, w := range c.workloads {
		if d := c.params(w)["density"]; !w.heap && d > maxStraightDefers {
			return bad("-p density=%d: %s's call site has at most %d straight-line defers", d, w.name, maxStraightDefers)
		}
	}
	return c, 0
}

func parseProcs(s string) ([]int, error) {
	var ps []int
	for _, f := range strings.Split(s, ",") {
		p, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || p < 1 {
			return nil, fmt.Errorf("-procs: %q is not a list of integers >= 1", s)
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// params are w's defaults with the -p values it has.
func (c *config) params(w *workload) params {
	p := params{}
	for _, d := range w.params {
		p[d.name] = d.def
	}
	for k, v := range c.sets {
		if w.has(k) {
			p[k] = v
		}
	}
	return p
}

func (c *config) procsFor(w *workload) []int {
	if c.procs != nil {
		return c.procs
	}
	return w.procs
}

// treatmentsFor are the selected treatments that apply to w.
func (c *config) treatmentsFor(w *workload) []treatment {
	var ts []treatment
	for _, t := range c.treatments {
		if t != deferPrimed || w.heap {
			ts = append(ts, t)
		}
	}
	return ts
}

// run is the command: it runs the experiments and writes the JSON document to stdout (or -out); progress
// goes to progress. A bad flag or value is one line on stderr and exit status 2; -h prints the usage and
// returns 0.
func run(args []string, stdout, stderr, progress io.Writer) int {
	cfg, rc := parseConfig(args, stdout, stderr)
	if cfg == nil || cfg.check {
		return rc
	}
	if cfg.fingerprint {
		return printFingerprint(stdout, cfg.when, cfg.block)
	}
	if cfg.merge != nil {
		return mergeDocs(cfg.merge, cfg.fpFile, cfg.out, stdout, stderr)
	}
	say := func(format string, a ...interface{}) { fmt.Fprintf(progress, "realgo: "+format+"\n", a...) }
	doc := Doc{Schema: 2, GoVersion: runtime.Version(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH,
		NumCPU: runtime.NumCPU(), Date: time.Now().UTC().Format(time.RFC3339), Args: strings.Join(args, " "),
		Quick: cfg.quick, RunsPerCell: cfg.runs, Controls: []Control{}, Runs: []Run{}, Costs: []Cost{},
		Profiles: []Profile{}, Traced: []Run{}, Fingerprints: []Fingerprint{}, GOExperiment: goExperiment(), Session: cfg.session, Experiment: cfg.experiment,
		TraceAnalyzer: cfg.analyzer,
		Histogram: HistInfo{Name: schedLatencies, BucketRelWidth: bucketRelWidth(),
			Sampling: "the runtime times one G transition in 8 (gTrackingPeriod) from runnable to running"},
		Description: "The model's latency workloads on the real Go runtime (docs/realgo.md). Per run: the " +
			"runtime's " + schedLatencies + " percentiles (upper bounds of the buckets holding them), the " +
			"workload's own timestamps (own), GC cycles and pauses (MemStats), GC CPU and live heap (gctrace), " +
			"process CPU (getrusage) and wall time. cpu_control spins, per defer, the extra process CPU that " +
			"defer took over none in calibration runs of the same process before the measured runs."}
	fingerprint := func(when string) {
		if cfg.fingerprints {
			say("host fingerprint at the %s", when)
			doc.Fingerprints = append(doc.Fingerprints, measureFingerprint(when, cfg.block))
		}
	}
	fingerprint("start")
	doc.SpinNsPerStep = calibrateSpin()
	doc.StealPause = measurePause(1000)
	say("the runnext steal pause (nanosleep, 3 us): median %.1f us, p90 %.1f us", doc.StealPause.MedianUs,
		doc.StealPause.P90Us)
	maxProcs := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(maxProcs)

	type plannedCell struct {
		w     *workload
		procs int
		ts    []treatment
	}
	var plan []plannedCell
	for _, w := range cfg.workloads {
		p := cfg.params(w)
		doc.Workloads = append(doc.Workloads, WorkloadInfo{Workload: w.name, Bench: w.bench(), Procs: cfg.procsFor(w),
			Params: p, Records: w.records(p), Own: w.own, Defers: w.defers(p, cfg.procsFor(w)[0])})
		for _, procs := range cfg.procsFor(w) {
			plan = append(plan, plannedCell{w, procs, cfg.treatmentsFor(w)})
		}
	}
	eta := newETA(cfg)
	for _, pc := range plan {
		eta.total += eta.perRun(pc.w)*float64(len(pc.ts)*cfg.runs) + eta.calibration(pc.w)
		if cfg.analyzer != "" {
			eta.total += eta.traced(pc.w) * float64(len(pc.ts))
		}
	}
	profiled := func(w *workload) bool { return w.name == "ArticleGosched" || w.name == "DeferStarvation" }
	profileEst := func(w *workload) float64 { // a calibration pair and two profiles of at least one run
		return eta.perRun(w)*2 + 2*math.Max(cfg.profileSeconds, 1.5*eta.perRun(w))
	}
	const costsEst = 12.0
	for _, w := range cfg.workloads {
		if cfg.profile && cfg.out != "" && profiled(w) {
			eta.total += profileEst(w)
		}
	}
	if cfg.costs {
		eta.total += costsEst
	}
	controls := map[string]control{}
	for i, pc := range plan {
		w, procs := pc.w, pc.procs
		runtime.GOMAXPROCS(procs)
		c := newCell(w, cfg.params(w), procs, doc.SpinNsPerStep)
		if contains(pc.ts, cpuControl) {
			say("[%d/%d] %s GOMAXPROCS=%d: %d none/defer pairs calibrate cpu_control; about %s left", i+1, len(plan),
				w.name, procs, cfg.calib, eta.left())
			ctl := calibrateControl(c, cfg.calib, cfg.calibSeconds)
			eta.done += eta.calibration(w)
			doc.Controls = append(doc.Controls, ctl)
			controls[fmt.Sprintf("%s@%d", w.name, procs)] = newControl(ctl.StepsPerDefer)
			c.ctl = newControl(ctl.StepsPerDefer)
			say("[%d/%d] %s GOMAXPROCS=%d: cpu_control spins %.1f ns per defer (%d calibration pairs)", i+1,
				len(plan), w.name, procs, ctl.NsPerDefer, ctl.Pairs)
		}
		for r := 0; r < cfg.runs; r++ {
			for _, t := range pc.ts {
				doc.Runs = append(doc.Runs, c.measure(t, r))
			}
			eta.done += eta.perRun(w) * float64(len(pc.ts))
			say("[%d/%d] %s GOMAXPROCS=%d: round %d/%d of %s; about %s left", i+1, len(plan), w.name, procs, r+1,
				cfg.runs, joinTreatments(pc.ts), eta.left())
		}
		if cfg.analyzer != "" && cfg.traced > 0 {
			say("[%d/%d] %s GOMAXPROCS=%d: %d traced run(s) of %s; about %s left", i+1, len(plan), w.name, procs,
				cfg.traced, joinTreatments(pc.ts), eta.left())
			c.traced = true
			for r := 0; r < cfg.traced; r++ {
				for _, t := range pc.ts {
					run := c.measure(t, r)
					wbc, err := analyzeTrace(cfg.analyzer, c.traceFile)
					if err != nil {
						fmt.Fprintln(stderr, "realgo: trace analysis:", err)
						return 1
					}
					run.WaitByCause = wbc
					doc.Traced = append(doc.Traced, run)
				}
			}
			c.traced = false
			eta.done += eta.traced(w) * float64(len(pc.ts))
		}
	}

	if cfg.profile && cfg.out != "" {
		rel := "profiles"
		dir := filepath.Join(filepath.Dir(cfg.out), rel)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			fmt.Fprintln(stderr, "realgo:", err)
			return 1
		}
		gobin := goTool(cfg.gobin)
		runtime.GOMAXPROCS(cfg.profileProcs)
		for _, w := range cfg.workloads {
			if !profiled(w) {
				continue
			}
			c := newCell(w, cfg.params(w), cfg.profileProcs, doc.SpinNsPerStep)
			ctl, ok := controls[fmt.Sprintf("%s@%d", w.name, cfg.profileProcs)]
			if !ok { // one pair: the profile's control need not be measured as precisely
				say("profiling %s: one none/defer pair calibrates cpu_control at GOMAXPROCS=%d", w.name, cfg.profileProcs)
				cal := calibrateControl(c, 1, cfg.calibSeconds)
				ctl = newControl(cal.StepsPerDefer)
			}
			c.ctl = ctl
			for _, t := range []treatment{withDefer, cpuControl} {
				say("profiling %s %s at GOMAXPROCS=%d for %.0f s; about %s left", w.name, t, cfg.profileProcs,
					cfg.profileSeconds, eta.left())
				p, err := profileCell(c, t, cfg.profileSeconds, dir, rel, gobin)
				if err != nil {
					fmt.Fprintln(stderr, "realgo: profile:", err)
					return 1
				}
				if p.Note != "" {
					say("%s", p.Note)
				}
				doc.Profiles = append(doc.Profiles, p)
			}
			eta.done += profileEst(w)
		}
	}
	if cfg.costs {
		say("cost per defer (testing.Benchmark); about %s left", eta.left())
		runtime.GOMAXPROCS(maxProcs)
		doc.Costs = measureCosts(progress)
	}
	fingerprint("end")
	return writeDoc(&doc, cfg.out, stdout, stderr)
}

func contains(ts []treatment, t treatment) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

// calibrateControl runs none and defer alternately, at least `pairs` times and for at least
// `seconds` (short runs need many pairs to resolve a small difference), at most
// maxCalibrationPairs, and sets the control to the median over the pairs of the extra process CPU per
// defer (none when defer took less).
func calibrateControl(c *cell, pairs int, seconds float64) Control {
	ctl := Control{Workload: c.w.name, Procs: c.procs}
	var diffs []float64
	t0 := time.Now()
	for k := 0; k < maxCalibrationPairs && (k < pairs || time.Since(t0).Seconds() < seconds); k++ {
		n := c.measure(none, -1).CPUMs
		d := c.measure(withDefer, -1).CPUMs
		ctl.NoneCPUMs = append(ctl.NoneCPUMs, n)
		ctl.DeferCPUMs = append(ctl.DeferCPUMs, d)
		diffs = append(diffs, d-n)
	}
	perDefer := median(diffs) * 1e6 / float64(c.w.defers(c.p, c.procs))
	if perDefer < 0 {
		perDefer = 0
	}
	ctl.NsPerDefer = perDefer
	ctl.StepsPerDefer = c.steps(perDefer)
	ctl.Pairs = len(diffs)
	return ctl
}

const maxCalibrationPairs = 200

func writeDoc(doc *Doc, out string, stdout, stderr io.Writer) int {
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		fmt.Fprintln(stderr, "realgo:", err)
		return 1
	}
	b = append(b, '\n')
	if out == "" {
		stdout.Write(b)
		return 0
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		fmt.Fprintln(stderr, "realgo:", err)
		return 1
	}
	return 0
}

// ---- progress ----

// eta estimates the time left from per-run estimates at the default parameters (measured on a 2-core
// machine with go1.19), scaled by the parameters and by how the work done so far compared with them.
type eta struct {
	cfg         *config
	start       time.Time
	total, done float64 // estimated seconds
}

// secondsPerRun at the default parameters, averaged over the treatments.
var secondsPerRun = map[string]float64{"ArticleGosched": 8, "Fanout": 0.05, "PingPongHog": 0.07,
	"StealLatency": 0.04, "PreemptLatency": 0.07, "DeferStarvation": 0.02}

func newETA(cfg *config) *eta { return &eta{cfg: cfg, start: time.Now()} }

// perRun is the estimated seconds of one run of w at its parameters.
func (e *eta) perRun(w *workload) float64 {
	p, def := e.cfg.params(w), params{}
	for _, d := range w.params {
		def[d.name] = d.def
	}
	scale := float64(w.defers(p, 2)+int64(w.samples(p, 2))) / float64(w.defers(def, 2)+int64(w.samples(def, 2)))
	return secondsPerRun[w.name] * scale
}

// traced is the estimated seconds of a cell's traced runs of one treatment, analysis included.
func (e *eta) traced(w *workload) float64 { return 3 * e.perRun(w) * float64(e.cfg.traced) }

// calibration is the estimated seconds of a cell's cpu_control calibration.
func (e *eta) calibration(w *workload) float64 {
	return math.Max(2*e.perRun(w)*float64(e.cfg.calib), e.cfg.calibSeconds)
}

func (e *eta) left() string {
	elapsed := time.Since(e.start).Seconds()
	rest := e.total - e.done
	if e.done > 0 {
		rest *= elapsed / e.done
	}
	if rest < 0 {
		rest = 0
	}
	return (time.Duration(rest) * time.Second).String()
}

// goExperiment is the GOEXPERIMENT setting the binary was built with ("" when none).
func goExperiment() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "GOEXPERIMENT" {
				return s.Value
			}
		}
	}
	return ""
}

// mergeDocs joins realgo documents of one session (scripts/run.sh paired runs one per workload block)
// into one: the first document's header, every document's workloads, controls, runs, traced runs,
// costs, profiles and fingerprints in order, then the fingerprints of fpFile (JSON lines; the JVM's and
// Go's at each block's start and end) when given.
func mergeDocs(files []string, fpFile, out string, stdout, stderr io.Writer) int {
	var all Doc
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintln(stderr, "realgo: -merge:", err)
			return 1
		}
		var d Doc
		if err := json.Unmarshal(b, &d); err != nil {
			fmt.Fprintf(stderr, "realgo: -merge: %s: %v\n", f, err)
			return 1
		}
		if i == 0 {
			all = d
			continue
		}
		if d.GoVersion != all.GoVersion || d.Session != all.Session || d.Experiment != all.Experiment {
			fmt.Fprintf(stderr, "realgo: -merge: %s is %s session %q experiment %q, the first is %s session %q experiment %q\n",
				f, d.GoVersion, d.Session, d.Experiment, all.GoVersion, all.Session, all.Experiment)
			return 1
		}
		all.Args += " ; " + d.Args
		all.GCTraceMissing += d.GCTraceMissing
		all.Workloads = append(all.Workloads, d.Workloads...)
		all.Controls = append(all.Controls, d.Controls...)
		all.Runs = append(all.Runs, d.Runs...)
		all.Traced = append(all.Traced, d.Traced...)
		all.Costs = append(all.Costs, d.Costs...)
		all.Profiles = append(all.Profiles, d.Profiles...)
		all.Fingerprints = append(all.Fingerprints, d.Fingerprints...)
		if all.GCCalibration == nil {
			all.GCCalibration = d.GCCalibration
		}
	}
	if fpFile != "" {
		b, err := os.ReadFile(fpFile)
		if err != nil {
			fmt.Fprintln(stderr, "realgo: -fingerprint-file:", err)
			return 1
		}
		for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var f Fingerprint
			if err := json.Unmarshal([]byte(line), &f); err != nil {
				fmt.Fprintf(stderr, "realgo: -fingerprint-file %s: line %d: %v\n", fpFile, i+1, err)
				return 1
			}
			all.Fingerprints = append(all.Fingerprints, f)
		}
	}
	return writeDoc(&all, out, stdout, stderr)
}
