package connected_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/gen"
)

// The SDK builds its requests with gen's builders, which resolve a path
// id of "." or ".." into another resource's path: ".." as an appointment
// id would GET the appointment list's parent. Every method that takes an
// id refuses one before the builder sees it, naming the parameter, and
// nothing is sent.
func TestDotSegmentIDsAreRefusedBeforeBuilding(t *testing.T) {
	for id, path := range map[string]string{"..": "/v1/connected/", ".": "/v1/connected/appointments/"} {
		req, err := gen.NewGetAppointmentRequest("http://127.0.0.1:8080/v1/", id)
		require.NoError(t, err)
		assert.Equal(t, path, req.URL.Path, "gen's builder resolves %q: the refusal below is what stops it", id)
	}

	s := newCanned(t)
	s.answer(200, "application/json", []byte(`{}`))
	c := s.client(t)
	ctx := context.Background()
	params := &connected.ConfirmParams{Patient: patient(), ExternalPaymentReference: "pi_1"}
	for _, id := range []string{".", ".."} {
		for _, m := range []struct {
			name, param string
			call        func() error
		}{
			{"Appointments.Get", "appointment_id", func() error { _, err := c.Appointments.Get(ctx, id); return err }},
			{"Appointments.Cancel", "appointment_id", func() error { _, err := c.Appointments.Cancel(ctx, id); return err }},
			{"Appointments.Reschedule", "appointment_id", func() error {
				_, err := c.Appointments.Reschedule(ctx, id, &connected.RescheduleParams{SlotID: "slot_1"})
				return err
			}},
			{"Appointments.Confirm", "appointment_id", func() error { _, err := c.Appointments.Confirm(ctx, id, "aht_1", params); return err }},
			{"Questionnaires.GetForAppointment", "appointment_id", func() error { _, err := c.Questionnaires.GetForAppointment(ctx, id); return err }},
			{"Patients.Get", "patient_id", func() error { _, err := c.Patients.Get(ctx, id); return err }},
			{"Questionnaires.Get", "questionnaire_id", func() error { _, err := c.Questionnaires.Get(ctx, id); return err }},
		} {
			var e *connected.Error
			require.True(t, errors.As(m.call(), &e), "%s(%q)", m.name, id)
			assert.Equal(t, connected.ErrorCodeParameterInvalid, e.Code, "%s(%q)", m.name, id)
			assert.Equal(t, m.param, e.Param, "%s(%q)", m.name, id)
		}
	}
	assert.Zero(t, s.count.Load(), "nothing was sent")
}
