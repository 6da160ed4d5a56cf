//go:build !linux

package main

import "time"

const pauseWhat = "time.Sleep(3 us), a stand-in for runtime.usleep(3) off Linux (not the same call)"

func usleep3() { time.Sleep(3 * time.Microsecond) }
