package main

// The host fingerprint (issue 20): how fast this host runs memory-bound and arithmetic code right now,
// measured the same way in Go (here) and in the JVM (dev.gmpdefer.bench.Fingerprint), so that runs of
// the model and of real Go are compared only where the host ran at the same speed. The memory probe
// chases pointers through one random cycle (Sattolo's shuffle) over a buffer of fingerprintMemMiB,
// larger than the last-level cache, so that every load misses the caches and waits for the one before
// it; the arithmetic probe times xorshift64 steps, which stay in registers. Both generate the same
// cycle from the same seed as the Java probe (splitmix64, then xorshift64).

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strings"
	"time"
)

const (
	fingerprintMemMiB = 128
	fingerprintLoads  = 1 << 21 // per timed pass
	fingerprintSteps  = 1 << 25 // xorshift steps per timed pass
	fingerprintPasses = 3       // the median pass is the figure
)

// Fingerprint is one measurement of the host fingerprint.
type Fingerprint struct {
	Side            string  `json:"side"` // "go" (this probe) or "jvm"
	When            string  `json:"when"` // "start" or "end" of the run or block
	Block           string  `json:"block,omitempty"`
	Date            string  `json:"date"`
	MemNsPerLoad    float64 `json:"memNsPerLoad"`
	MemBufferMiB    int     `json:"memBufferMiB"`
	XorshiftNsPerOp float64 `json:"xorshiftNsPerStep"`
	Kernel          string  `json:"kernel,omitempty"`
	CPUModel        string  `json:"cpuModel,omitempty"`
}

// splitmix64 seeds the probe's generator (the same sequence as the Java probe's).
func splitmix64(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9
	x = (x ^ (x >> 27)) * 0x94D049BB133111EB
	return x ^ (x >> 31)
}

func xorshift64(x uint64) uint64 {
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	return x
}

// fingerprintCycle is one random cycle through n slots: next[i] is the slot after i (Sattolo).
func fingerprintCycle(n int) []uint32 {
	next := make([]uint32, n)
	for i := range next {
		next[i] = uint32(i)
	}
	r := splitmix64(20261206)
	for i := n - 1; i > 0; i-- {
		r = xorshift64(r)
		j := int(r % uint64(i)) // j < i: one cycle
		next[i], next[j] = next[j], next[i]
	}
	return next
}

var fingerprintSink uint64

func measureFingerprint(when, block string) Fingerprint {
	next := fingerprintCycle(fingerprintMemMiB << 20 / 4)
	mem := make([]float64, 0, fingerprintPasses)
	p := uint32(0)
	for k := 0; k <= fingerprintPasses; k++ { // pass 0 warms the TLB and page tables
		t0 := time.Now()
		for i := 0; i < fingerprintLoads; i++ {
			p = next[p]
		}
		if k > 0 {
			mem = append(mem, float64(time.Since(t0).Nanoseconds())/fingerprintLoads)
		}
	}
	ari := make([]float64, 0, fingerprintPasses)
	x := uint64(p) | 1
	for k := 0; k <= fingerprintPasses; k++ {
		t0 := time.Now()
		for i := 0; i < fingerprintSteps; i++ {
			x = xorshift64(x)
		}
		if k > 0 {
			ari = append(ari, float64(time.Since(t0).Nanoseconds())/fingerprintSteps)
		}
	}
	fingerprintSink += x
	runtime.KeepAlive(next)
	return Fingerprint{Side: "go", When: when, Block: block, Date: time.Now().UTC().Format(time.RFC3339),
		MemNsPerLoad: medianOf(mem), MemBufferMiB: fingerprintMemMiB, XorshiftNsPerOp: medianOf(ari),
		Kernel: firstLine("/proc/sys/kernel/osrelease"), CPUModel: cpuModel()}
}

func medianOf(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}

func firstLine(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0])
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "model name") {
			if i := strings.IndexByte(l, ':'); i >= 0 {
				return strings.TrimSpace(l[i+1:])
			}
		}
	}
	return ""
}

// printFingerprint is realgo -fingerprint: one fingerprint as a JSON line.
func printFingerprint(w io.Writer, when, block string) int {
	b, _ := json.Marshal(measureFingerprint(when, block))
	fmt.Fprintln(w, string(b))
	return 0
}
