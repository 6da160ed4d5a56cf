package main

// The cause of every wait: a traced run writes a runtime/trace of the whole run, and the tracewait
// command (realgo/tracewait, built with Go 1.26 and golang.org/x/exp/trace, which also reads older
// traces) splits each goroutine's runnable -> running wait by what the Ps were doing meanwhile:
// running other goroutines, GC mark workers, stopped for the world, idle, in system calls, other
// (docs/realgo.md). Traced runs are extra runs, made after a cell's measured runs, so that the
// tracer's own cost never enters the measured figures.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime/trace"
)

// WaitByCause is tracewait's result for one traced run: µs of wait by cause, for all waits and for the
// waits above the run's P95 (Tail), with the number of waits and their summed length.
type WaitByCause struct {
	Causes     []string           `json:"causes"`
	GOMAXPROCS int                `json:"gomaxprocs"`
	Waits      int                `json:"waits"`
	WaitUs     float64            `json:"waitUs"`
	P95Us      float64            `json:"p95Us"`
	TailWaits  int                `json:"tailWaits"`
	TailUs     float64            `json:"tailUs"`
	All        map[string]float64 `json:"all"`
	Tail       map[string]float64 `json:"tail"`
	Skipped    int                `json:"skipped"`
	TraceBytes int64              `json:"traceBytes"`
}

// startTrace starts the runtime tracer into a temporary file; stop ends it and returns the file's path.
func startTrace() (stop func() (string, error), err error) {
	f, err := os.CreateTemp("", "realgo-*.trace")
	if err != nil {
		return nil, err
	}
	if err := trace.Start(f); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return func() (string, error) {
		trace.Stop()
		return f.Name(), f.Close()
	}, nil
}

// analyzeTrace runs the tracewait command on a trace file (and removes the file).
func analyzeTrace(analyzer, path string) (*WaitByCause, error) {
	defer os.Remove(path)
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	var out, errb bytes.Buffer
	cmd := exec.Command(analyzer, path)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s %s: %v: %s", analyzer, path, err, bytes.TrimSpace(errb.Bytes()))
	}
	var w WaitByCause
	if err := json.Unmarshal(out.Bytes(), &w); err != nil {
		return nil, fmt.Errorf("%s: %v", analyzer, err)
	}
	w.TraceBytes = st.Size()
	return &w, nil
}
