package main

// The six latency workloads, each the Go program that a JMH latency benchmark of the model runs
// (model/.../workload/LatencyWorkloads.java), with the same shape and the same parameter names. Work
// sizes the model gives in Spin units are 4 xorshift steps per unit here (modelUnits); those it gives
// in nanoseconds are converted with this machine's measured spin rate (cell.ns).

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// param is one workload parameter: its JMH name, default and meaning.
type param struct {
	name string
	def  int
	doc  string
}

// params are a run's parameter values by name.
type params map[string]int

// workload is one latency experiment.
type workload struct {
	name   string  // the model's benchmark without "Bench": ArticleGosched
	procs  []int   // default GOMAXPROCS values, as the JMH class's @Param
	params []param // its parameters, JMH names
	// heap: its defers stand in a loop, so Go gives them heap records (deferproc, newdefer's pools):
	// defer_primed applies. Otherwise they are straight-line (open-coded or stack records).
	heap bool
	own  string // what its own timestamps time (the "own" latency), "" if nothing
	// defers: defer statements executed in one run; peak: records live at once at most (priming);
	// samples: own latency samples in one run
	defers  func(p params, procs int) int64
	peak    func(p params, procs int) int
	samples func(p params, procs int) int
	run     func(c *cell)
}

// bench is the JMH class it mirrors.
func (w *workload) bench() string { return w.name + "Bench" }

// records says what Go's compiler makes of the workload's defers at p.
func (w *workload) records(p params) string {
	switch {
	case w.heap:
		return "heap (defer in a loop: deferproc, newdefer's per-P and central pools)"
	case p["density"] <= 8:
		return "open-coded (at most 8 straight-line defers)"
	default:
		return "stack (more than 8 straight-line defers: deferprocStack)"
	}
}

func (w *workload) has(name string) bool {
	for _, p := range w.params {
		if p.name == name {
			return true
		}
	}
	return false
}

func (w *workload) paramNames() string {
	var s []string
	for _, p := range w.params {
		s = append(s, p.name)
	}
	return strings.Join(s, ", ")
}

// fixed work sizes, as the model's benchmarks give them
const (
	fanoutChildUnits   = 50         // FanoutBench: LatencyWorkloads.fanout(..., 50, ...)
	pingPongPairs      = 2          // PingPongHogBench: pingPongHog(2, ...)
	pingPongHogNs      = 20_000_000 // Spin.unitsFor(20_000_000L): 20 ms per hog
	stealCallNs        = 5_000      // StealLatencyBench: Spin.unitsFor(5_000)
	preemptCallNs      = 20_000     // PreemptLatencyBench: Spin.unitsFor(20_000)
	preemptShortLoops  = 20         // preemptLatency(..., 200, 20, ...)
	shortUnits         = 16         // a short G's work per loop (Program ... work(16))
	starvationLoops    = 20         // deferStarvation(density, 1_000, 20, ...)
	starvationOthUnits = 64         // Program other ... work(64)
)

