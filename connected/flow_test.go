package connected_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

// start is a Monday morning, so the default catalogue has slots that day.
var start = time.Date(2030, 1, 7, 8, 0, 0, 0, time.UTC)

type env struct {
	srv *connectedtest.Server
	c   *connected.Client
	w   *waits
}

func newEnv(t *testing.T, opts ...connected.ClientOption) *env {
	t.Helper()
	return newEnvServer(t, nil, opts...)
}

// newEnvServer is newEnv with options of its own for the fake server.
func newEnvServer(t *testing.T, srvOpts []connectedtest.Option, opts ...connected.ClientOption) *env {
	t.Helper()
	srv := connectedtest.NewServer(append([]connectedtest.Option{connectedtest.WithStartTime(start), connectedtest.WithSpecValidation(true)}, srvOpts...)...)
	t.Cleanup(func() {
		assert.Empty(t, srv.SpecViolations(), "every request and response follows the contract")
		srv.Close()
	})
	w := &waits{}
	base := []connected.ClientOption{connected.WithBaseURL(srv.URL()), connected.WithWaitFunc(w.wait), connected.WithoutJitter()}
	c, err := connected.NewClient(srv.APIKey(), append(base, opts...)...)
	require.NoError(t, err)
	return &env{srv: srv, c: c, w: w}
}

// freshConnections gives every attempt its own connection. net/http
// re-sends a request with an Idempotency-Key by itself when a reused
// connection drops (harmless: same key), which would hide an injected
// fault from the SDK; fault tests that count attempts turn reuse off.
func freshConnections() connected.Option {
	return connected.WithHTTPClient(&http.Client{Transport: &http.Transport{DisableKeepAlives: true}})
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

func (e *env) book(t *testing.T, typeID string, from time.Time, ref string) *connected.Appointment {
	t.Helper()
	h := e.hold(t, e.slot(t, typeID, from))
	a, err := e.c.Appointments.Confirm(context.Background(), h.AppointmentID, h.HoldToken, confirmParams(ref))
	require.NoError(t, err)
	return a
}

func TestBookingFlowEndToEnd(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()

	acct, err := e.c.Account.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, "gbp", acct.Currency)
	assert.EqualValues(t, "v1", acct.PathVersion)
	assert.False(t, acct.Livemode)
	assert.Equal(t, connected.ModeSandbox, e.c.Mode())

	var types []connected.AppointmentType
	for at, err := range e.c.AppointmentTypes.All(ctx, &connected.AppointmentTypeListParams{Limit: connected.Ptr(1)}) {
		require.NoError(t, err)
		types = append(types, at)
	}
	require.GreaterOrEqual(t, len(types), 3, "pages of one were followed to the end")
	var pracs []connected.Practitioner
	for p, err := range e.c.Practitioners.All(ctx, nil) {
		require.NoError(t, err)
		pracs = append(pracs, p)
	}
	require.NotEmpty(t, pracs)

	from := start.Add(72 * time.Hour)
	slot := e.slot(t, "aptype_gp15", from)
	v, err := e.c.Slots.Validate(ctx, &connected.SlotValidateParams{SlotID: slot.ID})
	require.NoError(t, err)
	assert.True(t, v.Available)

	hold := e.hold(t, slot)
	assert.NotEqual(t, hold.ID, hold.AppointmentID)
	after, err := e.c.Slots.Validate(ctx, &connected.SlotValidateParams{SlotID: slot.ID})
	require.NoError(t, err)
	assert.False(t, after.Available, "a held slot cannot be held again")

	var info connected.ResponseInfo
	appt, err := e.c.Appointments.Confirm(ctx, hold.AppointmentID, hold.HoldToken, confirmParams("flow"), connected.WithResponseInfo(&info))
	require.NoError(t, err)
	assert.NotEqual(t, hold.AppointmentID, appt.ID, "confirm gives the appointment its own id")
	assert.EqualValues(t, "confirmed", appt.Status)
	assert.Nil(t, appt.BookingChannelID)
	assert.Equal(t, "ord_1", appt.Metadata["order_id"])
	assert.NotEmpty(t, info.RequestID)
	assert.NotEmpty(t, info.IdempotencyKey)
	assert.Equal(t, 1, info.Attempts)

	_, err = e.c.Appointments.Get(ctx, hold.AppointmentID)
	assert.ErrorIs(t, err, connected.ErrNotFound, "the hold's blocker id is not the appointment's")
	got, err := e.c.Appointments.Get(ctx, appt.ID)
	require.NoError(t, err)
	assert.Equal(t, "Jane", got.Patient.FirstName)

	var found []connected.Appointment
	for a, err := range e.c.Appointments.All(ctx, &connected.AppointmentListParams{PartnerReference: connected.Ptr("case-flow")}) {
		require.NoError(t, err)
		found = append(found, a)
	}
	require.Len(t, found, 1)
	assert.Equal(t, appt.ID, found[0].ID)

	pat, err := e.c.Patients.Get(ctx, appt.Patient.ID)
	require.NoError(t, err)
	assert.Equal(t, appt.Patient.ID, pat.ID)

	_, err = e.c.Questionnaires.GetForAppointment(ctx, appt.ID)
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, connected.ErrorCodeQuestionnaireNotRequired, apiErr.Code)

	next := e.slotNear(t, appt, time.Hour)
	moved, err := e.c.Appointments.Reschedule(ctx, appt.ID, &connected.RescheduleParams{SlotID: next.ID})
	require.NoError(t, err)
	assert.True(t, moved.Start.Equal(next.Start))
	assert.Equal(t, 1, moved.RescheduleCount)

	again := e.slotNear(t, moved, 2*time.Hour)
	_, err = e.c.Appointments.Reschedule(ctx, appt.ID, &connected.RescheduleParams{SlotID: again.ID})
	assert.ErrorIs(t, err, connected.ErrRescheduleRefused)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, connected.ErrorCodeRescheduleLimitReached, apiErr.Code)
	assert.Equal(t, 1, apiErr.Attempts, "a policy refusal is not retried")

	cancelled, err := e.c.Appointments.Cancel(ctx, appt.ID)
	require.NoError(t, err)
	assert.EqualValues(t, "cancelled", cancelled.Status)
	assert.NotNil(t, cancelled.CancelledAt)
	_, err = e.c.Appointments.Cancel(ctx, appt.ID)
	assert.ErrorIs(t, err, connected.ErrAlreadyCancelled)
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

