package main

// The runnext steal pause as Go really takes it on this machine: runqgrab (proc.go) calls usleep(3)
// before it steals the runnext G of a P that is running, and on Linux the runtime's usleep
// (os_linux.go / sys_linux_amd64.s) is one raw nanosleep system call, which the kernel's timer slack
// stretches. Since Go 1.23 the linker refuses most go:linkname pulls into the runtime, so the pause is
// timed with the same system call made directly (pause_linux.go), not by calling runtime.usleep.
// The model's default pause (StealPause PARK) stands for this figure.

import (
	"sort"
	"time"
)

// PauseInfo is the measured length of the runtime's usleep(3).
type PauseInfo struct {
	What        string  `json:"what"`
	RequestedUs float64 `json:"requestedUs"`
	MedianUs    float64 `json:"medianUs"`
	P90Us       float64 `json:"p90Us"`
	MinUs       float64 `json:"minUs"`
	N           int     `json:"n"`
}

// measurePause times n pauses of 3 µs, each the system call runtime.usleep(3) makes, on the calling
// goroutine.
func measurePause(n int) PauseInfo {
	d := make([]float64, n)
	for i := range d {
		t0 := time.Now()
		usleep3()
		d[i] = float64(time.Since(t0).Nanoseconds()) / 1e3
	}
	sort.Float64s(d)
	return PauseInfo{What: pauseWhat, RequestedUs: 3, MedianUs: d[n/2], P90Us: d[n*9/10], MinUs: d[0], N: n}
}
