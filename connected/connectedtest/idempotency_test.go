package connectedtest

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIdempotentReplayIsByteForByte(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	slotID := c.firstSlot("")["id"].(string)
	key := header{"Idempotency-Key", "key-1"}
	first := c.post("/connected/appointment_holds", map[string]any{"slot_id": slotID}, key)
	require.Equal(t, http.StatusOK, first.status)
	assert.Empty(t, first.header.Get("Idempotent-Replayed"))

	second := c.post("/connected/appointment_holds", map[string]any{"slot_id": slotID}, key)
	require.Equal(t, http.StatusOK, second.status, "a replay, not a second hold: %s", second.raw)
	assert.Equal(t, first.raw, second.raw)
	assert.Equal(t, "true", second.header.Get("Idempotent-Replayed"))
	assert.NotEqual(t, first.header.Get("X-Request-Id"), second.header.Get("X-Request-Id"))

	// Same key, other body: refused.
	other := c.post("/connected/appointment_holds", map[string]any{"slot_id": slotID, "metadata": map[string]string{"x": "y"}}, key)
	require.Equal(t, http.StatusConflict, other.status)
	code, _ := other.errCode(t)
	assert.Equal(t, "idempotency_key_reused", code)
	assert.Equal(t, "idempotency_error", other.str("error", "type"))

	// Same key, other path: refused too.
	r := c.post("/connected/slots/validate", map[string]any{"slot_id": slotID}, key)
	require.Equal(t, http.StatusConflict, r.status)
	code, _ = r.errCode(t)
	assert.Equal(t, "idempotency_key_reused", code)

	// Keys are per credential.
	other2 := newClient(t, s, s.AddCredential())
	r = other2.post("/connected/appointment_holds", map[string]any{"slot_id": slotID}, key)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Empty(t, r.header.Get("Idempotent-Replayed"))

	// Kept 24 hours of fake time.
	s.Advance(24 * time.Hour)
	slot2 := c.firstSlot("")["id"].(string)
	r = c.post("/connected/appointment_holds", map[string]any{"slot_id": slot2}, key)
	assert.Equal(t, http.StatusOK, r.status, "%s", r.raw)
	assert.Empty(t, r.header.Get("Idempotent-Replayed"))
}

func TestIdempotentErrorsAreReplayedToo(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	key := header{"Idempotency-Key", "k"}
	a := c.post("/connected/appointment_holds", map[string]any{"slot_id": "slot_nope"}, key)
	b := c.post("/connected/appointment_holds", map[string]any{"slot_id": "slot_nope"}, key)
	assert.Equal(t, http.StatusNotFound, b.status)
	assert.Equal(t, a.raw, b.raw)
	assert.Equal(t, "true", b.header.Get("Idempotent-Replayed"))
}

func TestIdempotencyKeyInUse(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	slotID := c.firstSlot("")["id"].(string)
	entered, release := make(chan struct{}), make(chan struct{})
	s.mu.Lock()
	s.hook = func(_ http.ResponseWriter, r *http.Request) bool {
		if r.Header.Get("Idempotency-Key") == "slow" {
			close(entered)
			<-release
		}
		return false
	}
	s.mu.Unlock()
	done := make(chan *response)
	go func() {
		done <- c.post("/connected/appointment_holds", map[string]any{"slot_id": slotID}, header{"Idempotency-Key", "slow"})
	}()
	<-entered
	r := c.post("/connected/appointment_holds", map[string]any{"slot_id": slotID}, header{"Idempotency-Key", "slow"})
	require.Equal(t, http.StatusConflict, r.status)
	code, _ := r.errCode(t)
	assert.Equal(t, "idempotency_key_in_use", code)
	close(release)
	assert.Equal(t, http.StatusOK, (<-done).status)
}

func TestIdempotencyDoesNotKeep5xx(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	slotID := c.firstSlot("")["id"].(string)
	failures := 1
	s.mu.Lock()
	s.hook = func(w http.ResponseWriter, _ *http.Request) bool {
		if failures > 0 {
			failures--
			errorForStatus(http.StatusServiceUnavailable, "1").write(w)
			return true
		}
		return false
	}
	s.mu.Unlock()
	key := header{"Idempotency-Key", "retry-me"}
	r := c.post("/connected/appointment_holds", map[string]any{"slot_id": slotID}, key)
	require.Equal(t, http.StatusServiceUnavailable, r.status)
	r = c.post("/connected/appointment_holds", map[string]any{"slot_id": slotID}, key)
	assert.Equal(t, http.StatusOK, r.status, "the retry runs again: %s", r.raw)
	assert.Empty(t, r.header.Get("Idempotent-Replayed"))
}

func TestCommittedButLostConfirmIsReplayedOnRetry(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	h := c.hold(c.firstSlot("")["id"].(string), nil)
	s.InjectFault(Fault{Method: http.MethodPost, Path: "/connected/appointments/{appointment_id}/confirm", Status: http.StatusBadGateway, AfterHandler: true})
	key := header{"Idempotency-Key", "confirm-1"}
	r := c.confirm(h, nil, key)
	require.Equal(t, http.StatusBadGateway, r.status)
	require.Len(t, s.Appointments(s.APIKey()), 1, "the confirm was committed")

	r = c.confirm(h, nil, key)
	require.Equal(t, http.StatusOK, r.status, "%s", r.raw)
	assert.Equal(t, "true", r.header.Get("Idempotent-Replayed"))
	apts := s.Appointments(s.APIKey())
	require.Len(t, apts, 1, "exactly one appointment")
	assert.Equal(t, apts[0].ID, r.str("id"))

	// Without the key the retry is a second confirm: refused.
	r = c.confirm(h, nil)
	code, _ := r.errCode(t)
	assert.Equal(t, "hold_already_confirmed", code)
}
