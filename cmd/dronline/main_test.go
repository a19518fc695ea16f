package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.Cleanup(func(int) {
		if dronlineBuild.dir != "" {
			_ = os.RemoveAll(dronlineBuild.dir)
		}
	}))
}

// result is what one command line did.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs the command line in-process with env as its whole
// environment.
func runCLI(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	return runCLIContext(t.Context(), env, args...)
}

func runCLIContext(ctx context.Context, env map[string]string, args ...string) result {
	var out, errOut bytes.Buffer
	code := run(ctx, args, strings.NewReader(""), &out, &errOut, func(k string) string { return env[k] })
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// fake is a fake server and the environment that points the CLI at it.
type fake struct {
	srv *connectedtest.Server
	env map[string]string
	sdk *connected.Client // for setting up state and for the expected objects
}

func newFake(t *testing.T, opts ...connectedtest.Option) *fake {
	t.Helper()
	srv := connectedtest.NewServer(append([]connectedtest.Option{connectedtest.WithSpecValidation(true)}, opts...)...)
	transport := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(func() {
		assert.Empty(t, srv.SpecViolations(), "every request and response follows the contract")
		transport.CloseIdleConnections()
		srv.Close()
	})
	sdk, err := connected.NewClient(srv.APIKey(), connected.WithBaseURL(srv.URL()), connected.WithHTTPClient(&http.Client{Transport: transport}))
	require.NoError(t, err)
	return &fake{
		srv: srv,
		env: map[string]string{connected.EnvAPIKey: srv.APIKey(), connected.EnvBaseURL: srv.URL()},
		sdk: sdk,
	}
}

// testPatient is the patient of the set-up bookings.
func testPatient(t *testing.T) connected.PatientInput {
	t.Helper()
	dob, err := connected.ParseDate("1986-04-12")
	require.NoError(t, err)
	return connected.PatientInput{FirstName: "Jane", LastName: "Doe", Email: "jane.doe@example.com", Sex: connected.SexFemale, DateOfBirth: dob}
}

// patientArgs are testPatient as CLI flags.
var patientArgs = []string{"--first-name", "Jane", "--last-name", "Doe", "--email", "jane.doe@example.com", "--sex", "female", "--date-of-birth", "1986-04-12"}

// slotAhead is the first free slot of typeID at least three days after
// the fake's clock, so the appointment can still be rescheduled.
func (f *fake) slotAhead(t *testing.T, typeID string) connected.Slot {
	t.Helper()
	return slotAfter(t.Context(), t, f.sdk, f.srv.Now().Add(72*time.Hour), typeID)
}

// slotAfter is the first free slot of typeID starting at from or later.
func slotAfter(ctx context.Context, t *testing.T, sdk *connected.Client, from time.Time, typeID string) connected.Slot {
	t.Helper()
	page, err := sdk.Slots.List(ctx, &connected.SlotListParams{
		Limit: connected.Ptr(1), AppointmentTypeID: &typeID, StartGte: &from,
	})
	require.NoError(t, err)
	require.NotEmpty(t, page.Data, "a free %s slot", typeID)
	return page.Data[0]
}

// book holds and confirms an appointment of typeID through the SDK.
func (f *fake) book(t *testing.T, typeID, partnerRef string) *connected.Appointment {
	t.Helper()
	return bookSlot(t.Context(), t, f.sdk, f.slotAhead(t, typeID), partnerRef)
}

// bookSlot holds and confirms slot through sdk.
func bookSlot(ctx context.Context, t *testing.T, sdk *connected.Client, slot connected.Slot, partnerRef string) *connected.Appointment {
	t.Helper()
	p := testPatient(t)
	hold, err := sdk.Holds.Create(ctx, &connected.HoldParams{SlotID: slot.ID, Patient: &p})
	require.NoError(t, err)
	apt, err := sdk.Appointments.Confirm(ctx, hold.AppointmentID, hold.HoldToken, &connected.ConfirmParams{
		Patient: p, ExternalPaymentReference: "pay_" + partnerRef, PartnerReference: &partnerRef,
	})
	require.NoError(t, err)
	return apt
}

// syncBuffer is a bytes.Buffer safe for a server goroutine to write while
// the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// connectedtest503 fails one account request with a 503 that asks for an
// immediate retry, so the test does not wait for a backoff.
func connectedtest503(t *testing.T) connectedtest.Fault {
	t.Helper()
	return connectedtest.Fault{Method: "GET", Path: "/connected/account", Status: 503, RetryAfter: "0"}
}
