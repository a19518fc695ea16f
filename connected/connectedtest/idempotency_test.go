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
	slotID := c.FirstSlot("")["id"].(string)
	key := header{K: "Idempotency-Key", V: "key-1"}
	first := c.Post("/connected/appointment_holds", map[string]any{"slot_id": slotID}, key)
	require.Equal(t, http.StatusOK, first.Status)
	assert.Empty(t, first.Header.Get("Idempotent-Replayed"))

	second := c.Post("/connected/appointment_holds", map[string]any{"slot_id": slotID}, key)
	require.Equal(t, http.StatusOK, second.Status, "a replay, not a second hold: %s", second.Raw)
	assert.Equal(t, first.Raw, second.Raw)
	assert.Equal(t, "true", second.Header.Get("Idempotent-Replayed"))
	assert.NotEqual(t, first.Header.Get("X-Request-Id"), second.Header.Get("X-Request-Id"))

	// Same key, other body: refused.
	other := c.Post("/connected/appointment_holds", map[string]any{"slot_id": slotID, "metadata": map[string]string{"x": "y"}}, key)
	require.Equal(t, http.StatusConflict, other.Status)
	code, _ := other.ErrCode(t)
	assert.Equal(t, "idempotency_key_reused", code)
	assert.Equal(t, "idempotency_error", other.Str("error", "type"))

	// Same key, other path: refused too.
	r := c.Post("/connected/slots/validate", map[string]any{"slot_id": slotID}, key)
	require.Equal(t, http.StatusConflict, r.Status)
	code, _ = r.ErrCode(t)
	assert.Equal(t, "idempotency_key_reused", code)

	// Keys are per credential.
	other2 := newClient(t, s, s.AddCredential())
	r = other2.Post("/connected/appointment_holds", map[string]any{"slot_id": slotID}, key)
	assert.Equal(t, http.StatusOK, r.Status)
	assert.Empty(t, r.Header.Get("Idempotent-Replayed"))

	// Kept 24 hours of fake time.
	s.Advance(24 * time.Hour)
	slot2 := c.FirstSlot("")["id"].(string)
	r = c.Post("/connected/appointment_holds", map[string]any{"slot_id": slot2}, key)
	assert.Equal(t, http.StatusOK, r.Status, "%s", r.Raw)
	assert.Empty(t, r.Header.Get("Idempotent-Replayed"))
}

func TestIdempotentErrorsAreReplayedToo(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	key := header{K: "Idempotency-Key", V: "k"}
	a := c.Post("/connected/appointment_holds", map[string]any{"slot_id": "slot_nope"}, key)
	b := c.Post("/connected/appointment_holds", map[string]any{"slot_id": "slot_nope"}, key)
	assert.Equal(t, http.StatusNotFound, b.Status)
	assert.Equal(t, a.Raw, b.Raw)
	assert.Equal(t, "true", b.Header.Get("Idempotent-Replayed"))
}

func TestIdempotencyKeyInUse(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	slotID := c.FirstSlot("")["id"].(string)
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
		done <- c.Post("/connected/appointment_holds", map[string]any{"slot_id": slotID}, header{K: "Idempotency-Key", V: "slow"})
	}()
	<-entered
	r := c.Post("/connected/appointment_holds", map[string]any{"slot_id": slotID}, header{K: "Idempotency-Key", V: "slow"})
	require.Equal(t, http.StatusConflict, r.Status)
	code, _ := r.ErrCode(t)
	assert.Equal(t, "idempotency_key_in_use", code)
	close(release)
	assert.Equal(t, http.StatusOK, (<-done).Status)
}

func TestIdempotencyDoesNotKeep5xx(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	slotID := c.FirstSlot("")["id"].(string)
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
	key := header{K: "Idempotency-Key", V: "retry-me"}
	r := c.Post("/connected/appointment_holds", map[string]any{"slot_id": slotID}, key)
	require.Equal(t, http.StatusServiceUnavailable, r.Status)
	r = c.Post("/connected/appointment_holds", map[string]any{"slot_id": slotID}, key)
	assert.Equal(t, http.StatusOK, r.Status, "the retry runs again: %s", r.Raw)
	assert.Empty(t, r.Header.Get("Idempotent-Replayed"))
}

func TestCommittedButLostConfirmIsReplayedOnRetry(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	h := c.Hold(c.FirstSlot("")["id"].(string), nil)
	s.InjectFault(Fault{Method: http.MethodPost, Path: "/connected/appointments/{appointment_id}/confirm", Status: http.StatusBadGateway, AfterHandler: true})
	key := header{K: "Idempotency-Key", V: "confirm-1"}
	r := c.Confirm(h, nil, key)
	require.Equal(t, http.StatusBadGateway, r.Status)
	require.Len(t, s.Appointments(s.APIKey()), 1, "the confirm was committed")

	r = c.Confirm(h, nil, key)
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Raw)
	assert.Equal(t, "true", r.Header.Get("Idempotent-Replayed"))
	apts := s.Appointments(s.APIKey())
	require.Len(t, apts, 1, "exactly one appointment")
	assert.Equal(t, apts[0].ID, r.Str("id"))

	// Without the key the retry is a second confirm: refused.
	r = c.Confirm(h, nil)
	code, _ := r.ErrCode(t)
	assert.Equal(t, "hold_already_confirmed", code)
}
