package connectedtest

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCancel(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	start := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	a := c.BookAt(start)
	slotID := "slot_aptype_gp15.prac_ahmed." + itoa(start.Unix())
	assert.NotContains(t, c.Get("/connected/slots?limit=100&start_gte=2026-11-25T10:00:00Z&practitioner_id=prac_ahmed").IDs(), slotID)
	s.Advance(time.Hour)
	r := c.Post("/connected/appointments/"+a.Str("id")+"/cancel", nil)
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Raw)
	assert.Equal(t, "cancelled", r.Str("status"))
	assert.Equal(t, monday().Add(time.Hour).Format(time.RFC3339), r.Str("cancelled_at"))
	assert.Contains(t, c.Get("/connected/slots?limit=100&start_gte=2026-11-25T10:00:00Z&practitioner_id=prac_ahmed").IDs(), slotID, "freed")
	again := c.Post("/connected/appointments/"+a.Str("id")+"/cancel", nil)
	require.Equal(t, http.StatusConflict, again.Status)
	code, _ := again.ErrCode(t)
	assert.Equal(t, "appointment_already_cancelled", code)
	assert.Equal(t, "cancelled", c.Get("/connected/appointments/"+a.Str("id")).Str("status"))
	assert.Equal(t, http.StatusNotFound, c.Post("/connected/appointments/apt_nope/cancel", nil).Status)

	rs := c.Reschedule(a.Str("id"), start.Add(time.Hour), "aptype_gp15", "prac_ahmed")
	code, _ = rs.ErrCode(t)
	assert.Equal(t, "appointment_already_cancelled", code)
}

func TestReschedulePolicy(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	start := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC) // Wednesday, 50 h ahead
	a := c.BookAt(start)
	id := a.Str("id")

	expect := func(r *response, status int, code, param string) {
		t.Helper()
		require.Equal(t, status, r.Status, "%s", r.Raw)
		gotCode, gotParam := r.ErrCode(t)
		assert.Equal(t, code, gotCode)
		if param != "" {
			assert.Equal(t, param, gotParam)
		}
	}
	expect(c.Reschedule(id, start.Add(time.Hour), "aptype_gp30", "prac_ahmed"), http.StatusBadRequest, "parameter_invalid", "slot_id")
	expect(c.Reschedule(id, start.Add(-time.Hour), "aptype_gp15", "prac_chen"), http.StatusBadRequest, "parameter_invalid", "slot_id")
	expect(c.Reschedule(id, start.Add(49*time.Hour), "aptype_gp15", "prac_ahmed"), http.StatusConflict, "reschedule_outside_window", "")
	expect(c.Post("/connected/appointments/"+id+"/reschedule", map[string]any{"slot_id": "slot_nope"}), http.StatusNotFound, "resource_missing", "slot_id")
	other := c.BookAt(start.Add(2 * time.Hour))
	expect(c.Reschedule(id, start.Add(2*time.Hour), "aptype_gp15", "prac_ahmed"), http.StatusConflict, "slot_unavailable", "slot_id")

	s.Advance(time.Minute)
	newStart := start.Add(24 * time.Hour)
	r := c.Reschedule(id, newStart, "aptype_gp15", "prac_ahmed")
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Raw)
	assert.Equal(t, newStart.Format(time.RFC3339), r.Str("start"))
	assert.Equal(t, newStart.Add(15*time.Minute).Format(time.RFC3339), r.Str("end"))
	assert.Equal(t, start.Format(time.RFC3339), r.Str("original_start"))
	assert.EqualValues(t, 1, r.Get("reschedule_count"))
	assert.Equal(t, s.Now().Format(time.RFC3339), r.Str("rescheduled_at"))
	assert.Equal(t, "confirmed", r.Str("status"))
	assert.Contains(t, c.Get("/connected/slots?limit=100&practitioner_id=prac_ahmed&start_gte="+start.Format(time.RFC3339)).IDs(),
		"slot_aptype_gp15.prac_ahmed."+itoa(start.Unix()), "the old slot is freed")

	expect(c.Reschedule(id, newStart.Add(time.Hour), "aptype_gp15", "prac_ahmed"), http.StatusConflict, "reschedule_limit_reached", "")

	// Within 24 h of the current start.
	s.Advance(start.Add(2*time.Hour).Sub(s.Now()) - 23*time.Hour)
	expect(c.Reschedule(other.Str("id"), start.Add(3*time.Hour), "aptype_gp15", "prac_ahmed"), http.StatusConflict, "reschedule_too_late", "")
}
