package proccpu

import (
	"runtime"
	"testing"
)

// Spinning for a while must show up as CPU time used (off unix, Used is
// always 0 and there is nothing to check).
func TestUsedGrowsWithWork(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" || runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("not measured here")
	}
	start := Used()
	x := 0
	for Used() == start {
		for i := range 1_000_000 {
			x += i
		}
	}
	if Used() <= start {
		t.Fatalf("CPU time went from %v to %v", start, Used())
	}
	_ = x
}
