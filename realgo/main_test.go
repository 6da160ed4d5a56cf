package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// tiny parameters for every workload
var tiny = []string{"-p", "goroutines=20", "-p", "loops=3", "-p", "density=2", "-p", "producers=2", "-p", "children=10",
	"-p", "rounds=20", "-p", "parents=3", "-p", "calls=3", "-p", "shorts=4", "-p", "others=5"}

// runTiny runs the command in-process with tiny parameters and returns its document and raw JSON.
func runTiny(t *testing.T, extra ...string) (Doc, []byte) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "realgo.json")
	args := append(append([]string{"-procs", "1,2", "-runs", "2", "-calib", "1", "-calib-seconds", "0", "-costs=false", "-profile=false",
		"-fingerprints=false", "-out", out}, tiny...), extra...)
	var stdout, stderr bytes.Buffer
	if rc := run(args, &stdout, &stderr, io.Discard); rc != 0 {
		t.Fatalf("run %v: exit %d: %s", args, rc, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var d Doc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("the JSON does not decode: %v", err)
	}
	return d, b
}

var tinyDoc struct {
	d   Doc
	raw []byte
}

func tinyRun(t *testing.T) (Doc, []byte) {
	if tinyDoc.raw == nil {
		tinyDoc.d, tinyDoc.raw = runTiny(t)
	}
	return tinyDoc.d, tinyDoc.raw
}

// Every workload runs under every treatment that applies to it (defer_primed only where the defers are
// heap records), at every GOMAXPROCS value, the requested number of times; each cell has its control.
func TestEveryWorkloadAndTreatmentRuns(t *testing.T) {
	d, _ := tinyRun(t)
	if d.Schema != 2 || d.GoVersion == "" || d.NumCPU < 1 || d.RunsPerCell != 2 || len(d.Workloads) != 6 {
		t.Fatalf("document header: schema %d, go %q, cpus %d, runs %d, %d workloads", d.Schema, d.GoVersion, d.NumCPU,
			d.RunsPerCell, len(d.Workloads))
	}
	count := map[string]int{}
	for _, r := range d.Runs {
		count[fmt.Sprintf("%s/%s@%d", r.Workload, r.Treatment, r.Procs)]++
	}
	for _, w := range workloads {
		for _, tr := range allTreatments {
			for _, p := range []int{1, 2} {
				k := fmt.Sprintf("%s/%s@%d", w.name, tr, p)
				want := 2
				if tr == deferPrimed && !w.heap {
					want = 0
				}
				if count[k] != want {
					t.Errorf("%s: %d runs, want %d", k, count[k], want)
				}
			}
		}
	}
	if p := d.StealPause; p.N != 1000 || p.MinUs < 3 || p.MinUs > p.MedianUs || p.MedianUs > p.P90Us {
		t.Errorf("steal pause: %+v (usleep(3) cannot take under 3 us)", p)
	}
	if len(d.Controls) != 12 {
		t.Errorf("one cpu_control calibration per workload and procs value, got %d", len(d.Controls))
	}
}

// The runs come interleaved: round 0 of every treatment before round 1 of any.
func TestTreatmentsAreInterleaved(t *testing.T) {
	d, _ := tinyRun(t)
	var seq []string
	for _, r := range d.Runs {
		if r.Workload == "Fanout" && r.Procs == 1 {
			seq = append(seq, fmt.Sprintf("%s%d", r.Treatment, r.Run))
		}
	}
	want := "none0 defer0 cpu_control0 alloc_control0 defer_gcoff0 none1 defer1 cpu_control1 alloc_control1 defer_gcoff1"
	if got := strings.Join(seq, " "); got != want {
		t.Errorf("Fanout procs=1 order:\n got %s\nwant %s", got, want)
	}
}

// The documented fields of a run are all there (docs/realgo.md), and the workloads' own latencies too.
func TestRunsHaveTheDocumentedFields(t *testing.T) {
	_, raw := tinyRun(t)
	var generic struct {
		Runs []map[string]json.RawMessage `json:"runs"`
	}
	if err := json.Unmarshal(raw, &generic); err != nil {
		t.Fatal(err)
	}
	for _, r := range generic.Runs {
		for _, k := range []string{"workload", "treatment", "procs", "params", "run", "wallMs", "cpuMs", "gcCycles",
			"gcCpuMs", "stwUs", "p50Us", "p95Us", "p99Us", "maxUs", "meanUs", "samples", "own"} {
			if _, ok := r[k]; !ok {
				t.Fatalf("a run has no %q: %v", k, r)
			}
		}
	}
}

