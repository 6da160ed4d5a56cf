package main

// CPU profiles (runtime/pprof) of chosen workloads and treatments, turned into collapsed stacks
// ("root;...;leaf count" lines, the format async-profiler's collapsed output and Brendan Gregg's
// flamegraph tools use) from `go tool pprof -traces`, and the shares of samples in the runtime
// functions that the claims name. scripts/realgo.sh renders the collapsed stacks as HTML flame graphs
// with async-profiler's converter (jfr-converter), as the model's are.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strings"
	"time"
)

// Profile is one profiled configuration.
type Profile struct {
	Workload     string             `json:"workload"`
	Treatment    string             `json:"treatment"`
	Procs        int                `json:"procs"`
	Params       map[string]int     `json:"params"`
	Runs         int                `json:"runs"`
	Seconds      float64            `json:"seconds"`      // the profile's length
	WallMsPerRun float64            `json:"wallMsPerRun"` // a profiled run's wall time (compare the unprofiled runs')
	Samples      int64              `json:"samples"`      // 100 Hz samples (10 ms of CPU each)
	Pprof        string             `json:"pprof"`        // paths relative to the document's folder
	Collapsed    string             `json:"collapsed,omitempty"`
	Shares       map[string]float64 `json:"shares,omitempty"`
	Note         string             `json:"note,omitempty"`
}

// share is one named fraction of a profile's samples: those whose stack holds the frames in order
// (root to leaf, not necessarily adjacent). A frame matches a function by name or as one of its
// closures (name.funcN); Go 1.19 spells findRunnable findrunnable, so names compare case-insensitively.
type share struct {
	name   string
	frames []string
	doc    string
}

var shares = []share{
	{"newdefer", []string{"runtime.newdefer"}, "deferproc taking a record: per-P pool, refill from the central pool, or mallocgc"},
	{"newdefer.mallocgc", []string{"runtime.newdefer", "runtime.mallocgc"}, "newdefer allocating a fresh record"},
	{"freedefer", []string{"runtime.freedefer"}, "returning records to the per-P pool, spilling to the central pool"},
	{"deferlock", []string{"runtime.newdefer|runtime.freedefer", "runtime.lock2"}, "sched.deferlock taken by newdefer or freedefer"},
	{"deferreturn", []string{"runtime.deferreturn"}, "running deferred calls at return"},
	{"deferproc", []string{"runtime.deferproc|runtime.deferprocStack"}, "registering defers (including newdefer)"},
	{"mallocgc", []string{"runtime.mallocgc"}, "all allocation"},
	{"gcAssistAlloc", []string{"runtime.gcAssistAlloc"}, "mark assists paid by allocating Gs"},
	{"gcBgMarkWorker", []string{"runtime.gcBgMarkWorker"}, "background and idle mark workers"},
	{"gc", []string{"runtime.gcBgMarkWorker|runtime.gcAssistAlloc|runtime.gcStart|runtime.gcMarkDone|runtime.gcMarkTermination|runtime.bgsweep|runtime.sweepone"}, "all GC work"},
	{"schedule", []string{"runtime.schedule"}, "the scheduler loop"},
	{"findRunnable", []string{"runtime.schedule", "runtime.findRunnable"}, "looking for work"},
	{"runqsteal", []string{"runtime.schedule", "runtime.findRunnable", "runtime.runqsteal"}, "C6: schedule -> findrunnable -> runqsteal"},
	{"spin", []string{"main.spin"}, "the workloads' own work and cpu_control's burn"},
}

// goTool is the go command for `go tool pprof`: the -go flag, else the toolchain this binary was
// built with, else go on PATH; "" when there is none.
func goTool(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if g := filepath.Join(runtime.GOROOT(), "bin", "go"); runtime.GOROOT() != "" {
		if st, err := os.Stat(g); err == nil && !st.IsDir() {
			return g
		}
	}
	if g, err := exec.LookPath("go"); err == nil {
		return g
	}
	return ""
}

