package main

import (
	"bytes"
	"math"
	"runtime"
	rtrace "runtime/trace"
	"sync"
	"testing"

	"golang.org/x/exp/trace"
)

// A small synthetic trace where every wait's answer is worked out by hand. GOMAXPROCS 2.
//
//	G1: runnable 100 -> 1100. P0 runs G10 throughout; P1 idle until 1000, then running with no G.
//	    P-time 2000 ns: running 1000, idle 900, other 100 -> 500 / 450 / 50 ns of the 1000 ns wait.
//	G2: runnable 2000 -> 3000. P0 runs G10 until 2900 (no G after), P1 runs G1; the world is stopped
//	    2200 -> 2600. P-time: stw 800, running 500 + 600, other 100 -> 400 / 550 / 50.
//	G3: a mark worker (labelled "GC (dedicated)"): created 3050, runs on P1 3100 -> 5100; its own wait
//	    is not counted.
//	G4: runnable 3200 -> 5200. P0 runs G2; P1 runs the worker until 5100, then nothing.
//	    P-time: running 2000, gc_worker 1900, other 100 -> 1000 / 950 / 50.
//	G5: runnable 5300 -> 5400 while G2 on P0 is in a system call and P1 runs G4:
//	    syscall 100, running 100 -> 50 / 50.
func TestSyntheticTrace(t *testing.T) {
	var evs []trace.Event
	add := func(e trace.Event, err error) {
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, e)
	}
	gst := func(ts int64, p trace.ProcID, ctx, g trace.GoID, from, to trace.GoState) {
		add(trace.MakeEvent(trace.EventConfig[trace.StateTransition]{Time: trace.Time(ts), Kind: trace.EventStateTransition,
			Proc: p, Goroutine: ctx, Details: trace.MakeGoStateTransition(g, from, to)}))
	}
	pst := func(ts int64, p trace.ProcID, from, to trace.ProcState) {
		add(trace.MakeEvent(trace.EventConfig[trace.StateTransition]{Time: trace.Time(ts), Kind: trace.EventStateTransition,
			Proc: p, Goroutine: trace.NoGoroutine, Details: trace.MakeProcStateTransition(p, from, to)}))
	}
	stw := func(ts int64, kind trace.EventKind) {
		add(trace.MakeEvent(trace.EventConfig[trace.Range]{Time: trace.Time(ts), Kind: kind, Proc: 0, Goroutine: 10,
			Details: trace.Range{Name: "stop-the-world (GC sweep termination)", Scope: trace.MakeResourceID(trace.GoID(10))}}))
	}
	const none = trace.NoGoroutine
	add(trace.MakeEvent(trace.EventConfig[trace.Metric]{Time: 0, Kind: trace.EventMetric, Proc: 0, Goroutine: none,
		Details: trace.Metric{Name: "/sched/gomaxprocs:threads", Value: trace.Uint64Value(2)}}))
	pst(0, 0, trace.ProcUndetermined, trace.ProcRunning)
	pst(0, 1, trace.ProcUndetermined, trace.ProcIdle)
	gst(0, 0, none, 10, trace.GoUndetermined, trace.GoRunning)
	gst(100, 0, 10, 1, trace.GoNotExist, trace.GoRunnable)
	pst(1000, 1, trace.ProcIdle, trace.ProcRunning)
	gst(1100, 1, none, 1, trace.GoRunnable, trace.GoRunning)
	gst(2000, 0, 10, 2, trace.GoNotExist, trace.GoRunnable)
	stw(2200, trace.EventRangeBegin)
	stw(2600, trace.EventRangeEnd)
	gst(2900, 0, 10, 10, trace.GoRunning, trace.GoWaiting)
	gst(3000, 0, none, 2, trace.GoRunnable, trace.GoRunning)
	gst(3050, 1, 1, 3, trace.GoNotExist, trace.GoRunnable)
	gst(3060, 1, 1, 1, trace.GoRunning, trace.GoWaiting)
	gst(3100, 1, none, 3, trace.GoRunnable, trace.GoRunning)
	add(trace.MakeEvent(trace.EventConfig[trace.Label]{Time: 3100, Kind: trace.EventLabel, Proc: 1, Goroutine: 3,
		Details: trace.Label{Label: "GC (dedicated)", Resource: trace.MakeResourceID(trace.GoID(3))}}))
	gst(3200, 0, 2, 4, trace.GoNotExist, trace.GoRunnable)
	gst(5100, 1, 3, 3, trace.GoRunning, trace.GoWaiting)
	gst(5200, 1, none, 4, trace.GoRunnable, trace.GoRunning)
	gst(5250, 0, 2, 2, trace.GoRunning, trace.GoSyscall)
	gst(5300, 1, 4, 5, trace.GoNotExist, trace.GoRunnable)
	gst(5400, 1, none, 5, trace.GoRunnable, trace.GoRunning) // (the P of the event: G4 switches out below)
	d := newDecomposer()
	for i := range evs {
		d.event(&evs[i])
	}
	if len(d.waits) != 5 { // G1, G2, G3 (a worker, dropped by result), G4, G5
		t.Fatalf("waits = %d, want 5", len(d.waits))
	}
	want := map[trace.GoID]map[string]float64{
		1: {"running": 0.5, "idle": 0.45, "other": 0.05},
		2: {"stw": 0.4, "running": 0.55, "other": 0.05},
		4: {"running": 1.0, "gc_worker": 0.95, "other": 0.05},
		5: {"syscall": 0.05, "running": 0.05},
	}
	for _, w := range d.waits {
		exp, ok := want[w.g]
		if !ok {
			continue
		}
		var total int64
		for _, v := range w.cause {
			total += v
		}
		for c, name := range Causes {
			got := float64(w.ns) / 1e3 * float64(w.cause[c]) / float64(total)
			if math.Abs(got-exp[name]) > 1e-9 {
				t.Errorf("G%d %s = %.3f us, want %.3f", w.g, name, got, exp[name])
			}
		}
	}
	r := d.result()
	if r.Waits != 4 || r.Skipped != 1 {
		t.Errorf("waits %d skipped %d, want 4 and 1 (the mark worker's)", r.Waits, r.Skipped)
	}
	sum := 0.0
	for _, v := range r.All {
		sum += v
	}
	if math.Abs(sum-r.WaitUs) > 1e-9 || math.Abs(r.WaitUs-4.1) > 1e-9 {
		t.Errorf("causes sum to %.3f, waits to %.3f; want 4.1 both", sum, r.WaitUs)
	}
	if r.All["gc_worker"] != 0.95 || r.All["stw"] != 0.4 || r.All["idle"] != 0.45 {
		t.Errorf("all = %v", r.All)
	}
}