// Percentiles are ordered and non-negative in every run, for the runtime's histogram and the own timestamps;
// every own sample slot was filled.
func TestPercentilesAreOrdered(t *testing.T) {
	d, _ := tinyRun(t)
	for _, r := range d.Runs {
		if r.P50Us < 0 || r.P50Us > r.P95Us || r.P95Us > r.P99Us || r.P99Us > r.MaxUs {
			t.Errorf("%s %s procs=%d: p50 %.3f, p95 %.3f, p99 %.3f, max %.3f not ordered", r.Workload, r.Treatment,
				r.Procs, r.P50Us, r.P95Us, r.P99Us, r.MaxUs)
		}
		o := r.Own
		if o == nil || o.P50Us < 0 || o.P50Us > o.P95Us || o.P95Us > o.P99Us || o.P99Us > o.MaxUs {
			t.Errorf("%s %s procs=%d: own %+v", r.Workload, r.Treatment, r.Procs, o)
			continue
		}
		w := findWorkload(r.Workload)
		if want := w.samples(r.Params, r.Procs); o.Samples != uint64(want) {
			t.Errorf("%s %s procs=%d: %d own samples, want %d", r.Workload, r.Treatment, r.Procs, o.Samples, want)
		}
		if r.WallMs <= 0 || r.CPUMs < 0 {
			t.Errorf("%s %s procs=%d: wall %.3f ms, cpu %.3f ms", r.Workload, r.Treatment, r.Procs, r.WallMs, r.CPUMs)
		}
		if (r.Workload == "PreemptLatency") != (r.Slices != nil) {
			t.Errorf("%s: slices %v (only PreemptLatency has them)", r.Workload, r.Slices)
		}
		// the exported histogram holds the run's samples, in increasing buckets, and its p95 is the summary's
		var n, prev float64
		for _, b := range r.SchedHist {
			if b[0] <= prev || b[1] <= 0 {
				t.Fatalf("%s %s: schedHist buckets not increasing or empty: %v", r.Workload, r.Treatment, r.SchedHist)
			}
			prev = b[0]
			n += b[1]
		}
		if uint64(n) != r.Samples {
			t.Errorf("%s %s procs=%d: schedHist holds %.0f samples, the summary %d", r.Workload, r.Treatment, r.Procs, n, r.Samples)
		}
		if r.Samples > 0 {
			target, cum, p95 := math.Ceil(0.95*n), 0.0, 0.0
			for _, b := range r.SchedHist {
				if cum += b[1]; cum >= target {
					p95 = b[0]
					break
				}
			}
			if math.Abs(p95-r.P95Us) > 1e-9*math.Max(1, p95) {
				t.Errorf("%s %s: p95 from schedHist %.6f, summary %.6f", r.Workload, r.Treatment, p95, r.P95Us)
			}
		}
	}
}

// A bad flag or value is one line on stderr and exit status 2; -h is the usage and exit 0.
func TestBadInputIsOneLineAndExit2(t *testing.T) {
	for _, args := range [][]string{{"-runs", "0"}, {"-procs", "two"}, {"-procs", "0"}, {"-nosuch"},
		{"-p", "goroutines"}, {"-p", "goroutines=x"}, {"-p", "nosuch=3"}, {"-workloads", "Nope"},
		{"-treatments", "none,nope"}, {"stray"}, {"-workloads", "Fanout", "-p", "density=17"},
		{"-workloads", "Fanout", "-p", "goroutines=3"}, {"-traced", "-1"}, {"-trace-analyzer", "/no/such/tracewait"}} {
		var stdout, stderr bytes.Buffer
		rc := run(args, &stdout, &stderr, io.Discard)
		msg := strings.TrimRight(stderr.String(), "\n")
		if rc != 2 || msg == "" || strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "realgo: ") {
			t.Errorf("%v: exit %d, stderr %q: want exit 2 and one line", args, rc, stderr.String())
		}
		if stdout.Len() != 0 {
			t.Errorf("%v: wrote to stdout: %q", args, stdout.String())
		}
	}
	var stdout, stderr bytes.Buffer
	if rc := run([]string{"-check", "-p", "density=3"}, &stdout, &stderr, io.Discard); rc != 0 || stdout.Len()+stderr.Len() != 0 {
		t.Errorf("-check with good flags: exit %d, %q %q", rc, stdout.String(), stderr.String())
	}
	if rc := run([]string{"-h"}, &stdout, &stderr, io.Discard); rc != 0 || !strings.Contains(stdout.String(), "-workloads") ||
		!strings.Contains(stdout.String(), "goroutines=10000") {
		t.Errorf("-h: exit %d, stdout %q", rc, stdout.String())
	}
}

