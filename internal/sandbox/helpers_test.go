package sandbox

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/dronline/connected-go/connected/connectedtest"
	"github.com/dronline/connected-go/internal/rawapi"
)

// The helpers below drive a connectedtest.Server over plain net/http, as
// the control API's users do.

// sandboxPrefix starts every sandbox API key.
const sandboxPrefix = "sk_sandbox_"

// monday is a Monday 08:00 in winter, so Europe/London equals UTC and the
// first working hours of the day are still ahead.
func monday() time.Time { return time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC) }

// newTestServer starts a server with spec validation on and checks, when
// the test ends, that no exchange violated the contract.
func newTestServer(t *testing.T, opts ...connectedtest.Option) *connectedtest.Server {
	t.Helper()
	s := connectedtest.NewServer(append([]connectedtest.Option{connectedtest.WithStartTime(monday()), connectedtest.WithSpecValidation(true)}, opts...)...)
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

func newClient(t testing.TB, s *connectedtest.Server, key string) *client {
	return rawapi.NewClient(t, s.URL(), key)
}

func patient(email string) map[string]any { return rawapi.Patient(email) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// freshClient never reuses a connection: net/http silently retries a
// request that was dropped on a reused connection when it is idempotent
// (a GET, or a POST with an Idempotency-Key), which would hide the fault.
func freshClient(t *testing.T) *http.Client {
	tr := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}
