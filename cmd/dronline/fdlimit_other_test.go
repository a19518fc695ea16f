//go:build !unix

package main

// fdLimits cannot read the limits here; the test opens its connections
// and a limit, if any, fails it with a dial error that says so.
func fdLimits() (soft, hard uint64, ok bool) { return 0, 0, false }
