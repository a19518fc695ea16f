package otelconnected_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if any goroutine outlives its tests: a span
// processor or a fake server left running.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