func TestQuestionnaireForTypesThatRequireOne(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	appt := e.book(t, "aptype_derm20", start.Add(48*time.Hour), "q")
	require.NotNil(t, appt.QuestionnaireID)
	q, err := e.c.Questionnaires.GetForAppointment(ctx, appt.ID)
	require.NoError(t, err)
	assert.NotEmpty(t, q.CompletionURL)
	byID, err := e.c.Questionnaires.Get(ctx, q.ID)
	require.NoError(t, err)
	assert.Equal(t, q, byID)
}

func TestConfirmErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	h := e.hold(t, e.slot(t, "aptype_gp15", start.Add(48*time.Hour)))

	_, err := e.c.Appointments.Confirm(ctx, h.ID, h.HoldToken, confirmParams("x"))
	assert.ErrorIs(t, err, connected.ErrNotFound, "the hold's own id is not the confirm path's id")
	_, err = e.c.Appointments.Confirm(ctx, h.AppointmentID, "aht_wrong", confirmParams("x"))
	assert.ErrorIs(t, err, connected.ErrHoldTokenInvalid)

	e.srv.Advance(11 * time.Minute)
	_, err = e.c.Appointments.Confirm(ctx, h.AppointmentID, h.HoldToken, confirmParams("x"))
	assert.ErrorIs(t, err, connected.ErrHoldExpired)
	assert.Empty(t, e.srv.Appointments(e.srv.APIKey()))

	h2 := e.hold(t, e.slot(t, "aptype_gp15", start.Add(48*time.Hour)))
	_, err = e.c.Appointments.Confirm(ctx, h2.AppointmentID, h2.HoldToken, confirmParams("y"))
	require.NoError(t, err)
	_, err = e.c.Appointments.Confirm(ctx, h2.AppointmentID, h2.HoldToken, confirmParams("y"))
	assert.ErrorIs(t, err, connected.ErrHoldAlreadyConfirmed, "a new call (new key) cannot confirm twice")
	assert.Len(t, e.srv.Appointments(e.srv.APIKey()), 1)
}

