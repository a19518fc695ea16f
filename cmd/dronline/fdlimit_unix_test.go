//go:build unix

package main

import "syscall"

// fdLimits returns the soft and hard limits on open files. Go raises the
// soft limit to the hard one when a program starts, so the soft limit is
// what a test may use and the hard one is what it could ever get.
func fdLimits() (soft, hard uint64, ok bool) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0, 0, false
	}
	return uint64(rl.Cur), uint64(rl.Max), true //nolint:unconvert // int64 on some BSDs
}
