//go:build linux

package main

import (
	"syscall"
	"unsafe"
)

const pauseWhat = "nanosleep(3 us) as a raw system call, what runtime.usleep(3) makes on Linux: the pause " +
	"runqgrab takes before stealing a running P's runnext"

// usleep3 is runtime.usleep(3) on Linux: nanosleep({0, 3000}, nil), made raw (no entersyscall), as
// the runtime makes it from its own stack.
func usleep3() {
	ts := syscall.Timespec{Sec: 0, Nsec: 3000}
	syscall.RawSyscall(syscall.SYS_NANOSLEEP, uintptr(unsafe.Pointer(&ts)), 0, 0)
}