func TestHoldingATakenSlot(t *testing.T) {
	e := newEnv(t)
	s := e.slot(t, "aptype_gp15", start.Add(48*time.Hour))
	e.hold(t, s)
	_, err := e.c.Holds.Create(context.Background(), &connected.HoldParams{SlotID: s.ID})
	assert.ErrorIs(t, err, connected.ErrSlotUnavailable)
}

// The response of a committed confirm is lost; the SDK's retry carries the
// same key, the server replays the first result, and one appointment exists.
func TestConfirmRetryAfterLostResponseBooksOnce(t *testing.T) {
	e := newEnv(t, freshConnections())
	h := e.hold(t, e.slot(t, "aptype_gp15", start.Add(48*time.Hour)))
	const path = "/connected/appointments/{appointment_id}/confirm"
	e.srv.InjectFault(connectedtest.Fault{Method: "POST", Path: path, AfterHandler: true, Drop: true})
	e.srv.InjectFault(connectedtest.Fault{Method: "POST", Path: path, Status: 503})

	var info connected.ResponseInfo
	appt, err := e.c.Appointments.Confirm(context.Background(), h.AppointmentID, h.HoldToken, confirmParams("lost"), connected.WithResponseInfo(&info))
	require.NoError(t, err)
	assert.Equal(t, 3, info.Attempts)
	assert.True(t, info.Replayed)

	appts := e.srv.Appointments(e.srv.APIKey())
	require.Len(t, appts, 1, "exactly one booking")
	assert.Equal(t, appts[0].ID, appt.ID)

	var keys []string
	for _, r := range e.srv.Requests() {
		if r.Method == http.MethodPost && r.Path != "" && r.IdempotencyKey != "" && containsConfirm(r.Path) {
			keys = append(keys, r.IdempotencyKey)
		}
	}
	require.Len(t, keys, 3, "the server saw three attempts")
	assert.Equal(t, []string{info.IdempotencyKey, info.IdempotencyKey, info.IdempotencyKey}, keys)
}

func containsConfirm(p string) bool { return len(p) > 8 && p[len(p)-8:] == "/confirm" }

// After an ambiguous failure the caller replays with the error's key and
// gets the original appointment, never a second one.
func TestAmbiguousConfirmReplaysWithTheKey(t *testing.T) {
	e := newEnv(t, connected.WithMaxRetries(0), freshConnections())
	h := e.hold(t, e.slot(t, "aptype_gp15", start.Add(48*time.Hour)))
	e.srv.InjectFault(connectedtest.Fault{Method: "POST", Path: "/connected/appointments/{appointment_id}/confirm", AfterHandler: true, Drop: true})
	_, err := e.c.Appointments.Confirm(context.Background(), h.AppointmentID, h.HoldToken, confirmParams("amb"))
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr)
	require.True(t, apiErr.Ambiguous)
	require.ErrorIs(t, err, connected.ErrAmbiguous)

	appt, err := e.c.Appointments.Confirm(context.Background(), h.AppointmentID, h.HoldToken, confirmParams("amb"), connected.WithIdempotencyKey(apiErr.IdempotencyKey))
	require.NoError(t, err)
	appts := e.srv.Appointments(e.srv.APIKey())
	require.Len(t, appts, 1)
	assert.Equal(t, appts[0].ID, appt.ID)
}

func TestRetriesThroughTheFakesFaults(t *testing.T) {
	e := newEnv(t)
	e.srv.InjectFault(connectedtest.Fault{Path: "/connected/account", Status: 503, Times: 2})
	var info connected.ResponseInfo
	_, err := e.c.Account.Get(context.Background(), connected.WithResponseInfo(&info))
	require.NoError(t, err)
	assert.Equal(t, 3, info.Attempts)
	assert.Len(t, e.srv.Requests(), 3, "counted on the server")

	e.srv.InjectFault(connectedtest.Fault{Path: "/connected/account", Status: 429, RetryAfter: "2"})
	_, err = e.c.Account.Get(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 2*time.Second, e.w.all()[len(e.w.all())-1], "Retry-After from the server")
}

