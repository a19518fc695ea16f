package connected_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

// Distinctive patient values, so that finding one in a log line or an
// error string cannot be a coincidence.
const (
	secretFirst = "Wilhelmina"
	secretLast  = "Quartermaine"
	secretEmail = "w.quartermaine@example.org"
	secretPhone = "+447700900987"
	secretDOB   = "1979-11-23"
)

func secretPatient(t *testing.T) connected.PatientInput {
	t.Helper()
	dob, err := connected.ParseDate(secretDOB)
	require.NoError(t, err)
	return connected.PatientInput{FirstName: secretFirst, LastName: secretLast, Email: secretEmail,
		Phone: connected.Ptr(secretPhone), Sex: connected.SexFemale, DateOfBirth: dob}
}

// A full booking flow plus its failures (faults, the SDK's own validation,
// the server's 4xx) is logged at debug level into a buffer and every error
// is printed every way a caller might; neither may contain the API key, a
// hold token or any patient field.
func TestLogsAndErrorsNeverContainSecrets(t *testing.T) {
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := newEnv(t, connected.WithLogger(logger), freshConnections())
	ctx := context.Background()
	var errs []error
	keep := func(err error) {
		t.Helper()
		require.Error(t, err)
		errs = append(errs, err)
	}
	const confirmPath = "/connected/appointments/{appointment_id}/confirm"

	slot := e.slot(t, "aptype_gp15", start.Add(72*time.Hour))
	p := secretPatient(t)
	hold, err := e.c.Holds.Create(ctx, &connected.HoldParams{SlotID: slot.ID, Patient: &p})
	require.NoError(t, err)
	params := &connected.ConfirmParams{Patient: p, ExternalPaymentReference: "pi_safety"}

	// Failures before the booking: the server's 4xx, the SDK's refusals.
	_, err = e.c.Appointments.Confirm(ctx, hold.AppointmentID, "aht_wrong", params)
	keep(err)
	_, err = e.c.Appointments.Confirm(ctx, hold.AppointmentID, hold.HoldToken+"\r\nX-Evil: 1", params)
	keep(err)
	_, err = e.c.Appointments.Confirm(ctx, "../"+secretLast, hold.HoldToken, params)
	keep(err)
	bad := *params
	bad.Patient.Sex = "robot"
	_, err = e.c.Appointments.Confirm(ctx, hold.AppointmentID, hold.HoldToken, &bad)
	keep(err)
	bad = *params
	bad.Patient.Metadata = map[string]string{"dronline_x": secretEmail}
	_, err = e.c.Appointments.Confirm(ctx, hold.AppointmentID, hold.HoldToken, &bad)
	keep(err)
	_, err = e.c.Patients.Get(ctx, "pat_missing") // the server echoes an unknown id: ids are not patient data
	keep(err)

	// Faults: a 503 retried, a response lost after commit with no retry
	// left (ambiguous), then the replay.
	e.srv.InjectFault(connectedtest.Fault{Method: "POST", Path: confirmPath, Status: 503})
	e.srv.InjectFault(connectedtest.Fault{Method: "POST", Path: confirmPath, AfterHandler: true, Drop: true})
	_, err = e.c.Appointments.Confirm(ctx, hold.AppointmentID, hold.HoldToken, params, connected.WithMaxRetries(1))
	keep(err)
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr)
	require.True(t, apiErr.Ambiguous)
	appt, err := e.c.Appointments.Confirm(ctx, hold.AppointmentID, hold.HoldToken, params, connected.WithIdempotencyKey(apiErr.IdempotencyKey))
	require.NoError(t, err)

	// The rest of the flow, and its refusals.
	_, err = e.c.Appointments.Get(ctx, appt.ID)
	require.NoError(t, err)
	_, err = e.c.Patients.Get(ctx, appt.Patient.ID)
	require.NoError(t, err)
	next := e.slotNear(t, appt, time.Hour)
	_, err = e.c.Appointments.Reschedule(ctx, appt.ID, &connected.RescheduleParams{SlotID: next.ID})
	require.NoError(t, err)
	_, err = e.c.Appointments.Reschedule(ctx, appt.ID, &connected.RescheduleParams{SlotID: next.ID})
	keep(err)
	e.srv.InjectFault(connectedtest.Fault{Method: "POST", Path: "/connected/appointments/{appointment_id}/cancel", Status: 429, RetryAfter: "1"})
	_, err = e.c.Appointments.Cancel(ctx, appt.ID)
	require.NoError(t, err)
	_, err = e.c.Appointments.Cancel(ctx, appt.ID)
	keep(err)
	_, err = e.c.Holds.Create(ctx, &connected.HoldParams{SlotID: slot.ID, Patient: &p}, connected.WithIdempotencyKey("k\r\n"+secretPhone))
	keep(err)

	var text []string
	for _, err := range errs {
		text = append(text, err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
	}
	text = append(text, logs.String())
	require.NotEmpty(t, logs.lines(t), "the flow was logged")
	secrets := map[string]string{
		"API key": e.srv.APIKey(), "hold token": hold.HoldToken,
		"first name": secretFirst, "last name": secretLast, "email": secretEmail,
		"phone": secretPhone, "phone digits": secretPhone[1:], "date of birth": secretDOB,
	}
	for _, s := range text {
		for what, secret := range secrets {
			assert.NotContains(t, s, secret, "the %s leaked", what)
		}
	}
}
