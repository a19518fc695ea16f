package connectedtest

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// state reports how much short-lived state a credential still keeps.
func (s *Server) state(key string) (pendingHolds, queuedHolds, busy, idemKeys int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.creds[key]
	for _, set := range c.busy.byPrac {
		busy += set.Len()
	}
	return len(c.holds), c.holdExpiry.len(), busy, len(c.idem)
}

// compactNow makes a write that compacts: a hold refused for a missing
// slot_id still runs the idempotency layer's compaction.
func (c *client) compactNow() {
	c.t.Helper()
	r := c.post("/connected/appointment_holds", map[string]any{}, header{"Idempotency-Key", "compact-" + newID("")})
	require.Equal(c.t, http.StatusBadRequest, r.status, "%s", r.raw)
}

func TestExpiredHoldStillAnswersAfterCompaction(t *testing.T) {
	s := newTestServer(t, WithHoldTTL(5*time.Minute))
	c := newClient(t, s, s.APIKey())
	h := c.hold(c.firstSlot("appointment_type_id=aptype_gp15")["id"].(string), nil)
	expiresAt := h.str("expires_at")

	s.Advance(5 * time.Minute)
	c.compactNow()
	pending, queued, busy, _ := s.state(s.APIKey())
	require.Zero(t, pending, "the expired hold is forgotten")
	require.Zero(t, queued)
	require.Zero(t, busy, "and its slot is no longer in the availability index")

	// A year later, the same answers as before compaction.
	s.Advance(365 * 24 * time.Hour)
	r := c.confirm(h, nil)
	require.Equal(t, http.StatusConflict, r.status, "%s", r.raw)
	code, param := r.errCode(t)
	assert.Equal(t, "hold_expired", code)
	assert.Equal(t, "appointment_id", param)
	assert.Contains(t, r.str("error", "message"), expiresAt, "the message names when the hold expired")

	wrong := c.confirm(&response{body: map[string]any{"appointment_id": h.str("appointment_id"), "hold_token": "aht_wrong"}}, nil)
	require.Equal(t, http.StatusBadRequest, wrong.status)
	code, _ = wrong.errCode(t)
	assert.Equal(t, "hold_token_invalid", code, "the token is still checked first")

	// Ids the credential never issued stay 404: another credential's
	// hold, a forged one of the right shape, a hold's own id.
	other := newClient(t, s, s.AddCredential())
	theirs := other.hold(other.firstSlot("")["id"].(string), nil)
	for _, id := range []string{
		theirs.str("appointment_id"),
		h.str("appointment_id")[:blockerIDLen-1] + flip(h.str("appointment_id")[blockerIDLen-1]),
		h.str("id"),
	} {
		r := c.confirm(&response{body: map[string]any{"appointment_id": id, "hold_token": h.str("hold_token")}}, nil)
		require.Equal(t, http.StatusNotFound, r.status, "%s: %s", id, r.raw)
		code, _ := r.errCode(t)
		assert.Equal(t, "resource_missing", code)
	}
	assert.Empty(t, s.Appointments(s.APIKey()))
}

// flip returns another base62 character than b.
func flip(b byte) string {
	if b == '0' {
		return "1"
	}
	return "0"
}

func TestConfirmedHoldStillAnswersAlreadyConfirmedAfterCompaction(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	h := c.hold(c.firstSlot("")["id"].(string), nil)
	require.Equal(t, http.StatusOK, c.confirm(h, nil).status)
	s.Advance(48 * time.Hour)
	c.compactNow()
	pending, queued, _, _ := s.state(s.APIKey())
	require.Zero(t, pending)
	require.Zero(t, queued)
	r := c.confirm(h, nil)
	require.Equal(t, http.StatusConflict, r.status)
	code, _ := r.errCode(t)
	assert.Equal(t, "hold_already_confirmed", code)
}

