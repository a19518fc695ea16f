package netfault

import (
	"testing"

	"github.com/rs/zerolog"
	"go.uber.org/goleak"
)

// TestMain fails the package if any goroutine outlives its tests: a
// response body left open, a retry still waiting, a proxy or server not
// closed.
func TestMain(m *testing.M) {
	// The proxy's toxics log through zerolog's global logger; keep test
	// output clean.
	zerolog.SetGlobalLevel(zerolog.Disabled)
	goleak.VerifyTestMain(m)
}