// profileCell profiles repeated runs of c under t, for at least `seconds` of runs (at least one run),
// into dir/<workload>-<treatment>-procs<N>.pb.gz, and collapses it when a go tool is there. The runs go
// in one profile, each starting as the measured runs do (measure: the heap collected and returned to
// the OS, so the central defer pool is empty); the goroutine that does that carries the pprof label
// realgo=setup and its samples are left out (`go tool pprof -tagignore`), while the runtime's own work
// (GC workers, the scheduler on g0, sysmon), which carries no label, stays in. The first run's
// collection is made before the profile starts.
func profileCell(c *cell, t treatment, seconds float64, dir, rel, gobin string) (Profile, error) {
	base := fmt.Sprintf("%s-%s-procs%d", c.w.name, t, c.procs)
	pb := filepath.Join(dir, base+".pb.gz")
	f, err := os.Create(pb)
	if err != nil {
		return Profile{}, err
	}
	defer f.Close()
	debug.FreeOSMemory()
	c.resetWrap = func(reset func()) {
		pprof.Do(context.Background(), pprof.Labels(profileLabel, "setup"), func(context.Context) { reset() })
	}
	defer func() { c.resetWrap, c.keepHeap = nil, false }()
	if err := pprof.StartCPUProfile(f); err != nil {
		return Profile{}, err
	}
	t0 := time.Now()
	runs := 0
	var wallMs float64
	for runs == 0 || time.Since(t0).Seconds() < seconds {
		c.keepHeap = runs == 0 // collected just above
		wallMs += c.measure(t, runs).WallMs
		runs++
	}
	pprof.StopCPUProfile()
	p := Profile{Workload: c.w.name, Treatment: string(t), Procs: c.procs, Params: c.p, Runs: runs,
		Seconds: time.Since(t0).Seconds(), WallMsPerRun: wallMs / float64(runs),
		Pprof: filepath.ToSlash(filepath.Join(rel, base+".pb.gz"))}
	if gobin == "" {
		p.Note = "no go tool found for `go tool pprof -traces`: collapsed stacks and shares left out"
		return p, nil
	}
	out, err := exec.Command(gobin, "tool", "pprof", "-traces", "-tagignore", profileLabel+"=setup", pb).Output()
	if err != nil {
		p.Note = fmt.Sprintf("`go tool pprof -traces` failed (%v): collapsed stacks and shares left out", err)
		return p, nil
	}
	stacks, err := collapseTraces(strings.NewReader(string(out)))
	if err != nil {
		return p, err
	}
	cf := filepath.Join(dir, base+".collapsed")
	if err := writeCollapsed(cf, stacks); err != nil {
		return p, err
	}
	p.Collapsed = filepath.ToSlash(filepath.Join(rel, base+".collapsed"))
	p.Samples, p.Shares = shareOf(stacks)
	return p, nil
}

// profileLabel marks the samples of the collection between profiled runs.
const profileLabel = "realgo"

// collapseTraces reads `go tool pprof -traces` output: blocks between lines of dashes, each starting
// with the sample value and the leaf frame, then one caller per line. It returns root-first stacks
// ("a;b;c") with their value in 10 ms samples (the 100 Hz of pprof.StartCPUProfile). Inlined frames
// lose their " (inline)" mark.
func collapseTraces(r io.Reader) (map[string]int64, error) {
	stacks := map[string]int64{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	var frames []string
	var value time.Duration
	flush := func() {
		if len(frames) > 0 {
			for i, j := 0, len(frames)-1; i < j; i, j = i+1, j-1 {
				frames[i], frames[j] = frames[j], frames[i]
			}
			stacks[strings.Join(frames, ";")] += int64((value + 5*time.Millisecond) / (10 * time.Millisecond))
		}
		frames, value = nil, 0
	}
	inBlock := false
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "-----------+") {
			flush()
			inBlock = true
			continue
		}
		if !inBlock || strings.TrimSpace(line) == "" {
			continue
		}
		fields := strings.Fields(line)
		if strings.HasSuffix(fields[0], ":") { // a label line ("key: values"), before or after the frames
			continue
		}
		if len(frames) == 0 && value == 0 {
			d, err := time.ParseDuration(fields[0])
			if err != nil {
				return nil, fmt.Errorf("pprof -traces: a block starts with %q, not a duration", line)
			}
			value = d
			fields = fields[1:]
			if len(fields) == 0 {
				continue
			}
		}
		frames = append(frames, strings.Replace(fields[0], ";", ":", -1))
	}
	flush()
	return stacks, sc.Err()
}

func writeCollapsed(path string, stacks map[string]int64) error {
	keys := make([]string, 0, len(stacks))
	for k := range stacks {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		if stacks[k] > 0 {
			fmt.Fprintf(&b, "%s %d\n", k, stacks[k])
		}
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// shareOf gives the total samples and each share's fraction of them.
func shareOf(stacks map[string]int64) (int64, map[string]float64) {
	var total int64
	hits := map[string]int64{}
	for k, v := range stacks {
		total += v
		frames := strings.Split(k, ";")
		for _, s := range shares {
			if holds(frames, s.frames) {
				hits[s.name] += v
			}
		}
	}
	out := map[string]float64{}
	for _, s := range shares {
		out[s.name] = 0 // no samples: every share 0
		if total > 0 {
			out[s.name] = float64(hits[s.name]) / float64(total)
		}
	}
	return total, out
}

// holds reports whether the stack has the wanted frames in order; each wanted frame may list
// alternatives separated by '|'.
func holds(stack, want []string) bool {
	i := 0
	for _, f := range stack {
		if i < len(want) && frameIs(f, want[i]) {
			i++
		}
	}
	return i == len(want)
}

func frameIs(frame, alts string) bool {
	for _, fn := range strings.Split(alts, "|") {
		if strings.EqualFold(frame, fn) || (len(frame) > len(fn)+5 && strings.EqualFold(frame[:len(fn)+5], fn+".func")) {
			return true
		}
	}
	return false
}
