package main

// Go's own cost per defer (claims C12, C17) with testing.Benchmark: each kind of record the compiler
// makes, beside a plain call.

import (
	"fmt"
	"io"
	"testing"
)

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

// costCase is one of Go's defer kinds as a benchmark body: measureCosts times each with
// testing.Benchmark, and BenchmarkDefer (costs_test.go) runs the same bodies under go test -bench, so
// that benchstat can compare them over -count runs.
type costCase struct {
	name, kind, slug string
	defers           int
	f                func()
}

var costCases = []costCase{
	{"plain call", "none", "plain", 0, plain},
	{"1 defer", "open-coded", "open", 1, open1},
	{"8 defers", "open-coded", "open", 8, open8},
	{"9 defers", "stack (deferprocStack)", "stack", 9, stack9},
	{"8 defers in a loop", "heap (deferproc, per-P pool)", "heap", 8, func() { loop(8) }},
	{"100 defers in a loop", "heap (deferproc, per-P pool)", "heap", 100, func() { loop(100) }},
	{"chain of 10000", "heap (deferproc, per-P pool)", "heap", 10000, func() { loop(10000) }},
}

// run is the benchmark loop of one case.
func (c costCase) run(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		c.f()
	}
}

func measureCosts(progress io.Writer) []Cost {
	var cs []Cost
	for _, c := range costCases {
		r := testing.Benchmark(c.run)
		cs = append(cs, Cost{Name: c.name, Kind: c.kind, Defers: c.defers, NsPerOp: float64(r.T.Nanoseconds()) / float64(r.N),
			BytesPerOp: r.AllocedBytesPerOp(), AllocsOp: r.AllocsPerOp(), N: r.N})
	}
	base := cs[0].NsPerOp
	for i := range cs {
		if cs[i].Defers > 0 {
			cs[i].NsPerDefer = (cs[i].NsPerOp - base) / float64(cs[i].Defers)
		}
		fmt.Fprintf(progress, "realgo: %-22s %-30s %8.1f ns/op %7.2f ns/defer %5d B/op\n", cs[i].Name, cs[i].Kind, cs[i].NsPerOp,
			cs[i].NsPerDefer, cs[i].BytesPerOp)
	}
	return cs
}
