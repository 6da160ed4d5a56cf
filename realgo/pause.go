package main

// The runnext steal pause as Go really takes it on this machine: runqgrab (proc.go) calls usleep(3)
// before it steals the runnext G of a P that is running, and on Linux usleep is a nanosleep that the
// kernel's timer slack stretches. The model's default pause (StealPause PARK) stands for this figure.

import (
	"sort"
	"time"
	_ "unsafe" // go:linkname
)

// usleep is the runtime's own sleep (os_linux.go: usleep -> nanosleep), the one runqgrab calls.
//
//go:linkname usleep runtime.usleep
func usleep(usec uint32)

// PauseInfo is the measured length of runtime.usleep(3).
type PauseInfo struct {
	What        string  `json:"what"`
	RequestedUs float64 `json:"requestedUs"`
	MedianUs    float64 `json:"medianUs"`
	P90Us       float64 `json:"p90Us"`
	MinUs       float64 `json:"minUs"`
	N           int     `json:"n"`
}

// measurePause times n calls of runtime.usleep(3) on the calling goroutine.
func measurePause(n int) PauseInfo {
	d := make([]float64, n)
	for i := range d {
		t0 := time.Now()
		usleep(3)
		d[i] = float64(time.Since(t0).Nanoseconds()) / 1e3
	}
	sort.Float64s(d)
	return PauseInfo{What: "runtime.usleep(3), the pause runqgrab takes before stealing a running P's runnext",
		RequestedUs: 3, MedianUs: d[n/2], P90Us: d[n*9/10], MinUs: d[0], N: n}
}
