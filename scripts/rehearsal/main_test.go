package rehearsal

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a goroutine outlives its tests: a spec
// server not closed, a command's output still being copied.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
