package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runTiny runs the command with tiny parameters and decodes its JSON document.
func runTiny(t *testing.T, extra ...string) Doc {
	t.Helper()
	out := filepath.Join(t.TempDir(), "realgo.json")
	args := append([]string{"-goroutines", "20", "-loops", "3", "-density", "2", "-procs", "1,2", "-runs", "2",
		"-costs=false", "-out", out}, extra...)
	var stdout, stderr bytes.Buffer
	if rc := run(args, &stdout, &stderr); rc != 0 {
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
	return d
}

// Every treatment runs at every GOMAXPROCS value, the requested number of times, and the document
// describes the run.
func TestEveryTreatmentRunsAndTheJSONDecodes(t *testing.T) {
	d := runTiny(t)
	if d.Schema != 1 || d.GoVersion == "" || d.NumCPU < 1 || d.Goroutines != 20 || d.Loops != 3 || d.Density != 2 {
		t.Fatalf("document header: %+v", d)
	}
	count := map[string]int{}
	for _, r := range d.Runs {
		count[fmt.Sprintf("%s@%d", r.Treatment, r.Procs)]++
	}
	for _, tr := range []string{"none", "defer", "cpu_control"} {
		for _, p := range []int{1, 2} {
			if k := fmt.Sprintf("%s@%d", tr, p); count[k] != 2 {
				t.Errorf("%s at GOMAXPROCS=%d: %d runs, want 2 (all: %v)", tr, p, count[k], count)
			}
		}
	}
	if len(d.ControlNs) != 2 {
		t.Errorf("one cpu_control calibration per procs value, got %v", d.ControlNs)
	}
}

// Percentiles are ordered and non-negative in every run (bucket upper bounds of the runtime's histogram).
func TestPercentilesAreOrdered(t *testing.T) {
	for _, r := range runTiny(t).Runs {
		if r.P50Us < 0 || r.P50Us > r.P95Us || r.P95Us > r.P99Us {
			t.Errorf("%s procs=%d: p50 %.3f, p95 %.3f, p99 %.3f not ordered", r.Treatment, r.Procs, r.P50Us, r.P95Us,
				r.P99Us)
		}
		if r.WallMs <= 0 || r.CPUMs < 0 {
			t.Errorf("%s procs=%d: wall %.3f ms, cpu %.3f ms", r.Treatment, r.Procs, r.WallMs, r.CPUMs)
		}
	}
}

// A bad flag or value is one line on stderr and exit status 2; -h is the flag list and exit 0.
func TestBadInputIsOneLineAndExit2(t *testing.T) {
	for _, args := range [][]string{{"-runs", "0"}, {"-procs", "two"}, {"-procs", "0"}, {"-nosuch"},
		{"-goroutines", "x"}, {"stray"}} {
		var stdout, stderr bytes.Buffer
		rc := run(args, &stdout, &stderr)
		msg := strings.TrimRight(stderr.String(), "\n")
		if rc != 2 || msg == "" || strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "realgo: ") {
			t.Errorf("%v: exit %d, stderr %q: want exit 2 and one line", args, rc, stderr.String())
		}
		if stdout.Len() != 0 {
			t.Errorf("%v: wrote to stdout: %q", args, stdout.String())
		}
	}
	var stdout, stderr bytes.Buffer
	if rc := run([]string{"-h"}, &stdout, &stderr); rc != 0 || !strings.Contains(stdout.String(), "-goroutines") {
		t.Errorf("-h: exit %d, stdout %q", rc, stdout.String())
	}
}