// Workload names are those of the model, with or without Bench, in any case.
func TestWorkloadNames(t *testing.T) {
	ws, err := parseWorkloads("articlegoschedbench,DeferStarvation")
	if err != nil || len(ws) != 2 || ws[0].name != "ArticleGosched" || ws[1].name != "DeferStarvation" {
		t.Fatalf("got %v, %v", ws, err)
	}
}

// The log-bucketed histogram places every value within 1/64 of itself, in order.
func TestLogBuckets(t *testing.T) {
	prev := -1
	for _, v := range []int64{0, 1, 63, 64, 65, 127, 128, 129, 1000, 4095, 4096, 1e6, 123456789, 1 << 40} {
		b := bucketOf(v)
		if b < prev {
			t.Errorf("bucketOf(%d) = %d, below the previous %d", v, b, prev)
		}
		prev = b
		u := bucketUpper(b)
		if u < v || float64(u-v) > float64(v)/64+1 {
			t.Errorf("v %d: bucket %d has upper bound %d", v, b, u)
		}
		if b > 0 && bucketUpper(b-1) >= v {
			t.Errorf("v %d: the previous bucket's upper bound %d is not below it", v, bucketUpper(b-1))
		}
	}
	s := summarizeNs([]int64{-1, 1000, 2000, 3000, 4000, -1})
	if s.Samples != 4 || s.MaxUs != 4 || s.MeanUs != 2.5 || s.P50Us < 2 || s.P50Us > 2.04 {
		t.Errorf("summary of 1..4 us: %+v", s)
	}
}

// PreemptLatency's slices: a gap well beyond the median call is a deschedule.
func TestPreemptSlices(t *testing.T) {
	// calls of 20 us; the hog is away for 5 ms after the third call
	e := []int64{0, 20_000, 40_000, 60_000, 5_080_000, 5_100_000}
	got := preemptSlices([][]int64{e})
	if len(got) != 2 || got[0] != 80_000 || got[1] != 20_000 {
		t.Errorf("slices %v, want [80000 20000]", got)
	}
}

const traceLines = `gc 7 @1.234s 12%: 0.050+30+0.20 ms clock, 0.10+4.0/25/1.0+0.40 ms cpu, 40->44->20 MB, 41 MB goal, 0 MB stacks, 0 MB globals, 2 P
gc 8 @1.500s 13%: 0.10+50+0.30 ms clock, 0.20+6.0/45/3.0+0.60 ms cpu, 42->50->40 MB, 40 MB goal, 0 MB stacks, 0 MB globals, 2 P
gc 9 @2.000s 13%: 0.10+1+0.30 ms clock, 0.20+0/1/0+0.60 ms cpu, 3->3->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)
`

// gctrace lines parse into their fields; other lines pass through.
func TestGCTraceParsesAndPassesOtherLines(t *testing.T) {
	var rest bytes.Buffer
	cycles := readGCTrace(strings.NewReader("realgo: progress\n"+traceLines+"panic: boom\n"), &rest)
	if rest.String() != "realgo: progress\npanic: boom\n" {
		t.Errorf("passed through: %q", rest.String())
	}
	c := cycles[7]
	if len(cycles) != 3 || c.STW1ClockMs != 0.05 || c.MarkClockMs != 30 || c.STW2ClockMs != 0.2 || c.AssistMs != 4 ||
		c.BgMs != 25 || c.IdleMs != 1 || c.StartMB != 40 || c.LiveMB != 20 || c.GoalMB != 41 || c.PCount != 2 || c.Forced {
		t.Errorf("cycle 7: %+v", c)
	}
	if !cycles[9].Forced {
		t.Error("cycle 9 is forced")
	}
}