func TestSlotIsFreedAfterHoldExpiry(t *testing.T) {
	s := newTestServer(t, WithHoldTTL(5*time.Minute))
	c := newClient(t, s, s.APIKey())
	slotID := c.firstSlot("practitioner_id=prac_ahmed&appointment_type_id=aptype_gp30")["id"].(string)
	c.hold(slotID, nil)
	s.Advance(5 * time.Minute)
	// Before anything compacts, the expired hold no longer blocks.
	v := c.post("/connected/slots/validate", map[string]any{"slot_id": slotID})
	assert.Equal(t, true, v.get("available"), "%s", v.raw)
	c.compactNow()
	v = c.post("/connected/slots/validate", map[string]any{"slot_id": slotID})
	assert.Equal(t, true, v.get("available"), "%s", v.raw)
	assert.Contains(t, c.get("/connected/slots?limit=100&practitioner_id=prac_ahmed").ids(), slotID)
	again := c.hold(slotID, nil)
	_, _, busy, _ := s.state(s.APIKey())
	assert.Equal(t, 1, busy, "only the new hold blocks the slot")
	// The new hold blocks the slot and the overlapping 15-minute one.
	ts, err := time.Parse(time.RFC3339, again.str("start"))
	require.NoError(t, err)
	r := c.post("/connected/appointment_holds", map[string]any{"slot_id": "slot_aptype_gp15.prac_ahmed." + itoa(ts.Unix()+15*60)})
	require.Equal(t, http.StatusConflict, r.status)
}

func TestIdempotentReplayWithinWindowAfterCompaction(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	early := header{"Idempotency-Key", "early"}
	first := c.post("/connected/appointment_holds", map[string]any{"slot_id": c.firstSlot("")["id"].(string)}, early)
	require.Equal(t, http.StatusOK, first.status)

	s.Advance(12 * time.Hour)
	late := header{"Idempotency-Key", "late"}
	lateFirst := c.post("/connected/appointment_holds", map[string]any{"slot_id": c.firstSlot("")["id"].(string)}, late)
	require.Equal(t, http.StatusOK, lateFirst.status, "%s", lateFirst.raw)

	// 24 h after the first key, 12 h after the second: compaction forgets
	// the first and keeps the second, which still replays byte for byte.
	s.Advance(12 * time.Hour)
	c.compactNow()
	s.mu.Lock()
	_, earlyKept := s.creds[s.APIKey()].idem["early"]
	_, lateKept := s.creds[s.APIKey()].idem["late"]
	s.mu.Unlock()
	assert.False(t, earlyKept, "past its 24 h")
	assert.True(t, lateKept, "within its 24 h")

	replay := c.post("/connected/appointment_holds", map[string]any{"slot_id": lateFirst.str("slot_id")}, late)
	require.Equal(t, http.StatusOK, replay.status)
	assert.Equal(t, "true", replay.header.Get("Idempotent-Replayed"))
	assert.Equal(t, lateFirst.raw, replay.raw)

	// The forgotten key is new again.
	again := c.post("/connected/appointment_holds", map[string]any{"slot_id": c.firstSlot("")["id"].(string)}, early)
	require.Equal(t, http.StatusOK, again.status, "%s", again.raw)
	assert.Empty(t, again.header.Get("Idempotent-Replayed"))
	assert.NotEqual(t, first.str("id"), again.str("id"))
}

// A server written to for days keeps only the holds and keys still live,
// however many it has served.
func TestShortLivedStateStaysBounded(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithHoldTTL(10*time.Minute), WithStartTime(scaleStart()), WithCatalogue(scaleCatalogue()))
	c := newClient(t, s, s.APIKey())
	const holds, every = 3000, time.Minute // 50 hours of fake time
	for i := range holds {
		s.Advance(every)
		start := s.Now().Add(48 * time.Hour).Truncate(scaleDur)
		slotID := slot{typeID: scaleType, pracID: scalePrac(i % scalePracs), start: start}.id()
		r := c.post("/connected/appointment_holds", map[string]any{"slot_id": slotID}, header{"Idempotency-Key", "k" + itoa(int64(i))})
		require.Equal(t, http.StatusOK, r.status, "%s", r.raw)
	}
	pending, queued, busy, keys := s.state(s.APIKey())
	assert.LessOrEqual(t, pending, 10, "holds of the last 10 minutes")
	assert.LessOrEqual(t, queued, 10)
	assert.LessOrEqual(t, busy, 10)
	assert.LessOrEqual(t, keys, 24*60, "keys of the last 24 hours")
	assert.Greater(t, keys, 24*60-5)
}
