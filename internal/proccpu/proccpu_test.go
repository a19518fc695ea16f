package proccpu

import (
	"runtime"
	"testing"
)

// Spinning must show up as CPU time used. The spin is bounded by work,
// not by a clock: up to a few seconds of CPU, far more than the coarsest
// accounting tick, after which a clock that has not moved fails the test.
// (Off unix, Used is always 0 and there is nothing to check.)
func TestUsedGrowsWithWork(t *testing.T) {
	if !measured {
		t.Skip("not measured on " + runtime.GOOS)
	}
	start := Used()
	x := 0
	for chunk := 0; chunk < 5000 && Used() == start; chunk++ {
		for i := range 1_000_000 {
			x += i
		}
	}
	if got := Used(); got <= start {
		t.Fatalf("CPU time did not grow with work: %v, then %v", start, got)
	}
	runtime.KeepAlive(x)
}
