package main

// GC figures from the runtime's own trace (GODEBUG=gctrace=1). The runtime prints one line per cycle on
// fd 2, so the command runs itself as a child with gctrace on (supervise): the parent reads the child's
// stderr, keeps the gctrace lines by cycle number and passes every other line through (a panic stays
// visible); the child writes its progress on fd 3, which the parent forwards too. When the child is
// done, the parent adds each run's cycles (by the run's gcFirst..gcLast, from MemStats.NumGC) to its
// JSON document: GC CPU and its parts, the live heap after each cycle, and the calibration figures the
// GC model uses (mark CPU per MB of live heap, pause durations).

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// childEnv marks the child process (run with gctrace on).
const childEnv = "REALGO_CHILD"

// gcCycle is one gctrace line (runtime/mgc.go: gcMarkTermination's print; the format of Go 1.19-1.26):
//
//	gc 5 @0.095s 17%: 0.076+2.2+0.006 ms clock, 0.15+0.062/0.66/0+0.013 ms cpu, 3->3->2 MB, 4 MB goal, ...
//
// clock: sweep termination (STW), concurrent mark, mark termination (STW); cpu: the same with mark
// split into assist / background / idle workers; heap at the start, at the end, marked live; the goal.
type gcCycle struct {
	N                                      int
	STW1ClockMs, MarkClockMs, STW2ClockMs  float64
	STW1CPUMs, AssistMs, BgMs, IdleMs      float64
	STW2CPUMs                              float64
	StartMB, EndMB, LiveMB, GoalMB, PCount float64
	Forced                                 bool
}

var gctraceRE = regexp.MustCompile(`^gc (\d+) @[\d.]+s \d+%: ([\d.]+)\+([\d.]+)\+([\d.]+) ms clock, ` +
	`([\d.]+)\+([\d.]+)/([\d.]+)/([\d.]+)\+([\d.]+) ms cpu, (\d+)->(\d+)->(\d+) MB, (\d+) MB goal.*?(\d+) P`)

// parseGCTrace parses one gctrace line; false for any other line.
func parseGCTrace(line string) (gcCycle, bool) {
	m := gctraceRE.FindStringSubmatch(line)
	if m == nil {
		return gcCycle{}, false
	}
	f := make([]float64, len(m))
	for i := 1; i < len(m); i++ {
		v, err := strconv.ParseFloat(m[i], 64)
		if err != nil {
			return gcCycle{}, false
		}
		f[i] = v
	}
	return gcCycle{N: int(f[1]), STW1ClockMs: f[2], MarkClockMs: f[3], STW2ClockMs: f[4], STW1CPUMs: f[5],
		AssistMs: f[6], BgMs: f[7], IdleMs: f[8], STW2CPUMs: f[9], StartMB: f[10], EndMB: f[11], LiveMB: f[12],
		GoalMB: f[13], PCount: f[14], Forced: strings.Contains(line, "(forced)")}, true
}

// supervise runs the command as a child with gctrace on and merges the cycles into its document.
func supervise(args []string, stdout, stderr io.Writer) int {
	cfg, rc := parseConfig(args, stdout, stderr)
	if cfg == nil || cfg.check {
		return rc
	}
	if !cfg.gctrace {
		return run(args, stdout, stderr, stderr)
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(stderr, "realgo: cannot find this executable to run it with gctrace:", err)
		return 1
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), childEnv+"=1", "GODEBUG="+withGCTrace(os.Getenv("GODEBUG")))
	var buf bytes.Buffer
	if cfg.out == "" {
		cmd.Stdout = &buf
	} else {
		cmd.Stdout = stdout
	}
	progR, progW, err := os.Pipe()
	if err != nil {
		fmt.Fprintln(stderr, "realgo:", err)
		return 1
	}
	cmd.ExtraFiles = []*os.File{progW} // the child's fd 3: its progress lines
	errR, err := cmd.StderrPipe()
	if err != nil {
		fmt.Fprintln(stderr, "realgo:", err)
		return 1
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(stderr, "realgo: starting the gctrace child:", err)
		return 1
	}
	progW.Close()
	fwd := make(chan struct{})
	go func() {
		io.Copy(stderr, progR)
		close(fwd)
	}()
	cycles := readGCTrace(errR, stderr)
	err = cmd.Wait()
	<-fwd
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		fmt.Fprintln(stderr, "realgo:", err)
		return 1
	}
	b := buf.Bytes()
	if cfg.out != "" {
		if b, err = os.ReadFile(cfg.out); err != nil {
			fmt.Fprintln(stderr, "realgo:", err)
			return 1
		}
	}
	var doc Doc
	if err := json.Unmarshal(b, &doc); err != nil {
		fmt.Fprintln(stderr, "realgo: the child's document does not decode:", err)
		return 1
	}
	mergeGC(&doc, cycles)
	return writeDoc(&doc, cfg.out, stdout, stderr)
}

// withGCTrace adds gctrace=1 to a GODEBUG value.
func withGCTrace(godebug string) string {
	if godebug == "" {
		return "gctrace=1"
	}
	return godebug + ",gctrace=1"
}

// readGCTrace keeps the gctrace lines of r by cycle number and copies every other line to w.
func readGCTrace(r io.Reader, w io.Writer) map[int]gcCycle {
	cycles := map[int]gcCycle{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if c, ok := parseGCTrace(line); ok {
			cycles[c.N] = c
			continue
		}
		fmt.Fprintln(w, line)
	}
	return cycles
}