var workloads = []*workload{
	{
		// GOMAXPROCS=4 only (the article's C1 setting; the model also runs 2): a round of the six
		// treatments takes about a minute on 2 cores, and -procs 2,4 adds the other value
		name: "ArticleGosched", procs: []int{4}, heap: true, own: "Gosched -> return (the G's runnable delay)",
		params: []param{{"goroutines", 10000, "goroutines (C1: 10k)"}, {"loops", 100, "iterations per goroutine"},
			{"density", 10, "defers per iteration (C1: 10)"}},
		defers: func(p params, _ int) int64 {
			return int64(p["goroutines"]) * int64(p["loops"]) * int64(p["density"])
		},
		peak:    func(p params, _ int) int { return p["goroutines"] * p["loops"] * p["density"] },
		samples: func(p params, _ int) int { return p["goroutines"] * p["loops"] },
		run:     runArticle,
	},
	{
		name: "Fanout", procs: []int{2}, own: "go statement -> the child's first instruction",
		params: []param{{"producers", 4, "goroutines that spawn children"}, {"children", 5000, "children per producer"},
			{"density", 10, "straight-line defers per child call"}},
		defers: func(p params, _ int) int64 {
			return int64(p["producers"]) * int64(p["children"]) * int64(p["density"])
		},
		samples: func(p params, _ int) int { return p["producers"] * p["children"] },
		run:     runFanout,
	},
	{
		name: "PingPongHog", procs: []int{2}, own: "channel send -> the receiver running (ready -> running)",
		params: []param{{"rounds", 20000, "hand-offs per player"}, {"density", 10, "straight-line defers per hand-off call"}},
		defers: func(p params, _ int) int64 {
			return int64(2*pingPongPairs) * int64(p["rounds"]) * int64(p["density"])
		},
		samples: func(p params, _ int) int { return 2 * pingPongPairs * p["rounds"] },
		run:     runPingPongHog,
	},
	{
		name: "StealLatency", procs: []int{2}, own: "go statement -> the child's first instruction (stolen from runnext or not)",
		params: []param{{"parents", 300, "parents, one at a time"}, {"calls", 20, "calls per parent after the spawn"},
			{"density", 10, "straight-line defers per call"}},
		defers: func(p params, _ int) int64 {
			return int64(p["parents"]) * int64(p["calls"]) * int64(p["density"])
		},
		samples: func(p params, _ int) int { return p["parents"] },
		run:     runStealLatency,
	},
	{
		name: "PreemptLatency", procs: []int{2}, own: "a short G's Gosched -> return (its runnable delay)",
		params: []param{{"calls", 3000, "calls per hog (hogs = GOMAXPROCS)"}, {"shorts", 200, "short goroutines"},
			{"density", 10, "straight-line defers per hog call"}},
		defers: func(p params, procs int) int64 {
			return int64(procs) * int64(p["calls"]) * int64(p["density"])
		},
		samples: func(p params, _ int) int { return p["shorts"] * preemptShortLoops },
		run:     runPreemptLatency,
	},
	{
		name: "DeferStarvation", procs: []int{1, 2}, heap: true, own: "another G's Gosched -> return (its runnable delay)",
		params: []param{{"density", 10000, "defers the heavy G registers in a loop (C14: 10,000)"},
			{"others", 1000, "other goroutines"}},
		defers:  func(p params, _ int) int64 { return int64(p["density"]) },
		peak:    func(p params, _ int) int { return p["density"] },
		samples: func(p params, _ int) int { return p["others"] * starvationLoops },
		run:     runDeferStarvation,
	},
}

func findWorkload(name string) *workload {
	for _, w := range workloads {
		if strings.EqualFold(w.name, name) || strings.EqualFold(w.bench(), name) {
			return w
		}
	}
	return nil
}

func parseWorkloads(s string) ([]*workload, error) {
	if s == "" || s == "all" {
		return workloads, nil
	}
	var ws []*workload
	for _, f := range strings.Split(s, ",") {
		w := findWorkload(strings.TrimSpace(f))
		if w == nil {
			var names []string
			for _, w := range workloads {
				names = append(names, w.name)
			}
			return nil, fmt.Errorf("-workloads: unknown workload %q (valid: %s)", f, strings.Join(names, ","))
		}
		ws = append(ws, w)
	}
	return ws, nil
}

// ---- the workloads ----

