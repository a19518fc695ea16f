package connectedtest

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHoldLocksSlotUntilExpiry(t *testing.T) {
	s := newTestServer(t, WithHoldTTL(5*time.Minute))
	c := newClient(t, s, s.APIKey())
	sl := c.FirstSlot("practitioner_id=prac_ahmed&appointment_type_id=aptype_gp30")
	slotID := sl["id"].(string)

	h := c.Hold(slotID, map[string]any{"metadata": map[string]string{"order_id": "ord_1"}})
	assert.True(t, strings.HasPrefix(h.Str("id"), "hold_"))
	assert.True(t, strings.HasPrefix(h.Str("appointment_id"), "apt_blk_"))
	assert.NotEqual(t, h.Str("id"), h.Str("appointment_id"))
	assert.True(t, strings.HasPrefix(h.Str("hold_token"), "aht_"))
	assert.GreaterOrEqual(t, len(h.Str("hold_token")), 20, "unguessable")
	assert.Equal(t, slotID, h.Str("slot_id"))
	assert.Equal(t, monday().Add(5*time.Minute).Format(time.RFC3339), h.Str("expires_at"))
	assert.Nil(t, h.Get("patient_id"))
	assert.Equal(t, "ord_1", h.Str("metadata", "order_id"))

	// Gone from the list, along with the overlapping 15-minute slot of the
	// same practitioner (another type); the other practitioner's 15-minute
	// slot at the same time stays.
	ids := c.Get("/connected/slots?limit=100&practitioner_id=prac_ahmed").IDs()
	assert.NotContains(t, ids, slotID)
	start := sl["start"].(string)
	ts, _ := time.Parse(time.RFC3339, start)
	overlapping := "slot_aptype_gp15.prac_ahmed." + itoa(ts.Unix()+15*60)
	assert.NotContains(t, ids, overlapping)
	assert.Contains(t, ids, "slot_aptype_gp15.prac_ahmed."+itoa(ts.Unix()+30*60))

	r := c.Post("/connected/appointment_holds", map[string]any{"slot_id": slotID})
	assert.Equal(t, http.StatusConflict, r.Status)
	code, param := r.ErrCode(t)
	assert.Equal(t, "slot_unavailable", code)
	assert.Equal(t, "slot_id", param)

	v := c.Post("/connected/slots/validate", map[string]any{"slot_id": slotID})
	require.Equal(t, http.StatusOK, v.Status)
	assert.Equal(t, false, v.Get("available"))
	assert.Equal(t, "slot_held", v.Str("reason"))
	assert.Equal(t, slotID, v.Str("slot", "id"))

	s.Advance(5 * time.Minute)
	assert.Contains(t, c.Get("/connected/slots?limit=100&practitioner_id=prac_ahmed&start_gte="+start).IDs(), slotID)
	v = c.Post("/connected/slots/validate", map[string]any{"slot_id": slotID})
	assert.Equal(t, true, v.Get("available"))
	assert.Nil(t, v.Get("reason"))
	c.Hold(slotID, nil)
}

func TestHoldUnknownSlotIs404(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	for _, id := range []string{"slot_nope", "slot_aptype_gp15.prac_baker." + itoa(monday().Add(2*time.Hour).Unix()), "slot_aptype_gp15.prac_ahmed." + itoa(monday().Add(time.Hour+time.Minute).Unix())} {
		r := c.Post("/connected/appointment_holds", map[string]any{"slot_id": id})
		require.Equal(t, http.StatusNotFound, r.Status, id)
		code, param := r.ErrCode(t)
		assert.Equal(t, "resource_missing", code)
		assert.Equal(t, "slot_id", param)
	}
	r := c.Post("/connected/appointment_holds", map[string]any{})
	assert.Equal(t, http.StatusBadRequest, r.Status)
	code, param := r.ErrCode(t)
	assert.Equal(t, "parameter_missing", code)
	assert.Equal(t, "slot_id", param)
}

func TestHoldWithPatientLinksIt(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	h := c.Hold(c.FirstSlot("")["id"].(string), map[string]any{"patient": patient("pat@example.com")})
	pid := h.Str("patient_id")
	require.True(t, strings.HasPrefix(pid, "pat_"))
	p := c.Get("/connected/patients/" + pid)
	require.Equal(t, http.StatusOK, p.Status)
	assert.Equal(t, "pat@example.com", p.Str("email"))
	assert.Equal(t, "1986-04-12", p.Str("date_of_birth"))
}

func TestValidateSlotReasons(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	// The Friday before the clock's Monday: on the grid, but past.
	friday := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	v := c.Post("/connected/slots/validate", map[string]any{"slot_id": "slot_aptype_gp15.prac_ahmed." + itoa(friday.Unix())})
	assert.Equal(t, "slot_in_past", v.Str("reason"))
	assert.Equal(t, false, v.Get("available"))

	v = c.Post("/connected/slots/validate", map[string]any{"slot_id": "slot_unknown"})
	assert.Equal(t, "slot_not_found", v.Str("reason"))
	assert.Nil(t, v.Get("slot"))
	assert.Equal(t, "slot_unknown", v.Str("id"))

	b := c.Book("appointment_type_id=aptype_gp15&practitioner_id=prac_ahmed")
	st, _ := time.Parse(time.RFC3339, b.Str("start"))
	v = c.Post("/connected/slots/validate", map[string]any{"slot_id": "slot_aptype_gp15.prac_ahmed." + itoa(st.Unix())})
	assert.Equal(t, "slot_booked", v.Str("reason"))
}

func TestConcurrentHoldsExactlyOneWins(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	slotID := c.FirstSlot("")["id"].(string)
	const n = 50
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i] = c.Post("/connected/appointment_holds", map[string]any{"slot_id": slotID}).Status
		}()
	}
	close(start)
	wg.Wait()
	won := 0
	for _, st := range statuses {
		if st == http.StatusOK {
			won++
		} else {
			assert.Equal(t, http.StatusConflict, st)
		}
	}
	assert.Equal(t, 1, won)
}