// mergeGC adds the traced cycles to the runs they belong to and derives the GC model's calibration.
func mergeGC(doc *Doc, cycles map[int]gcCycle) {
	doc.GCTrace = true
	for i := range doc.Runs {
		r := &doc.Runs[i]
		r.GCCPUMs, r.GCAssistMs, r.GCBgMs, r.GCIdleMs, r.HeapLiveMB, r.HeapLivePeakMB = 0, 0, 0, 0, nil, 0
		for n := int(r.GCFirst) + 1; n <= int(r.GCLast); n++ {
			c, ok := cycles[n]
			if !ok {
				doc.GCTraceMissing++
				continue
			}
			r.GCCPUMs += c.STW1CPUMs + c.AssistMs + c.BgMs + c.IdleMs + c.STW2CPUMs
			r.GCAssistMs += c.AssistMs
			r.GCBgMs += c.BgMs
			r.GCIdleMs += c.IdleMs
			r.HeapLiveMB = append(r.HeapLiveMB, c.LiveMB)
			r.HeapLivePeakMB = math.Max(r.HeapLivePeakMB, c.LiveMB)
		}
	}
	doc.GCCalibration = calibrateGC(doc, cycles)
}

// Stat is a median with its quartiles, min, max and count.
type Stat struct {
	Median float64 `json:"median"`
	P25    float64 `json:"p25"`
	P75    float64 `json:"p75"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	N      int     `json:"n"`
}

func stat(v []float64) Stat {
	if len(v) == 0 {
		return Stat{}
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	q := func(p float64) float64 { return s[int(math.Round(p*float64(len(s)-1)))] }
	return Stat{Median: median(s), P25: q(0.25), P75: q(0.75), Min: s[0], Max: s[len(s)-1], N: len(s)}
}

// GCCalibration is what the GC model takes from real Go on this machine.
type GCCalibration struct {
	Source string `json:"source"`
	Method string `json:"method"`
	Cycles int    `json:"cycles"`
	// mark CPU (assist + background + idle workers) per MB of marked (live) heap, and without idle workers
	MarkCPUMsPerMB       Stat `json:"markCpuMsPerMb"`
	MarkCPUMsPerMBNoIdle Stat `json:"markCpuMsPerMbNoIdle"`
	// the two stop-the-world pauses of a cycle (gctrace clock), and the concurrent mark's wall time
	SweepTermUs Stat `json:"sweepTermUs"`
	MarkTermUs  Stat `json:"markTermUs"`
	MarkWallMs  Stat `json:"markWallMs"`
	// heap at the cycle's start over its goal (where the pacer triggered), and the live heap
	TriggerOverGoal Stat `json:"triggerOverGoal"`
	LiveMB          Stat `json:"liveMb"`
}

// calibrateGC derives the GC model's figures from the cycles of the runs that allocate (defer and
// alloc_control, every workload), leaving out forced cycles and cycles that marked under 4 MB (there
// the fixed cost of roots and stacks dominates).
func calibrateGC(doc *Doc, cycles map[int]gcCycle) *GCCalibration {
	var perMB, perMBNoIdle, st1, st2, mark, trig, live []float64
	lo, hi := math.MaxInt32, 0
	for _, r := range doc.Runs {
		if r.Treatment != string(withDefer) && r.Treatment != string(allocControl) {
			continue
		}
		for n := int(r.GCFirst) + 1; n <= int(r.GCLast); n++ {
			c, ok := cycles[n]
			if !ok || c.Forced || c.LiveMB < 4 {
				continue
			}
			lo, hi = minInt(lo, n), maxInt(hi, n)
			perMB = append(perMB, (c.AssistMs+c.BgMs+c.IdleMs)/c.LiveMB)
			perMBNoIdle = append(perMBNoIdle, (c.AssistMs+c.BgMs)/c.LiveMB)
			st1 = append(st1, c.STW1ClockMs*1e3)
			st2 = append(st2, c.STW2ClockMs*1e3)
			mark = append(mark, c.MarkClockMs)
			if c.GoalMB > 0 {
				trig = append(trig, c.StartMB/c.GoalMB)
			}
			live = append(live, c.LiveMB)
		}
	}
	if len(perMB) == 0 {
		return nil
	}
	return &GCCalibration{
		Source: fmt.Sprintf("gctrace cycles %d..%d of this document's defer and alloc_control runs (%s, %d CPUs)",
			lo, hi, doc.GoVersion, doc.NumCPU),
		Method: "per cycle: mark CPU = assist + background + idle worker ms of the gctrace 'ms cpu' field, over " +
			"the marked MB (the third heap figure); pauses = first and third 'ms clock' figures; forced cycles " +
			"and cycles marking under 4 MB left out; median, quartiles, min, max over the cycles",
		Cycles: len(perMB), MarkCPUMsPerMB: stat(perMB), MarkCPUMsPerMBNoIdle: stat(perMBNoIdle),
		SweepTermUs: stat(st1), MarkTermUs: stat(st2), MarkWallMs: stat(mark), TriggerOverGoal: stat(trig),
		LiveMB: stat(live),
	}
}

func minInt(a, b int) int {
	if a < b {
		return a
	}
	return b
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}
