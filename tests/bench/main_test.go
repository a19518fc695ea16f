package bench

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if a benchmark or test leaves a goroutine behind:
// a server not closed, or a transport's connection loops still running.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
