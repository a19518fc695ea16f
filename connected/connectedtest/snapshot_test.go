package connectedtest

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A server started from another's snapshot answers as that server would:
// the same credentials, appointments, holds, patients and replays, and a
// snapshot of its own equal to the one it started from.
func TestSnapshotRestoresAServer(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	live := s.AddCredential(WithLiveKey())
	derm := c.Hold(c.FirstSlot("appointment_type_id=aptype_derm20")["id"].(string), nil)
	booked := c.Confirm(derm, nil, header{K: "Idempotency-Key", V: "k1"})
	require.Equal(t, http.StatusOK, booked.Status, "%s", booked.Raw)
	pending := c.Hold(c.FirstSlot("appointment_type_id=aptype_gp30")["id"].(string), nil)
	s.Advance(time.Minute)

	snap := s.Snapshot()
	require.Len(t, snap.Credentials, 2)
	assert.Equal(t, time.Minute, snap.ClockOffset)
	assert.Equal(t, s.Credentials()[0], snap.Credentials[0].Credential)
	assert.True(t, snap.Credentials[1].Live)
	assert.Len(t, snap.Credentials[0].IdempotencyKeys, 1)

	r := newTestServer(t, WithSnapshot(snap))
	assert.Equal(t, s.APIKey(), r.APIKey())
	assert.Equal(t, s.Credentials(), r.Credentials())
	assert.Equal(t, s.Now(), r.Now())
	assert.Equal(t, time.Minute, r.ClockOffset())
	assert.Equal(t, s.Appointments(s.APIKey()), r.Appointments(r.APIKey()))
	assert.Equal(t, s.Holds(s.APIKey()), r.Holds(r.APIKey()))
	assert.Equal(t, snap, r.Snapshot())
	assert.Empty(t, r.Appointments(live))

	rc := newClient(t, r, r.APIKey())
	confirmed := rc.Confirm(pending, nil)
	require.Equal(t, http.StatusOK, confirmed.Status, "the hold made before confirms after: %s", confirmed.Raw)
	again := rc.Confirm(derm, nil, header{K: "Idempotency-Key", V: "k1"})
	assert.Equal(t, "true", again.Header.Get("Idempotent-Replayed"), "the key replays")
	assert.Equal(t, booked.Str("id"), again.Str("id"))
}

func TestSnapshotHoldExpiry(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	h := c.Hold(c.FirstSlot("")["id"].(string), nil)
	cs := s.Snapshot().Credentials[0]
	at, ok := cs.HoldExpiry(h.Str("appointment_id"))
	assert.True(t, ok)
	assert.Equal(t, monday().Add(10*time.Minute), at)
	s.AddCredential()
	_, ok = s.Snapshot().Credentials[1].HoldExpiry(h.Str("appointment_id"))
	assert.False(t, ok, "another credential's secret")
	_, ok = cs.HoldExpiry("apt_blk_nothing")
	assert.False(t, ok)
}

func TestWithSnapshotRefusesWhatDoesNotFit(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	c.Book("appointment_type_id=aptype_gp15")
	assert.PanicsWithValue(t, "connectedtest: WithSnapshot and WithCatalogue both given: the snapshot holds the default credential's catalogue", func() {
		NewServer(WithSnapshot(s.Snapshot()), WithCatalogue(DefaultCatalogue()))
	})
	assert.Panics(t, func() { NewServer(WithSnapshot(&Snapshot{})) }, "no credential")
	noPatient := s.Snapshot()
	noPatient.Credentials[0].Patients = nil
	assert.Panics(t, func() { NewServer(WithSnapshot(noPatient)) }, "an appointment's patient")
	shortSecret := s.Snapshot()
	shortSecret.Credentials[0].Secret = shortSecret.Credentials[0].Secret[:5]
	assert.Panics(t, func() { NewServer(WithSnapshot(shortSecret)) }, "a secret of 5 bytes")
	twice := s.Snapshot()
	twice.Credentials = append(twice.Credentials, twice.Credentials[0])
	assert.Panics(t, func() { NewServer(WithSnapshot(twice)) }, "a key twice")
}

func TestResetKeepsKeysAndCatalogues(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	c.Book("")
	h := c.Hold(c.FirstSlot("")["id"].(string), nil)
	creds := s.Credentials()
	s.Reset()
	assert.Equal(t, creds, s.Credentials())
	assert.Empty(t, s.Appointments(s.APIKey()))
	assert.Empty(t, s.Holds(s.APIKey()))
	code, _ := c.Confirm(h, nil).ErrCode(t)
	assert.Equal(t, "resource_missing", code, "a hold from before the reset does not confirm")
}

func TestHoldsListsThePendingOnes(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	first := c.Hold(c.FirstSlot("appointment_type_id=aptype_gp15")["id"].(string), nil)
	s.Advance(time.Minute)
	second := c.Hold(c.FirstSlot("appointment_type_id=aptype_gp30")["id"].(string), nil)
	holds := s.Holds(s.APIKey())
	require.Len(t, holds, 2)
	assert.Equal(t, []string{first.Str("id"), second.Str("id")}, []string{holds[0].ID, holds[1].ID}, "soonest to expire first")
	assert.Equal(t, first.Str("hold_token"), holds[0].HoldToken)
	s.Advance(9 * time.Minute)
	assert.Len(t, s.Holds(s.APIKey()), 1, "the first has expired")
	assert.Nil(t, s.Holds("sk_sandbox_nobody"))
}

func TestWithHandlerPutsAHandlerInFront(t *testing.T) {
	var seen *Server
	s := newTestServer(t, WithHandler(func(srv *Server) http.Handler {
		seen = srv
		mux := http.NewServeMux()
		mux.Handle("/v1/", srv.Handler())
		mux.HandleFunc("/oauth/token", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) })
		return mux
	}))
	assert.Same(t, s, seen)
	assert.Equal(t, http.StatusOK, newClient(t, s, s.APIKey()).Get("/connected/account").Status)
	rec := httptest.NewRecorder()
	s.srv.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/oauth/token", nil))
	assert.Equal(t, http.StatusTeapot, rec.Code)
}