// Each run gets its own cycles; the calibration leaves out forced and tiny cycles.
func TestMergeGC(t *testing.T) {
	cycles := readGCTrace(strings.NewReader(traceLines), io.Discard)
	doc := Doc{Runs: []Run{{Treatment: "defer", GCFirst: 6, GCLast: 8}, {Treatment: "none", GCFirst: 8, GCLast: 9},
		{Treatment: "cpu_control", GCFirst: 9, GCLast: 9}, {Treatment: "defer", GCFirst: 9, GCLast: 10}}}
	mergeGC(&doc, cycles)
	r := doc.Runs[0]
	if !doc.GCTrace || r.GCAssistMs != 10 || r.GCBgMs != 70 || r.GCIdleMs != 4 || len(r.HeapLiveMB) != 2 ||
		r.HeapLivePeakMB != 40 || fmt.Sprintf("%.2f", r.GCCPUMs) != "85.30" {
		t.Errorf("run 0: %+v", r)
	}
	if doc.GCTraceMissing != 1 {
		t.Errorf("cycle 10 was never traced: missing %d, want 1", doc.GCTraceMissing)
	}
	cal := doc.GCCalibration
	if cal == nil || cal.Cycles != 2 || cal.MarkCPUMsPerMB.Min != 54.0/40 || cal.MarkCPUMsPerMB.Max != 30.0/20 ||
		cal.MarkTermUs.Max != 300 || cal.SweepTermUs.Min != 50 {
		t.Errorf("calibration: %+v", cal)
	}
}

const tracesOutput = `File: realgo
Type: cpu
Duration: 1s, Total samples = 70ms ( 7.00%)
-----------+-------------------------------------------------------
      30ms   runtime.lock2
             runtime.lock (inline)
             runtime.newdefer
             runtime.deferproc
             main.articleDefer
             main.runArticle.func1
-----------+-------------------------------------------------------
      20ms   runtime.scanobject
             runtime.gcDrain
             runtime.gcBgMarkWorker.func2
             runtime.systemstack
             runtime.gcBgMarkWorker
-----------+-------------------------------------------------------
     realgo:  run
      20ms   runtime.runqsteal
             runtime.findrunnable
             runtime.schedule
             runtime.mcall
-----------+-------------------------------------------------------
`

// pprof -traces output becomes root-first collapsed stacks in 10 ms samples, and the shares count the
// stacks holding their frames in order.
func TestCollapseAndShares(t *testing.T) {
	stacks, err := collapseTraces(strings.NewReader(tracesOutput))
	if err != nil {
		t.Fatal(err)
	}
	want := "main.runArticle.func1;main.articleDefer;runtime.deferproc;runtime.newdefer;runtime.lock;runtime.lock2"
	if stacks[want] != 3 || len(stacks) != 3 {
		t.Fatalf("stacks %v", stacks)
	}
	total, sh := shareOf(stacks)
	if total != 7 || sh["deferlock"] != 3.0/7 || sh["newdefer"] != 3.0/7 || sh["gcBgMarkWorker"] != 2.0/7 ||
		sh["runqsteal"] != 2.0/7 || sh["gcAssistAlloc"] != 0 || sh["gc"] != 2.0/7 {
		t.Errorf("total %d, shares %v", total, sh)
	}
}

// The built command reruns itself with gctrace on, merges the cycles, profiles and collapses, and gives
// one line and exit 2 for bad input.
func TestBinaryEndToEnd(t *testing.T) {
	gobin := goTool("")
	if gobin == "" {
		t.Skip("no go command to build the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "realgo")
	if out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out := filepath.Join(dir, "run", "realgo.json")
	os.MkdirAll(filepath.Dir(out), 0o755)
	args := []string{"-workloads", "ArticleGosched,DeferStarvation", "-procs", "2", "-runs", "1", "-calib", "1", "-calib-seconds", "0",
		"-costs=false", "-profile-seconds", "0.05", "-out", out, "-p", "goroutines=20", "-p", "loops=3", "-p", "density=2",
		"-p", "others=5"}
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "realgo: [1/2] ArticleGosched") {
		t.Errorf("no progress passed through: %q", stderr.String())
	}
	b, _ := os.ReadFile(out)
	var d Doc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if !d.GCTrace || len(d.Profiles) != 4 {
		t.Fatalf("gcTrace %v, %d profiles", d.GCTrace, len(d.Profiles))
	}
	for _, p := range d.Profiles {
		if _, err := os.Stat(filepath.Join(filepath.Dir(out), p.Pprof)); err != nil {
			t.Errorf("profile %s: %v", p.Pprof, err)
		}
		if p.Collapsed == "" || p.Shares == nil {
			t.Errorf("profile %s not collapsed: %s", p.Pprof, p.Note)
		}
	}
	cmd = exec.Command(bin, "-runs", "x")
	stderr.Reset()
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || strings.Count(stderr.String(), "\n") != 1 {
		t.Errorf("-runs x: %v, stderr %q", err, stderr.String())
	}
}