// ArticleGosched (ArticleGoschedBench, C1-C6): goroutines Gs each call a function that loops `loops`
// times; each iteration executes density `defer func(){}()` statements, then runtime.Gosched(). The
// deferred calls pile up (loops x density per G, heap records) and run when the function returns.
func runArticle(c *cell) {
	g, loops, d := c.p["goroutines"], c.p["loops"], c.p["density"]
	var wg sync.WaitGroup
	wg.Add(g)
	for i := 0; i < g; i++ {
		own := c.own[i*loops : (i+1)*loops]
		go func() {
			switch {
			case c.t.defers():
				articleDefer(own, d)
			case c.t == cpuControl:
				articleControl(own, d, c.ctl)
			case c.t == allocControl:
				articleAlloc(own, d)
			default:
				articleNone(own)
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

//go:noinline
func articleNone(own []int64) {
	for i := range own {
		own[i] = gosched()
	}
}

// articleDefer is the article's function.
//
//go:noinline
func articleDefer(own []int64, density int) {
	for i := range own {
		for j := 0; j < density; j++ {
			defer func() {}()
		}
		own[i] = gosched()
	}
}

//go:noinline
func articleControl(own []int64, density int, ctl control) {
	for i := range own {
		spin(ctl.reg * density)
		own[i] = gosched()
	}
	spin(ctl.ret * density * len(own))
}

//go:noinline
func articleAlloc(own []int64, density int) {
	var head *blob
	for i := range own {
		for j := 0; j < density; j++ {
			head = &blob{next: head}
		}
		own[i] = gosched()
	}
	runtime.KeepAlive(head)
}

// gosched yields and returns how long the G waited to run again (runnable -> running, plus the
// yield's own path).
func gosched() int64 {
	t := now()
	runtime.Gosched()
	return now() - t
}

// shortLoop is a short G (PreemptLatency's shorts, DeferStarvation's others): len(own) times a little
// work, then Gosched, timing each wait.
func shortLoop(own []int64, units int) {
	steps := modelUnits(units)
	for i := range own {
		spin(steps)
		own[i] = gosched()
	}
}

// Fanout (FanoutBench): producers each spawn children (newproc: runnext, the displaced G to the ring
// tail, wakep); a child calls a function with density straight-line defers around a little work.
func runFanout(c *cell) {
	producers, children, d := c.p["producers"], c.p["children"], c.p["density"]
	steps := modelUnits(fanoutChildUnits)
	var wg sync.WaitGroup
	wg.Add(producers * children)
	for p := 0; p < producers; p++ {
		own := c.own[p*children : (p+1)*children]
		go func() {
			for k := range own {
				slot, t := &own[k], now()
				go func() {
					*slot = now() - t
					c.call(d, steps)
					wg.Done()
				}()
			}
		}()
	}
	wg.Wait()
}

// PingPongHog (PingPongHogBench, Go's BenchmarkPingPongHog with defers): GOMAXPROCS hogs spin 20 ms
// each without a call (Go 1.14+ preempts them asynchronously); pairs of players hand a token back and
// forth over unbuffered channels (the receiver is readied into the sender's runnext and inherits its
// time slice), each calling a function with density defers before each hand-off.
func runPingPongHog(c *cell) {
	rounds, d := c.p["rounds"], c.p["density"]
	hogSteps := c.steps(pingPongHogNs)
	var wg sync.WaitGroup
	wg.Add(c.procs + 2*pingPongPairs)
	for h := 0; h < c.procs; h++ {
		go func() {
			spin(hogSteps)
			wg.Done()
		}()
	}
	for p := 0; p < pingPongPairs; p++ {
		ping, pong := make(chan int64), make(chan int64)
		a := c.own[(2*p)*rounds : (2*p+1)*rounds]
		b := c.own[(2*p+1)*rounds : (2*p+2)*rounds]
		go func() { // pong: waits first
			for r := range b {
				t := <-ping
				b[r] = now() - t
				c.call(d, 0)
				pong <- now()
			}
			wg.Done()
		}()
		go func() { // ping
			for r := range a {
				c.call(d, 0)
				ping <- now()
				t := <-pong // not now() - <-pong: the operands are evaluated left to right
				a[r] = now() - t
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

// StealLatency (StealLatencyBench): one parent at a time spawns a child (into its own runnext) and then
// makes `calls` calls with density defers around 5 us of work; the other Ps are idle, so the child
// starts early only when a spinning M steals it from runnext (after Go's usleep(3)).
func runStealLatency(c *cell) {
	parents, calls, d := c.p["parents"], c.p["calls"], c.p["density"]
	steps := c.steps(stealCallNs)
	done := make(chan struct{})
	var children sync.WaitGroup
	children.Add(parents)
	for i := 0; i < parents; i++ {
		slot := &c.own[i]
		go func() {
			t := now()
			go func() {
				*slot = now() - t
				children.Done()
			}()
			for k := 0; k < calls; k++ {
				c.call(d, steps)
			}
			done <- struct{}{}
		}()
		<-done
	}
	children.Wait()
}

// PreemptLatency (PreemptLatencyBench, C14/C18): GOMAXPROCS hogs never yield: each makes `calls` calls
// of a function with density defers around 20 us of spinning; the loop's back-edge is timestamped. Next
// to them `shorts` short Gs loop 20 times over a little work and Gosched. sysmon asks a hog that has
// run 10 ms to stop; Go 1.14+ preempts it asynchronously (SIGURG) wherever it is, or at its next call's
// prologue. The hogs' slices come from gaps between back-edge timestamps (preemptSlices).
func runPreemptLatency(c *cell) {
	calls, shorts, d := c.p["calls"], c.p["shorts"], c.p["density"]
	steps := c.steps(preemptCallNs)
	var wg sync.WaitGroup
	wg.Add(c.procs + shorts)
	for h := 0; h < c.procs; h++ {
		edges := c.edges[h]
		go func() {
			for k := 0; k < calls; k++ {
				edges[k] = now()
				c.call(d, steps)
			}
			edges[calls] = now()
			wg.Done()
		}()
	}
	for s := 0; s < shorts; s++ {
		own := c.own[s*preemptShortLoops : (s+1)*preemptShortLoops]
		go func() {
			shortLoop(own, shortUnits)
			wg.Done()
		}()
	}
	wg.Wait()
}

// preemptSlices turns each hog's back-edge timestamps into its time slices: a gap longer than twice
// the median call plus 20 us means the hog was descheduled there. A slice runs from a resumption to
// the next deschedule (taken as the gap's start plus one median call).
func preemptSlices(edges [][]int64) (slices []int64) {
	for _, e := range edges {
		if len(e) < 2 {
			continue
		}
		gaps := make([]int64, len(e)-1)
		for k := range gaps {
			gaps[k] = e[k+1] - e[k]
		}
		sorted := append([]int64(nil), gaps...)
		sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
		med := sorted[len(sorted)/2]
		start := e[0]
		for k, g := range gaps {
			if g > 2*med+20_000 {
				slices = append(slices, e[k]+med-start)
				start = e[k+1]
			}
		}
		slices = append(slices, e[len(e)-1]-start)
	}
	return slices
}

// DeferStarvation (DeferStarvationBench, C14): one G registers density defers in a loop and returns
// (running them all), next to `others` Gs that loop 20 times over a little work and Gosched.
func runDeferStarvation(c *cell) {
	n, others := c.p["density"], c.p["others"]
	var wg sync.WaitGroup
	wg.Add(others + 1)
	for o := 0; o < others; o++ {
		own := c.own[o*starvationLoops : (o+1)*starvationLoops]
		go func() {
			shortLoop(own, starvationOthUnits)
			wg.Done()
		}()
	}
	go func() {
		switch {
		case c.t.defers():
			deferN(n)
		case c.t == cpuControl:
			heavyControl(n, c.ctl)
		case c.t == allocControl:
			heavyAlloc(n)
		default:
			heavyNone(n)
		}
		wg.Done()
	}()
	wg.Wait()
}

//go:noinline
func heavyNone(n int) {
	for i := 0; i < n; i++ {
		counter++
	}
}

//go:noinline
func heavyControl(n int, ctl control) {
	for i := 0; i < n; i++ {
		spin(ctl.reg)
	}
	spin(ctl.ret * n)
}

//go:noinline
func heavyAlloc(n int) {
	var head *blob
	for i := 0; i < n; i++ {
		head = &blob{next: head}
	}
	runtime.KeepAlive(head)
}
