package main

import (
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
)

// BenchmarkHeapCost measures, in Go's benchmark format, the allocator and GC costs the model charges for
// heap _defer records (issue 19, item 5; docs/gc.md lists which model constant each one calibrates):
//
//   - op=malloc/mem=fresh: new(record) of a 48-byte pointerful object (the size of Go 1.22-1.26's _defer,
//     runtime2.go) into memory just returned to the OS (debug.FreeOSMemory before each round, GC off):
//     mallocgc's per-object path plus each object's share of a fresh span (page faults; no zeroing);
//   - op=malloc/mem=swept: the same into memory the GC has just freed (runtime.GC before each round, then GC
//     off): the per-object path plus each object's share of sweeping and zeroing a reused span;
//   - op=store/gc=mark: a pointer store (of one of 1,024 cache-resident objects) into a heap object while a collection is marking (another goroutine
//     runs runtime.GC over a 64 MiB pointer graph without a pause), so most stores take the write barrier;
//   - op=store/gc=idle: the same stores with no collection running (the other goroutine spins instead).
//
// mark - idle is a lower bound on the write barrier's cost per store: part of the loop runs between cycles.
// Run by scripts/realgo.sh --footprints (go test -bench BenchmarkHeapCost -count 5).
func BenchmarkHeapCost(b *testing.B) {
	b.Run("op=malloc/mem=fresh", func(b *testing.B) { benchMalloc(b, true) })
	b.Run("op=malloc/mem=swept", func(b *testing.B) { benchMalloc(b, false) })
	b.Run("op=store/gc=mark", func(b *testing.B) { benchStore(b, true) })
	b.Run("op=store/gc=idle", func(b *testing.B) { benchStore(b, false) })
}

// record has _defer's layout in Go 1.22-1.26: two bools, sp, pc, fn, link, head (48 bytes, pointerful).
type record struct {
	heap, rangefunc bool
	sp, pc          uintptr
	fn              func()
	link            *record
	head            *atomic.Value
}

// mallocRound is the objects allocated between two resets of the memory (48 MiB of records).
const mallocRound = 1 << 20

var keep []*record

func benchMalloc(b *testing.B, fresh bool) {
	old := debug.SetGCPercent(-1)
	defer debug.SetGCPercent(old)
	keep = make([]*record, mallocRound)
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; {
		b.StopTimer()
		for i := range keep {
			keep[i] = nil
		}
		if fresh {
			debug.FreeOSMemory() // the freed spans go back to the OS: the next round faults fresh pages
		} else {
			fill(keep) // memory full of records ...
			for i := range keep {
				keep[i] = nil
			}
			runtime.GC() // ... that this collection frees, unswept: the next round sweeps and reuses them
		}
		n := b.N - done
		if n > mallocRound {
			n = mallocRound
		}
		b.StartTimer()
		fill(keep[:n])
		done += n
	}
	b.StopTimer()
	keep = nil
}

//go:noinline
func fill(dst []*record) {
	for i := range dst {
		dst[i] = new(record)
	}
}

// node is one object of the pointer graph that keeps a collection marking.
type node struct {
	next  *node
	other *node
	pad   [6]uintptr
}

var graph []*node

func benchStore(b *testing.B, mark bool) {
	const nodes = 1 << 20 // 64 MiB of pointerful objects
	graph = make([]*node, nodes)
	for i := range graph {
		graph[i] = &node{}
		if i > 0 {
			graph[i-1].next = graph[i]
			graph[i].other = graph[i/2]
		}
	}
	dst := make([]*node, 1024)
	var stop int32
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		spin := 0
		for atomic.LoadInt32(&stop) == 0 {
			if mark {
				runtime.GC()
			} else {
				spin++
				if spin&1023 == 0 {
					runtime.Gosched()
				}
			}
		}
	}()
	b.ResetTimer()
	storeLoop(dst, graph, b.N)
	b.StopTimer()
	atomic.StoreInt32(&stop, 1)
	wg.Wait()
	graph = nil
}

// storeLoop stores pointers to a small, cache-resident set of objects, as deferproc stores the new record
// (allocated black during mark) and the previous chain head: the barrier's buffer and its flushes, not
// cache misses on the shaded objects.
//
//go:noinline
func storeLoop(dst, src []*node, n int) {
	for i := 0; i < n; i++ {
		dst[i&1023] = src[(i*7919)&1023] // a heap pointer store: the write barrier runs while marking
	}
}
