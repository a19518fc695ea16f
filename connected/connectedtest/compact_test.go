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
func compactNow(c *client) {
	c.T.Helper()
	r := c.Post("/connected/appointment_holds", map[string]any{}, header{K: "Idempotency-Key", V: "compact-" + newID("")})
	require.Equal(c.T, http.StatusBadRequest, r.Status, "%s", r.Raw)
}

func TestExpiredHoldStillAnswersAfterCompaction(t *testing.T) {
	s := newTestServer(t, WithHoldTTL(5*time.Minute))
	c := newClient(t, s, s.APIKey())
	h := c.Hold(c.FirstSlot("appointment_type_id=aptype_gp15")["id"].(string), nil)
	expiresAt := h.Str("expires_at")

	s.Advance(5 * time.Minute)
	compactNow(c)
	pending, queued, busy, _ := s.state(s.APIKey())
	require.Zero(t, pending, "the expired hold is forgotten")
	require.Zero(t, queued)
	require.Zero(t, busy, "and its slot is no longer in the availability index")

	// A year later, the same answers as before compaction.
	s.Advance(365 * 24 * time.Hour)
	r := c.Confirm(h, nil)
	require.Equal(t, http.StatusConflict, r.Status, "%s", r.Raw)
	code, param := r.ErrCode(t)
	assert.Equal(t, "hold_expired", code)
	assert.Equal(t, "appointment_id", param)
	assert.Contains(t, r.Str("error", "message"), expiresAt, "the message names when the hold expired")

	wrong := c.Confirm(&response{Body: map[string]any{"appointment_id": h.Str("appointment_id"), "hold_token": "aht_wrong"}}, nil)
	require.Equal(t, http.StatusBadRequest, wrong.Status)
	code, _ = wrong.ErrCode(t)
	assert.Equal(t, "hold_token_invalid", code, "the token is still checked first")

	// Ids the credential never issued stay 404: another credential's
	// hold, a forged one of the right shape, a hold's own id.
	other := newClient(t, s, s.AddCredential())
	theirs := other.Hold(other.FirstSlot("")["id"].(string), nil)
	for _, id := range []string{
		theirs.Str("appointment_id"),
		h.Str("appointment_id")[:blockerIDLen-1] + flip(h.Str("appointment_id")[blockerIDLen-1]),
		h.Str("id"),
	} {
		r := c.Confirm(&response{Body: map[string]any{"appointment_id": id, "hold_token": h.Str("hold_token")}}, nil)
		require.Equal(t, http.StatusNotFound, r.Status, "%s: %s", id, r.Raw)
		code, _ := r.ErrCode(t)
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
	h := c.Hold(c.FirstSlot("")["id"].(string), nil)
	require.Equal(t, http.StatusOK, c.Confirm(h, nil).Status)
	s.Advance(48 * time.Hour)
	compactNow(c)
	pending, queued, _, _ := s.state(s.APIKey())
	require.Zero(t, pending)
	require.Zero(t, queued)
	r := c.Confirm(h, nil)
	require.Equal(t, http.StatusConflict, r.Status)
	code, _ := r.ErrCode(t)
	assert.Equal(t, "hold_already_confirmed", code)
}

func TestSlotIsFreedAfterHoldExpiry(t *testing.T) {
	s := newTestServer(t, WithHoldTTL(5*time.Minute))
	c := newClient(t, s, s.APIKey())
	slotID := c.FirstSlot("practitioner_id=prac_ahmed&appointment_type_id=aptype_gp30")["id"].(string)
	c.Hold(slotID, nil)
	s.Advance(5 * time.Minute)
	// Before anything compacts, the expired hold no longer blocks.
	v := c.Post("/connected/slots/validate", map[string]any{"slot_id": slotID})
	assert.Equal(t, true, v.Get("available"), "%s", v.Raw)
	compactNow(c)
	v = c.Post("/connected/slots/validate", map[string]any{"slot_id": slotID})
	assert.Equal(t, true, v.Get("available"), "%s", v.Raw)
	assert.Contains(t, c.Get("/connected/slots?limit=100&practitioner_id=prac_ahmed").IDs(), slotID)
	again := c.Hold(slotID, nil)
	_, _, busy, _ := s.state(s.APIKey())
	assert.Equal(t, 1, busy, "only the new hold blocks the slot")
	// The new hold blocks the slot and the overlapping 15-minute one.
	ts, err := time.Parse(time.RFC3339, again.Str("start"))
	require.NoError(t, err)
	r := c.Post("/connected/appointment_holds", map[string]any{"slot_id": "slot_aptype_gp15.prac_ahmed." + itoa(ts.Unix()+15*60)})
	require.Equal(t, http.StatusConflict, r.Status)
}

func TestIdempotentReplayWithinWindowAfterCompaction(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	early := header{K: "Idempotency-Key", V: "early"}
	first := c.Post("/connected/appointment_holds", map[string]any{"slot_id": c.FirstSlot("")["id"].(string)}, early)
	require.Equal(t, http.StatusOK, first.Status)

	s.Advance(12 * time.Hour)
	late := header{K: "Idempotency-Key", V: "late"}
	lateFirst := c.Post("/connected/appointment_holds", map[string]any{"slot_id": c.FirstSlot("")["id"].(string)}, late)
	require.Equal(t, http.StatusOK, lateFirst.Status, "%s", lateFirst.Raw)

	// 24 h after the first key, 12 h after the second: compaction forgets
	// the first and keeps the second, which still replays byte for byte.
	s.Advance(12 * time.Hour)
	compactNow(c)
	s.mu.Lock()
	_, earlyKept := s.creds[s.APIKey()].idem["early"]
	_, lateKept := s.creds[s.APIKey()].idem["late"]
	s.mu.Unlock()
	assert.False(t, earlyKept, "past its 24 h")
	assert.True(t, lateKept, "within its 24 h")

	replay := c.Post("/connected/appointment_holds", map[string]any{"slot_id": lateFirst.Str("slot_id")}, late)
	require.Equal(t, http.StatusOK, replay.Status)
	assert.Equal(t, "true", replay.Header.Get("Idempotent-Replayed"))
	assert.Equal(t, lateFirst.Raw, replay.Raw)

	// The forgotten key is new again.
	again := c.Post("/connected/appointment_holds", map[string]any{"slot_id": c.FirstSlot("")["id"].(string)}, early)
	require.Equal(t, http.StatusOK, again.Status, "%s", again.Raw)
	assert.Empty(t, again.Header.Get("Idempotent-Replayed"))
	assert.NotEqual(t, first.Str("id"), again.Str("id"))
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
		r := c.Post("/connected/appointment_holds", map[string]any{"slot_id": slotID}, header{K: "Idempotency-Key", V: "k" + itoa(int64(i))})
		require.Equal(t, http.StatusOK, r.Status, "%s", r.Raw)
	}
	pending, queued, busy, keys := s.state(s.APIKey())
	assert.LessOrEqual(t, pending, 10, "holds of the last 10 minutes")
	assert.LessOrEqual(t, queued, 10)
	assert.LessOrEqual(t, busy, 10)
	assert.LessOrEqual(t, keys, 24*60, "keys of the last 24 hours")
	assert.Greater(t, keys, 24*60-5)
}
