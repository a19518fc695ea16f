package connectedtest

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/dronline/connected-go/internal/rawapi"
)

// monday is a Monday 08:00 in winter, so Europe/London equals UTC and the
// first working hours of the day are still ahead.
func monday() time.Time { return time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC) }

// newTestServer starts a server with spec validation on and checks, when
// the test ends, that no exchange violated the contract.
func newTestServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	s := NewServer(append([]Option{WithStartTime(monday()), WithSpecValidation(true)}, opts...)...)
	t.Cleanup(func() {
		s.Close()
		assert.Empty(t, s.SpecViolations(), "every exchange must validate against the spec")
	})
	return s
}

// The API's plain client: see rawapi.
type (
	client   = rawapi.Client
	response = rawapi.Response
	header   = rawapi.Header
)

func newClient(t testing.TB, s *Server, key string) *client { return rawapi.NewClient(t, s.URL(), key) }

func patient(email string) map[string]any { return rawapi.Patient(email) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
