package connected_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/api"
	"github.com/dronline/connected-go/connected"
)

// Each method's operation comes from the generated op<Operation>, with the
// contract's method and path template; each must use its own. Every method
// is called once and must log exactly its route, and every route logged
// must be the contract's. (An operation the contract adds has no method
// yet, and is reached through Client.Do.)
func TestEveryMethodLogsItsContractPath(t *testing.T) {
	srv, _ := exampleServer()
	defer srv.Close()
	var logs lockedBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := connected.NewClient(srv.APIKey(), connected.WithBaseURL(srv.URL()), connected.WithLogger(logger), connected.WithMaxRetries(0))
	require.NoError(t, err)
	ctx := context.Background()

	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(api.Spec(), &doc))
	contract := map[string]bool{}
	for path, item := range doc.Paths {
		for method := range item {
			contract[strings.ToUpper(method)+" "+path] = true
		}
	}

	// Errors are fine: a refused call is logged with its route all the same.
	calls := []struct {
		route string
		call  func()
	}{
		{"GET /connected/account", func() { _, _ = c.Account.Get(ctx) }},
		{"GET /connected/appointment_types", func() { _, _ = c.AppointmentTypes.List(ctx, nil) }},
		{"GET /connected/practitioners", func() { _, _ = c.Practitioners.List(ctx, nil) }},
		{"GET /connected/slots", func() { _, _ = c.Slots.List(ctx, nil) }},
		{"POST /connected/slots/validate", func() { _, _ = c.Slots.Validate(ctx, &connected.SlotValidateParams{SlotID: "slot_x"}) }},
		{"POST /connected/appointment_holds", func() { _, _ = c.Holds.Create(ctx, &connected.HoldParams{SlotID: "slot_x"}) }},
		{"POST /connected/appointments/{appointment_id}/confirm", func() {
			_, _ = c.Appointments.Confirm(ctx, "apt_x", "aht_x", confirmParams("paths"))
		}},
		{"GET /connected/appointments/{appointment_id}", func() { _, _ = c.Appointments.Get(ctx, "apt_x") }},
		{"GET /connected/appointments", func() { _, _ = c.Appointments.List(ctx, nil) }},
		{"POST /connected/appointments/{appointment_id}/cancel", func() { _, _ = c.Appointments.Cancel(ctx, "apt_x") }},
		{"POST /connected/appointments/{appointment_id}/reschedule", func() {
			_, _ = c.Appointments.Reschedule(ctx, "apt_x", &connected.RescheduleParams{SlotID: "slot_x"})
		}},
		{"GET /connected/patients/{patient_id}", func() { _, _ = c.Patients.Get(ctx, "pat_x") }},
		{"GET /connected/questionnaires/{questionnaire_id}", func() { _, _ = c.Questionnaires.Get(ctx, "qst_x") }},
		{"GET /connected/appointments/{appointment_id}/questionnaire", func() { _, _ = c.Questionnaires.GetForAppointment(ctx, "apt_x") }},
	}
	for _, tc := range calls {
		logs.Reset()
		tc.call()
		logged := map[string]bool{}
		for _, l := range logs.lines(t) {
			if m, ok := l["method"].(string); ok {
				logged[m+" "+l["path"].(string)] = true
			}
		}
		assert.Equal(t, []string{tc.route}, slices.Sorted(maps.Keys(logged)), "the call expected to log %s", tc.route)
		assert.True(t, contract[tc.route], "%s is not an operation of the contract", tc.route)
	}
}