// Cancel and reschedule are not naturally repeatable. When a retry meets
// the "already done" refusal after an ambiguous attempt, the SDK reads the
// appointment back and succeeds only if the first attempt took effect.
func TestCancelReadBack(t *testing.T) {
	refusal := []byte(`{"error":{"type":"invalid_request_error","code":"appointment_already_cancelled","message":"already cancelled"}}`)
	const path = "/connected/appointments/{appointment_id}/cancel"
	t.Run("first attempt took effect", func(t *testing.T) {
		e := newEnv(t, freshConnections())
		appt := e.book(t, "aptype_gp15", start.Add(72*time.Hour), "c1")
		e.srv.InjectFault(connectedtest.Fault{Method: "POST", Path: path, AfterHandler: true, Drop: true})
		e.srv.InjectFault(connectedtest.Fault{Method: "POST", Path: path, Status: 409, Body: refusal, ContentType: "application/json"})
		got, err := e.c.Appointments.Cancel(context.Background(), appt.ID)
		require.NoError(t, err)
		assert.EqualValues(t, "cancelled", got.Status)
	})
	t.Run("first attempt did not take effect", func(t *testing.T) {
		e := newEnv(t, freshConnections())
		appt := e.book(t, "aptype_gp15", start.Add(72*time.Hour), "c2")
		e.srv.InjectFault(connectedtest.Fault{Method: "POST", Path: path, Drop: true})
		e.srv.InjectFault(connectedtest.Fault{Method: "POST", Path: path, Status: 409, Body: refusal, ContentType: "application/json"})
		_, err := e.c.Appointments.Cancel(context.Background(), appt.ID)
		assert.ErrorIs(t, err, connected.ErrAlreadyCancelled)
		got, gerr := e.c.Appointments.Get(context.Background(), appt.ID)
		require.NoError(t, gerr)
		assert.EqualValues(t, "confirmed", got.Status)
	})
}

func TestRescheduleReadBack(t *testing.T) {
	refusal := []byte(`{"error":{"type":"invalid_request_error","code":"reschedule_limit_reached","message":"already rescheduled"}}`)
	const path = "/connected/appointments/{appointment_id}/reschedule"
	t.Run("first attempt took effect", func(t *testing.T) {
		e := newEnv(t, freshConnections())
		appt := e.book(t, "aptype_gp15", start.Add(72*time.Hour), "r1")
		next := e.slotNear(t, appt, time.Hour)
		e.srv.InjectFault(connectedtest.Fault{Method: "POST", Path: path, AfterHandler: true, Drop: true})
		e.srv.InjectFault(connectedtest.Fault{Method: "POST", Path: path, Status: 409, Body: refusal, ContentType: "application/json"})
		got, err := e.c.Appointments.Reschedule(context.Background(), appt.ID, &connected.RescheduleParams{SlotID: next.ID})
		require.NoError(t, err)
		assert.True(t, got.Start.Equal(next.Start))
	})
	t.Run("first attempt did not take effect", func(t *testing.T) {
		e := newEnv(t, freshConnections())
		appt := e.book(t, "aptype_gp15", start.Add(72*time.Hour), "r2")
		next := e.slotNear(t, appt, time.Hour)
		e.srv.InjectFault(connectedtest.Fault{Method: "POST", Path: path, Drop: true})
		e.srv.InjectFault(connectedtest.Fault{Method: "POST", Path: path, Status: 409, Body: refusal, ContentType: "application/json"})
		_, err := e.c.Appointments.Reschedule(context.Background(), appt.ID, &connected.RescheduleParams{SlotID: next.ID})
		assert.ErrorIs(t, err, connected.ErrRescheduleRefused)
		got, gerr := e.c.Appointments.Get(context.Background(), appt.ID)
		require.NoError(t, gerr)
		assert.Equal(t, 0, got.RescheduleCount)
	})
}

func TestConnectionsAreReused(t *testing.T) {
	e := newEnv(t)
	for range 20 {
		_, err := e.c.Account.Get(context.Background())
		require.NoError(t, err)
	}
	assert.Equal(t, 1, e.srv.Dials(), "bodies are drained and closed, so one connection serves every call")
}
