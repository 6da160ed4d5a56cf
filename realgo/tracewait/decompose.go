package main

// The decomposition of goroutine waits by what the Ps were doing meanwhile.
//
// A wait is one goroutine's runnable -> running interval (what the runtime's /sched/latencies times:
// created, unblocked, preempted or yielded, until it starts running). While it waits, each of the
// GOMAXPROCS Ps is in one state; the wait's length is split among the states in proportion to the
// P-time spent in each, so the causes of one wait always add up to its length. A P counts as:
//
//	running    running another (user) goroutine, mark assists included (they run on the goroutine's P)
//	gc_worker  running a background GC mark worker (a goroutine labelled "GC (dedicated|fractional|idle)")
//	stw        stopped for the world: every P, from a stop-the-world range's begin to its end
//	idle       idle (no M holds it): a runnable goroutine waiting beside an idle P is a wake-up delay
//	syscall    held by a goroutine that is in a system call
//	other      running, but no goroutine on it: the scheduler itself (findRunnable, spinning, stealing)
//
// The same states and names are the model's (docs/realgo.md, wait.cause.<cause>.us). The rules follow
// Go's MutatorUtilizationV2 (internal/trace/gc.go) for what counts as STW and as a mark worker.

import (
	"errors"
	"io"
	"math"
	"sort"
	"strings"

	"golang.org/x/exp/trace"
)

// Causes, in the order the JSON lists them.
var Causes = []string{"running", "gc_worker", "stw", "idle", "syscall", "other"}

const (
	cRunning = iota
	cGCWorker
	cSTW
	cIdle
	cSyscall
	cOther
	nCauses
)

// Result is the decomposition of one trace.
type Result struct {
	Causes     []string           `json:"causes"`
	GOMAXPROCS int                `json:"gomaxprocs"`
	Waits      int                `json:"waits"`     // runnable -> running transitions with a known start
	WaitUs     float64            `json:"waitUs"`    // their summed length
	P95Us      float64            `json:"p95Us"`     // the 95th percentile of their lengths
	TailWaits  int                `json:"tailWaits"` // waits longer than p95Us
	TailUs     float64            `json:"tailUs"`    // their summed length
	All        map[string]float64 `json:"all"`       // µs of wait by cause, all waits (sums to waitUs)
	Tail       map[string]float64 `json:"tail"`      // the same for the waits above p95Us (sums to tailUs)
	Skipped    int                `json:"skipped"`   // waits whose start the trace did not see, or of mark workers
	GoVersion  string             `json:"goVersion,omitempty"`
}

// wait is one finished wait: its goroutine, its length and its P-time by cause (ns, summed over Ps).
type wait struct {
	g     trace.GoID
	ns    int64
	cause [nCauses]int64
}

type pstate struct {
	running bool       // ProcRunning
	g       trace.GoID // the goroutine executing on it, or NoGoroutine
}

type gstate struct {
	state  trace.GoState
	p      trace.ProcID
	start  int64 // when it became runnable (-1: unknown)
	snap   [nCauses]int64
	worker bool
}

// decomposer keeps the running state of the sweep.
type decomposer struct {
	procs []pstate
	gs    map[trace.GoID]*gstate
	stw   int
	cum   [nCauses]int64 // P-ns by cause since the trace's start
	last  int64          // time of the previous event
	began bool
	maxp  int // the largest GOMAXPROCS seen
	waits []wait
	skip  int
}

func newDecomposer() *decomposer {
	return &decomposer{gs: map[trace.GoID]*gstate{}}
}

func (d *decomposer) g(id trace.GoID) *gstate {
	s := d.gs[id]
	if s == nil {
		s = &gstate{p: trace.NoProc, start: -1}
		d.gs[id] = s
	}
	return s
}

// causeOf is what P i is doing now.
func (d *decomposer) causeOf(i int) int {
	if d.stw > 0 {
		return cSTW
	}
	p := d.procs[i]
	if !p.running {
		return cIdle
	}
	if p.g == trace.NoGoroutine {
		return cOther
	}
	g := d.gs[p.g]
	switch {
	case g == nil:
		return cRunning
	case g.state == trace.GoSyscall:
		return cSyscall
	case g.worker:
		return cGCWorker
	}
	return cRunning
}

// advance integrates the P states from the previous event to t.
func (d *decomposer) advance(t int64) {
	if !d.began {
		d.began, d.last = true, t
		return
	}
	dt := t - d.last
	if dt <= 0 {
		return
	}
	for i := range d.procs {
		d.cum[d.causeOf(i)] += dt
	}
	d.last = t
}

func (d *decomposer) setProcs(n int) {
	for len(d.procs) < n {
		d.procs = append(d.procs, pstate{g: trace.NoGoroutine})
	}
	d.procs = d.procs[:n]
	if n > d.maxp {
		d.maxp = n
	}
}