// The tail is the waits longer than the 95th percentile of all waits: of 20 waits of 1 us and one of
// 100 us, the 100 us one (p95 = 1 us).
func TestTail(t *testing.T) {
	d := newDecomposer()
	for i := 0; i < 20; i++ {
		d.waits = append(d.waits, wait{g: trace.GoID(i), ns: 1000, cause: [nCauses]int64{cRunning: 2000}})
	}
	d.waits = append(d.waits, wait{g: 99, ns: 100_000, cause: [nCauses]int64{cIdle: 150_000, cRunning: 50_000}})
	r := d.result()
	if r.P95Us != 1 || r.TailWaits != 1 || r.Tail["idle"] != 75 || r.Tail["running"] != 25 {
		t.Errorf("p95 %.1f, tail waits %d, tail %v", r.P95Us, r.TailWaits, r.Tail)
	}
	if r.All["running"] != 45 || r.All["idle"] != 75 {
		t.Errorf("all %v", r.All)
	}
}

// A real trace of this process: the causes of every wait add up to the waits, and a workload that
// keeps both Ps busy with goroutines shows mostly "running".
func TestRealTrace(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	var buf bytes.Buffer
	if err := rtrace.Start(&buf); err != nil {
		t.Skip("runtime/trace:", err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x := 0
			for k := 0; k < 20; k++ {
				for j := 0; j < 20000; j++ {
					x ^= j * k
				}
				runtime.Gosched()
			}
			_ = x
		}()
	}
	wg.Wait()
	rtrace.Stop()
	r, err := Decompose(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if r.Waits < 200*20 {
		t.Fatalf("waits = %d, want at least %d", r.Waits, 200*20)
	}
	sum, tail := 0.0, 0.0
	for _, c := range Causes {
		sum += r.All[c]
		tail += r.Tail[c]
	}
	if math.Abs(sum-r.WaitUs) > 1e-6*r.WaitUs || math.Abs(tail-r.TailUs) > 1e-6*math.Max(r.TailUs, 1) {
		t.Errorf("causes %.1f / %.1f us, waits %.1f / %.1f us", sum, tail, r.WaitUs, r.TailUs)
	}
	if r.All["running"] < 0.5*r.WaitUs {
		t.Errorf("running = %.1f of %.1f us: two busy Ps should dominate", r.All["running"], r.WaitUs)
	}
}

func TestCLI(t *testing.T) {
	var out, errb bytes.Buffer
	if rc := run([]string{"/no/such/file"}, nil, &out, &errb); rc != 2 || bytes.Count(errb.Bytes(), []byte("\n")) != 1 {
		t.Errorf("missing file: rc %d, stderr %q", rc, errb.String())
	}
	errb.Reset()
	if rc := run(nil, nil, &out, &errb); rc != 2 {
		t.Errorf("no argument: rc %d", rc)
	}
}
