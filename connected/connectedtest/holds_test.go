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
	sl := c.firstSlot("practitioner_id=prac_ahmed&appointment_type_id=aptype_gp30")
	slotID := sl["id"].(string)

	h := c.hold(slotID, map[string]any{"metadata": map[string]string{"order_id": "ord_1"}})
	assert.True(t, strings.HasPrefix(h.str("id"), "hold_"))
	assert.True(t, strings.HasPrefix(h.str("appointment_id"), "apt_blk_"))
	assert.NotEqual(t, h.str("id"), h.str("appointment_id"))
	assert.True(t, strings.HasPrefix(h.str("hold_token"), "aht_"))
	assert.GreaterOrEqual(t, len(h.str("hold_token")), 20, "unguessable")
	assert.Equal(t, slotID, h.str("slot_id"))
	assert.Equal(t, monday().Add(5*time.Minute).Format(time.RFC3339), h.str("expires_at"))
	assert.Nil(t, h.get("patient_id"))
	assert.Equal(t, "ord_1", h.str("metadata", "order_id"))

	// Gone from the list, along with the overlapping 15-minute slot of the
	// same practitioner (another type); the other practitioner's 15-minute
	// slot at the same time stays.
	ids := c.get("/connected/slots?limit=100&practitioner_id=prac_ahmed").ids()
	assert.NotContains(t, ids, slotID)
	start := sl["start"].(string)
	ts, _ := time.Parse(time.RFC3339, start)
	overlapping := "slot_aptype_gp15.prac_ahmed." + itoa(ts.Unix()+15*60)
	assert.NotContains(t, ids, overlapping)
	assert.Contains(t, ids, "slot_aptype_gp15.prac_ahmed."+itoa(ts.Unix()+30*60))

	r := c.post("/connected/appointment_holds", map[string]any{"slot_id": slotID})
	assert.Equal(t, http.StatusConflict, r.status)
	code, param := r.errCode(t)
	assert.Equal(t, "slot_unavailable", code)
	assert.Equal(t, "slot_id", param)

	v := c.post("/connected/slots/validate", map[string]any{"slot_id": slotID})
	require.Equal(t, http.StatusOK, v.status)
	assert.Equal(t, false, v.get("available"))
	assert.Equal(t, "slot_held", v.str("reason"))
	assert.Equal(t, slotID, v.str("slot", "id"))

	s.Advance(5 * time.Minute)
	assert.Contains(t, c.get("/connected/slots?limit=100&practitioner_id=prac_ahmed&start_gte="+start).ids(), slotID)
	v = c.post("/connected/slots/validate", map[string]any{"slot_id": slotID})
	assert.Equal(t, true, v.get("available"))
	assert.Nil(t, v.get("reason"))
	c.hold(slotID, nil)
}

func TestHoldUnknownSlotIs404(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	for _, id := range []string{"slot_nope", "slot_aptype_gp15.prac_baker." + itoa(monday().Add(2*time.Hour).Unix()), "slot_aptype_gp15.prac_ahmed." + itoa(monday().Add(time.Hour+time.Minute).Unix())} {
		r := c.post("/connected/appointment_holds", map[string]any{"slot_id": id})
		require.Equal(t, http.StatusNotFound, r.status, id)
		code, param := r.errCode(t)
		assert.Equal(t, "resource_missing", code)
		assert.Equal(t, "slot_id", param)
	}
	r := c.post("/connected/appointment_holds", map[string]any{})
	assert.Equal(t, http.StatusBadRequest, r.status)
	code, param := r.errCode(t)
	assert.Equal(t, "parameter_missing", code)
	assert.Equal(t, "slot_id", param)
}

func TestHoldWithPatientLinksIt(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	h := c.hold(c.firstSlot("")["id"].(string), map[string]any{"patient": patient("pat@example.com")})
	pid := h.str("patient_id")
	require.True(t, strings.HasPrefix(pid, "pat_"))
	p := c.get("/connected/patients/" + pid)
	require.Equal(t, http.StatusOK, p.status)
	assert.Equal(t, "pat@example.com", p.str("email"))
	assert.Equal(t, "1986-04-12", p.str("date_of_birth"))
}

func TestValidateSlotReasons(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	// The Friday before the clock's Monday: on the grid, but past.
	friday := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	v := c.post("/connected/slots/validate", map[string]any{"slot_id": "slot_aptype_gp15.prac_ahmed." + itoa(friday.Unix())})
	assert.Equal(t, "slot_in_past", v.str("reason"))
	assert.Equal(t, false, v.get("available"))

	v = c.post("/connected/slots/validate", map[string]any{"slot_id": "slot_unknown"})
	assert.Equal(t, "slot_not_found", v.str("reason"))
	assert.Nil(t, v.get("slot"))
	assert.Equal(t, "slot_unknown", v.str("id"))

	b := c.book("appointment_type_id=aptype_gp15&practitioner_id=prac_ahmed")
	st, _ := time.Parse(time.RFC3339, b.str("start"))
	v = c.post("/connected/slots/validate", map[string]any{"slot_id": "slot_aptype_gp15.prac_ahmed." + itoa(st.Unix())})
	assert.Equal(t, "slot_booked", v.str("reason"))
}

func TestConcurrentHoldsExactlyOneWins(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	slotID := c.firstSlot("")["id"].(string)
	const n = 50
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i] = c.post("/connected/appointment_holds", map[string]any{"slot_id": slotID}).status
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