func (d *decomposer) proc(p trace.ProcID) *pstate {
	if p < 0 {
		return nil
	}
	if int(p) >= len(d.procs) { // a P before the first gomaxprocs metric
		d.setProcs(int(p) + 1)
	}
	return &d.procs[p]
}

// event applies one trace event.
func (d *decomposer) event(ev *trace.Event) {
	t := int64(ev.Time())
	d.advance(t)
	switch ev.Kind() {
	case trace.EventMetric:
		if m := ev.Metric(); m.Name == "/sched/gomaxprocs:threads" {
			d.setProcs(int(m.Value.Uint64()))
		}
	case trace.EventLabel:
		l := ev.Label()
		if strings.HasPrefix(l.Label, "GC (") {
			id := ev.Goroutine()
			if l.Resource.Kind == trace.ResourceGoroutine {
				id = l.Resource.Goroutine()
			}
			if id != trace.NoGoroutine {
				d.g(id).worker = true
			}
		}
	case trace.EventRangeBegin, trace.EventRangeActive:
		if strings.HasPrefix(ev.Range().Name, "stop-the-world") {
			d.stw++
		}
	case trace.EventRangeEnd:
		if strings.HasPrefix(ev.Range().Name, "stop-the-world") && d.stw > 0 {
			d.stw--
		}
	case trace.EventStateTransition:
		st := ev.StateTransition()
		switch st.Resource.Kind {
		case trace.ResourceProc:
			_, to := st.Proc()
			if p := d.proc(st.Resource.Proc()); p != nil {
				p.running = to == trace.ProcRunning
				if !p.running {
					p.g = trace.NoGoroutine
				}
			}
		case trace.ResourceGoroutine:
			from, to := st.Goroutine()
			id := st.Resource.Goroutine()
			g := d.g(id)
			if from.Executing() && !to.Executing() { // leaves its P
				if p := d.proc(g.p); p != nil && p.g == id {
					p.g = trace.NoGoroutine
				}
				g.p = trace.NoProc
			}
			if to.Executing() {
				if p := d.proc(ev.Proc()); p != nil {
					p.g, g.p = id, ev.Proc()
					p.running = true
				}
			}
			if to == trace.GoRunnable && from != trace.GoRunnable {
				g.start = -1
				if from != trace.GoUndetermined { // a wait the trace saw begin
					g.start, g.snap = t, d.cum
				}
			}
			if from == trace.GoRunnable && to == trace.GoRunning {
				if g.start < 0 {
					d.skip++
				} else {
					w := wait{g: id, ns: t - g.start}
					for c := range w.cause {
						w.cause[c] = d.cum[c] - g.snap[c]
					}
					d.waits = append(d.waits, w)
				}
				g.start = -1
			}
			g.state = to
		}
	}
}

// result sums the waits of goroutines that are not mark workers; the tail is the waits above the
// 95th percentile of their lengths.
func (d *decomposer) result() Result {
	var ws []wait
	for _, w := range d.waits {
		if g := d.gs[w.g]; g != nil && g.worker {
			d.skip++
			continue
		}
		ws = append(ws, w)
	}
	r := Result{Causes: Causes, GOMAXPROCS: d.maxp, Waits: len(ws), Skipped: d.skip,
		All: map[string]float64{}, Tail: map[string]float64{}}
	for _, c := range Causes {
		r.All[c], r.Tail[c] = 0, 0
	}
	if len(ws) == 0 {
		return r
	}
	lens := make([]int64, len(ws))
	for i, w := range ws {
		lens[i] = w.ns
	}
	sort.Slice(lens, func(i, j int) bool { return lens[i] < lens[j] })
	p95 := lens[int(math.Ceil(0.95*float64(len(lens))))-1]
	r.P95Us = float64(p95) / 1e3
	add := func(m map[string]float64, w wait) {
		var total int64
		for _, v := range w.cause {
			total += v
		}
		if total <= 0 { // a zero-length wait, or before any P was known: all "other"
			m[Causes[cOther]] += float64(w.ns) / 1e3
			return
		}
		for c, v := range w.cause { // P-time shares of the wait's length
			m[Causes[c]] += float64(w.ns) / 1e3 * float64(v) / float64(total)
		}
	}
	for _, w := range ws {
		r.WaitUs += float64(w.ns) / 1e3
		add(r.All, w)
		if w.ns > p95 {
			r.TailWaits++
			r.TailUs += float64(w.ns) / 1e3
			add(r.Tail, w)
		}
	}
	return r
}

// Decompose reads a whole runtime/trace stream and decomposes its waits.
func Decompose(r io.Reader) (Result, error) {
	tr, err := trace.NewReader(r)
	if err != nil {
		return Result{}, err
	}
	d := newDecomposer()
	for {
		ev, err := tr.ReadEvent()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Result{}, err
		}
		d.event(&ev)
	}
	return d.result(), nil
}
