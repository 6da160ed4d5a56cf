package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The memory probe's permutation is one cycle through every slot (Sattolo), so the chase visits the
// whole buffer; the fingerprint's figures are there and positive.
func TestFingerprintCycleIsOneCycle(t *testing.T) {
	for _, n := range []int{2, 3, 1000, 4096} {
		next := fingerprintCycle(n)
		seen := make([]bool, n)
		p, steps := uint32(0), 0
		for !seen[p] {
			seen[p] = true
			p = next[p]
			steps++
		}
		if steps != n || p != 0 {
			t.Errorf("n=%d: the cycle from 0 has %d slots and ends at %d", n, steps, p)
		}
	}
	var out bytes.Buffer
	printFingerprint(&out, "now", "x")
	var f Fingerprint
	if err := json.Unmarshal(out.Bytes(), &f); err != nil {
		t.Fatal(err)
	}
	if f.Side != "go" || f.Block != "x" || f.MemNsPerLoad <= 0 || f.XorshiftNsPerOp <= 0 || f.MemBufferMiB < 64 {
		t.Errorf("fingerprint %+v", f)
	}
}

// merge joins the documents of one session in order and refuses documents of another session.
func TestMergeDocs(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, d Doc) string {
		b, _ := json.Marshal(d)
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o644)
		return p
	}
	a := write("a.json", Doc{GoVersion: "go1.26.8", Session: "s1", Runs: []Run{{Workload: "Fanout"}},
		Fingerprints: []Fingerprint{{When: "start", Block: "Fanout"}, {When: "end", Block: "Fanout"}}})
	b := write("b.json", Doc{GoVersion: "go1.26.8", Session: "s1", Runs: []Run{{Workload: "StealLatency"}},
		Traced: []Run{{Workload: "StealLatency"}}, Fingerprints: []Fingerprint{{When: "start", Block: "StealLatency"}}})
	c := write("c.json", Doc{GoVersion: "go1.26.8", Session: "s2"})
	out := filepath.Join(dir, "all.json")
	var stderr bytes.Buffer
	if rc := run([]string{"-merge", a + "," + b, "-out", out}, io.Discard, &stderr, io.Discard); rc != 0 {
		t.Fatalf("merge: %d %s", rc, stderr.String())
	}
	raw, _ := os.ReadFile(out)
	var d Doc
	json.Unmarshal(raw, &d)
	if len(d.Runs) != 2 || d.Runs[1].Workload != "StealLatency" || len(d.Traced) != 1 || len(d.Fingerprints) != 3 || d.Session != "s1" {
		t.Errorf("merged: %+v", d)
	}
	stderr.Reset()
	if rc := run([]string{"-merge", a + "," + c, "-out", out}, io.Discard, &stderr, io.Discard); rc != 1 ||
		!strings.Contains(stderr.String(), "session") {
		t.Errorf("merging two sessions: exit %d, %q", rc, stderr.String())
	}
	// the footprints experiment's documents merge among themselves, never with a stand-alone run
	e1 := write("e1.json", Doc{GoVersion: "go1.26.8", Experiment: "footprints", Runs: []Run{{Workload: "ArticleGosched"}}})
	e2 := write("e2.json", Doc{GoVersion: "go1.26.8", Experiment: "footprints", Runs: []Run{{Workload: "ArticleGosched"}}})
	plain := write("plain.json", Doc{GoVersion: "go1.26.8"})
	stderr.Reset()
	if rc := run([]string{"-merge", e1 + "," + e2, "-out", out}, io.Discard, &stderr, io.Discard); rc != 0 {
		t.Fatalf("merge of one experiment: %d %s", rc, stderr.String())
	}
	raw, _ = os.ReadFile(out)
	d = Doc{}
	json.Unmarshal(raw, &d)
	if d.Experiment != "footprints" || len(d.Runs) != 2 {
		t.Errorf("merged experiment: %+v", d)
	}
	stderr.Reset()
	if rc := run([]string{"-merge", e1 + "," + plain, "-out", out}, io.Discard, &stderr, io.Discard); rc != 1 ||
		!strings.Contains(stderr.String(), "experiment") {
		t.Errorf("merging an experiment with a stand-alone run: exit %d, %q", rc, stderr.String())
	}
}

// With the trace analyzer (realgo/tracewait, which needs Go 1.26 to build), every treatment of every
// cell gets its traced runs, apart from the measured ones, each with its waits split by cause: the
// causes add up to the summed wait, the tail's to the tail's.
func TestTracedRunsCarryWaitByCause(t *testing.T) {
	gobin := goTool("")
	if gobin == "" {
		t.Skip("no go command to build realgo/tracewait")
	}
	bin := filepath.Join(t.TempDir(), "tracewait")
	cmd := exec.Command(gobin, "build", "-o", bin, ".")
	cmd.Dir = "tracewait"
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("realgo/tracewait does not build with %s (it needs Go 1.26): %s", gobin, firstLineOf(out))
	}
	d, _ := runTiny(t, "-trace-analyzer", bin, "-traced", "1")
	if len(d.Traced) == 0 || 2*len(d.Traced) != len(d.Runs) { // -runs 2, -traced 1
		t.Fatalf("%d traced runs beside %d measured (2 per cell and treatment)", len(d.Traced), len(d.Runs))
	}
	for _, r := range d.Traced {
		w := r.WaitByCause
		if w == nil || w.Waits == 0 || len(w.Causes) != 6 || w.GOMAXPROCS != r.Procs {
			t.Fatalf("%s %s @%d: waitByCause %+v", r.Workload, r.Treatment, r.Procs, w)
		}
		sum, tail := 0.0, 0.0
		for _, c := range w.Causes {
			sum += w.All[c]
			tail += w.Tail[c]
		}
		if !near(sum, w.WaitUs) || !near(tail, w.TailUs) {
			t.Errorf("%s %s @%d: causes sum to %.3f of %.3f us, tail %.3f of %.3f", r.Workload, r.Treatment, r.Procs,
				sum, w.WaitUs, tail, w.TailUs)
		}
	}
	for _, r := range d.Runs {
		if r.WaitByCause != nil {
			t.Fatalf("a measured run carries waitByCause: %+v", r)
		}
	}
}

func near(a, b float64) bool { return a-b <= 1e-6*(1+b) && b-a <= 1e-6*(1+b) }

func firstLineOf(b []byte) string { return strings.SplitN(strings.TrimSpace(string(b)), "\n", 2)[0] }

// The cycle is the JVM probe's (dev.gmpdefer.bench.FingerprintTest asserts the same slots), so both
// sides chase the same addresses.
func TestFingerprintCycleMatchesJava(t *testing.T) {
	want := []uint32{6, 9, 1, 8, 3, 4, 2, 0, 7, 5}
	if got := fingerprintCycle(10); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("fingerprintCycle(10) = %v, want %v", got, want)
	}
}
