package connected_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if any goroutine outlives its tests: a
// response body left open, a retry still waiting, a server not closed.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
