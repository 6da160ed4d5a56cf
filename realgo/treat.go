package main

// The treatments and the call sites they change. Every workload is written once (workloads.go); where
// its Go program has defer statements it calls one of the call sites below, and the treatment decides
// what that call is. Each variant is its own non-inlined function, so that the defers sit in the frame
// of the function that returns, exactly as the Go compiler sees them, and every treatment makes the
// same calls.

import (
	"fmt"
	"runtime"
	"strings"
)

// treatment is what a workload's defer sites do in one run.
type treatment string

const (
	none         treatment = "none"          // no defers: the same code without them
	withDefer    treatment = "defer"         // the defers, as Go's compiler compiles them
	cpuControl   treatment = "cpu_control"   // no defers: spins, per defer, the extra CPU `defer` took
	allocControl treatment = "alloc_control" // no defers: allocates a record-sized object per defer, live until return
	deferGCOff   treatment = "defer_gcoff"   // defer with the GC off for the run (debug.SetGCPercent(-1))
	deferPrimed  treatment = "defer_primed"  // defer_gcoff with the central defer pool filled before the run
)

var allTreatments = []treatment{none, withDefer, cpuControl, allocControl, deferGCOff, deferPrimed}

// defers reports whether the treatment runs real defers.
func (t treatment) defers() bool { return t == withDefer || t == deferGCOff || t == deferPrimed }

// gcOff reports whether the treatment turns the GC off for the run.
func (t treatment) gcOff() bool { return t == deferGCOff || t == deferPrimed }

func parseTreatments(s string) ([]treatment, error) {
	var ts []treatment
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		ok := false
		for _, t := range allTreatments {
			if string(t) == f {
				ts = append(ts, t)
				ok = true
			}
		}
		if !ok {
			return nil, fmt.Errorf("-treatments: unknown treatment %q (valid: %s)", f, joinTreatments(allTreatments))
		}
	}
	return ts, nil
}

func joinTreatments(ts []treatment) string {
	var s []string
	for _, t := range ts {
		s = append(s, string(t))
	}
	return strings.Join(s, ",")
}

// control is what cpu_control burns, in spin steps per defer: half where the defer statement stands,
// half when the function returns (where the deferred calls would run).
type control struct {
	reg, ret int
}

func newControl(stepsPerDefer int) control {
	return control{reg: stepsPerDefer / 2, ret: stepsPerDefer - stepsPerDefer/2}
}

// ---- straight-line call sites: a function with n defer statements around `steps` of work ----

// call is one call of a function with n straight-line defers (each executed once) around steps of
// work, as the treatment makes it. Go's compiler open-codes the defers of a function with at most 8
// (and no loop), and gives each a stack record (deferprocStack) when there are more; call picks the
// function Go would compile for n: siteOpen for n <= 8, siteStack for 9..16 (maxStraightDefers).
func (c *cell) call(n, steps int) {
	switch {
	case c.t.defers():
		if n <= 8 {
			siteOpen(n, steps)
		} else {
			siteStack(n, steps)
		}
	case c.t == cpuControl:
		controlCall(n, steps, c.ctl.reg, c.ctl.ret)
	case c.t == allocControl:
		allocCall(n, steps)
	default:
		plainCall(steps)
	}
}

// maxStraightDefers is the most straight-line defers a call site has (siteStack).
const maxStraightDefers = 16

//go:noinline
func plainCall(steps int) { spin(steps) }

//go:noinline
func controlCall(n, steps, reg, ret int) {
	spin(reg * n)
	spin(steps)
	spin(ret * n)
}

// allocCall allocates one record-sized object per defer, linked so that all stay live until return.
//
//go:noinline
func allocCall(n, steps int) {
	var head *blob
	for i := 0; i < n; i++ {
		head = &blob{next: head}
	}
	spin(steps)
	runtime.KeepAlive(head)
}

// siteOpen: at most 8 defers, no loop, one return: Go open-codes them (deferBits, inline calls at exit).
//
//go:noinline
func siteOpen(n, steps int) {
	if n > 0 {
		defer func() {}()
	}
	if n > 1 {
		defer func() {}()
	}
	if n > 2 {
		defer func() {}()
	}
	if n > 3 {
		defer func() {}()
	}
	if n > 4 {
		defer func() {}()
	}
	if n > 5 {
		defer func() {}()
	}
	if n > 6 {
		defer func() {}()
	}
	if n > 7 {
		defer func() {}()
	}
	spin(steps)
}

// siteStack: more than 8 defer statements, so none is open-coded; each runs at most once, so each gets a
// _defer record in the frame (deferprocStack), run by deferreturn.
//
//go:noinline
func siteStack(n, steps int) {
	if n > 0 {
		defer func() {}()
	}
	if n > 1 {
		defer func() {}()
	}
	if n > 2 {
		defer func() {}()
	}
	if n > 3 {
		defer func() {}()
	}
	if n > 4 {
		defer func() {}()
	}
	if n > 5 {
		defer func() {}()
	}
	if n > 6 {
		defer func() {}()
	}
	if n > 7 {
		defer func() {}()
	}
	if n > 8 {
		defer func() {}()
	}
	if n > 9 {
		defer func() {}()
	}
	if n > 10 {
		defer func() {}()
	}
	if n > 11 {
		defer func() {}()
	}
	if n > 12 {
		defer func() {}()
	}
	if n > 13 {
		defer func() {}()
	}
	if n > 14 {
		defer func() {}()
	}
	if n > 15 {
		defer func() {}()
	}
	spin(steps)
}

// blob is about one _defer record: Go 1.19's _defer is 72 bytes (size class 80) with pointers.
type blob struct {
	next *blob
	_    [8]uintptr
}

// ---- heap-record sites: defers in a loop (deferproc -> newdefer: per-P pool, central pool, mallocgc) ----

// prime fills the defer pools with n records and returns: a function defers n times in a loop
// (newdefer allocates each record, the pools being empty after the GC that precedes the run) and
// returns; freedefer puts each record in the P's pool and spills half of a full pool (32) to the
// central pool (sched.deferpool). With the GC off nothing drops them, so the run's newdefer finds
// them there (refilling 16 at a time under sched.deferlock) instead of calling mallocgc.
func prime(n int) {
	done := make(chan struct{})
	go func() {
		deferN(n)
		close(done)
	}()
	<-done
}

//go:noinline
func deferN(n int) {
	for i := 0; i < n; i++ {
		defer func() {}()
	}
}

var counter uint64

// ---- spin: CPU work the compiler cannot remove ----

var sink uint64

// spin burns `steps` dependent xorshift steps. The model's Spin.work unit is 4 such steps
// (Spin.STEPS_PER_UNIT), so units of the model are 4*units steps here.
//
//go:noinline
func spin(steps int) {
	x := sink | 1
	for i := 0; i < steps; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	sink = x
}

// modelUnits is the model's Spin.work(units) in steps.
func modelUnits(units int) int { return 4 * units }
