package connectedtest

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bookAt books prac_ahmed's gp15 slot at start.
func (c *client) bookAt(start time.Time) *response {
	c.t.Helper()
	h := c.hold("slot_aptype_gp15.prac_ahmed."+itoa(start.Unix()), nil)
	r := c.confirm(h, nil)
	require.Equal(c.t, http.StatusOK, r.status, "%s", r.raw)
	return r
}

func reschedule(c *client, id string, start time.Time, typ, prac string) *response {
	return c.post("/connected/appointments/"+id+"/reschedule", map[string]any{"slot_id": "slot_" + typ + "." + prac + "." + itoa(start.Unix())})
}

func TestCancel(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	start := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	a := c.bookAt(start)
	slotID := "slot_aptype_gp15.prac_ahmed." + itoa(start.Unix())
	assert.NotContains(t, c.get("/connected/slots?limit=100&start_gte=2026-11-25T10:00:00Z&practitioner_id=prac_ahmed").ids(), slotID)
	s.Advance(time.Hour)
	r := c.post("/connected/appointments/"+a.str("id")+"/cancel", nil)
	require.Equal(t, http.StatusOK, r.status, "%s", r.raw)
	assert.Equal(t, "cancelled", r.str("status"))
	assert.Equal(t, monday().Add(time.Hour).Format(time.RFC3339), r.str("cancelled_at"))
	assert.Contains(t, c.get("/connected/slots?limit=100&start_gte=2026-11-25T10:00:00Z&practitioner_id=prac_ahmed").ids(), slotID, "freed")
	again := c.post("/connected/appointments/"+a.str("id")+"/cancel", nil)
	require.Equal(t, http.StatusConflict, again.status)
	code, _ := again.errCode(t)
	assert.Equal(t, "appointment_already_cancelled", code)
	assert.Equal(t, "cancelled", c.get("/connected/appointments/"+a.str("id")).str("status"))
	assert.Equal(t, http.StatusNotFound, c.post("/connected/appointments/apt_nope/cancel", nil).status)

	rs := reschedule(c, a.str("id"), start.Add(time.Hour), "aptype_gp15", "prac_ahmed")
	code, _ = rs.errCode(t)
	assert.Equal(t, "appointment_already_cancelled", code)
}

func TestReschedulePolicy(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	start := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC) // Wednesday, 50 h ahead
	a := c.bookAt(start)
	id := a.str("id")

	expect := func(r *response, status int, code, param string) {
		t.Helper()
		require.Equal(t, status, r.status, "%s", r.raw)
		gotCode, gotParam := r.errCode(t)
		assert.Equal(t, code, gotCode)
		if param != "" {
			assert.Equal(t, param, gotParam)
		}
	}
	expect(reschedule(c, id, start.Add(time.Hour), "aptype_gp30", "prac_ahmed"), http.StatusBadRequest, "parameter_invalid", "slot_id")
	expect(reschedule(c, id, start.Add(-time.Hour), "aptype_gp15", "prac_chen"), http.StatusBadRequest, "parameter_invalid", "slot_id")
	expect(reschedule(c, id, start.Add(49*time.Hour), "aptype_gp15", "prac_ahmed"), http.StatusConflict, "reschedule_outside_window", "")
	expect(c.post("/connected/appointments/"+id+"/reschedule", map[string]any{"slot_id": "slot_nope"}), http.StatusNotFound, "resource_missing", "slot_id")
	other := c.bookAt(start.Add(2 * time.Hour))
	expect(reschedule(c, id, start.Add(2*time.Hour), "aptype_gp15", "prac_ahmed"), http.StatusConflict, "slot_unavailable", "slot_id")

	s.Advance(time.Minute)
	newStart := start.Add(24 * time.Hour)
	r := reschedule(c, id, newStart, "aptype_gp15", "prac_ahmed")
	require.Equal(t, http.StatusOK, r.status, "%s", r.raw)
	assert.Equal(t, newStart.Format(time.RFC3339), r.str("start"))
	assert.Equal(t, newStart.Add(15*time.Minute).Format(time.RFC3339), r.str("end"))
	assert.Equal(t, start.Format(time.RFC3339), r.str("original_start"))
	assert.EqualValues(t, 1, r.get("reschedule_count"))
	assert.Equal(t, s.Now().Format(time.RFC3339), r.str("rescheduled_at"))
	assert.Equal(t, "confirmed", r.str("status"))
	assert.Contains(t, c.get("/connected/slots?limit=100&practitioner_id=prac_ahmed&start_gte="+start.Format(time.RFC3339)).ids(),
		"slot_aptype_gp15.prac_ahmed."+itoa(start.Unix()), "the old slot is freed")

	expect(reschedule(c, id, newStart.Add(time.Hour), "aptype_gp15", "prac_ahmed"), http.StatusConflict, "reschedule_limit_reached", "")

	// Within 24 h of the current start.
	s.Advance(start.Add(2*time.Hour).Sub(s.Now()) - 23*time.Hour)
	expect(reschedule(c, other.str("id"), start.Add(3*time.Hour), "aptype_gp15", "prac_ahmed"), http.StatusConflict, "reschedule_too_late", "")
}
