package netfault

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

// start is a Monday morning, so the default catalogue has slots that day.
var start = time.Date(2030, 1, 7, 8, 0, 0, 0, time.UTC)

// env is a fake server and a client that reaches it directly, for the
// set-up and the checks around a test's faulty calls.
type env struct {
	srv *connectedtest.Server
	c   *connected.Client
}

// newEnv starts a fake server (its clock at start, every request and
// response checked against the contract) with srvOpts of the test's own.
// The direct client never waits between attempts.
func newEnv(t *testing.T, srvOpts ...connectedtest.Option) *env {
	t.Helper()
	srv := connectedtest.NewServer(append([]connectedtest.Option{connectedtest.WithStartTime(start), connectedtest.WithSpecValidation(true)}, srvOpts...)...)
	t.Cleanup(func() {
		assert.Empty(t, srv.SpecViolations(), "every request and response follows the contract")
		srv.Close()
	})
	c, err := connected.NewClient(srv.APIKey(), connected.WithBaseURL(srv.URL()), connected.WithBackoff(0, 0))
	require.NoError(t, err)
	return &env{srv: srv, c: c}
}

func patient() connected.PatientInput {
	dob, err := connected.ParseDate("1986-04-12")
	if err != nil {
		panic(err)
	}
	return connected.PatientInput{
		FirstName: "Jane", LastName: "Doe", Email: "jane.doe@example.com",
		Phone: connected.Ptr("+447700900123"), Sex: connected.SexFemale, DateOfBirth: dob,
	}
}

// slot finds the first free slot of a type starting at or after from.
func (e *env) slot(t *testing.T, typeID string, from time.Time) connected.Slot {
	t.Helper()
	page, err := e.c.Slots.List(context.Background(), &connected.SlotListParams{AppointmentTypeID: &typeID, StartGte: &from, Limit: connected.Ptr(1)})
	require.NoError(t, err)
	require.NotEmpty(t, page.Data, "a free %s slot after %s", typeID, from)
	return page.Data[0]
}

func (e *env) hold(t *testing.T, slot connected.Slot) *connected.AppointmentHold {
	t.Helper()
	p := patient()
	h, err := e.c.Holds.Create(context.Background(), &connected.HoldParams{SlotID: slot.ID, Patient: &p, Metadata: map[string]string{"order_id": "ord_1"}})
	require.NoError(t, err)
	return h
}

func confirmParams(ref string) *connected.ConfirmParams {
	return &connected.ConfirmParams{Patient: patient(), ExternalPaymentReference: "pi_" + ref, PartnerReference: connected.Ptr("case-" + ref)}
}

// book holds and confirms the first free slot of a type at or after from.
func (e *env) book(t *testing.T, typeID string, from time.Time, ref string) *connected.Appointment {
	t.Helper()
	h := e.hold(t, e.slot(t, typeID, from))
	a, err := e.c.Appointments.Confirm(context.Background(), h.AppointmentID, h.HoldToken, confirmParams(ref))
	require.NoError(t, err)
	return a
}

// slotNear finds a free slot of the appointment's type and practitioner
// starting at least after past the appointment's start.
func (e *env) slotNear(t *testing.T, a *connected.Appointment, after time.Duration) connected.Slot {
	t.Helper()
	from := a.Start.Add(after)
	until := a.OriginalStart.Add(47 * time.Hour)
	page, err := e.c.Slots.List(context.Background(), &connected.SlotListParams{
		AppointmentTypeID: &a.AppointmentTypeID, PractitionerID: &a.PractitionerID, StartGte: &from, StartLt: &until,
	})
	require.NoError(t, err)
	require.NotEmpty(t, page.Data)
	return page.Data[0]
}
