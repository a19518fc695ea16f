package connectedtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lockCheckingWriter fails the test if the server's lock is held when the
// response is written: handlers return values and the strict wrapper
// encodes them after the handler (and its deferred unlock) returned, so
// neither JSON encoding nor I/O may ever run under s.mu.
type lockCheckingWriter struct {
	*httptest.ResponseRecorder
	t *testing.T
	s *Server
}

func (w lockCheckingWriter) check() {
	if !w.s.mu.TryLock() {
		w.t.Error("the server's lock is held while the response is written")
		return
	}
	w.s.mu.Unlock()
}

func (w lockCheckingWriter) WriteHeader(status int) {
	w.check()
	w.ResponseRecorder.WriteHeader(status)
}

func (w lockCheckingWriter) Write(p []byte) (int, error) {
	w.check()
	return w.ResponseRecorder.Write(p)
}

func TestNoLockIsHeldWhileAResponseIsWritten(t *testing.T) {
	s := newTestServer(t)
	f := &scaleFixture{s: s, c: s.creds[s.APIKey()], auth: "Bearer " + s.APIKey()}
	do := func(method, path, body, key string, headers ...string) *httptest.ResponseRecorder {
		r := f.request(method, path, body, key)
		for i := 0; i+1 < len(headers); i += 2 {
			r.Header.Set(headers[i], headers[i+1])
		}
		w := lockCheckingWriter{ResponseRecorder: httptest.NewRecorder(), t: t, s: s}
		s.Handler().ServeHTTP(w, r)
		return w.ResponseRecorder
	}
	c := newClient(t, s, s.APIKey())
	slotID := c.FirstSlot("appointment_type_id=aptype_gp15")["id"].(string)
	next := c.Get("/connected/slots?appointment_type_id=aptype_gp15&practitioner_id=prac_ahmed&limit=3&start_gte=" + s.Now().Add(26*time.Hour).Format(time.RFC3339)).IDs()
	require.Len(t, next, 3)

	hold := do(http.MethodPost, "/connected/appointment_holds", `{"slot_id":"`+next[0]+`"}`, "k1")
	require.Equal(t, http.StatusOK, hold.Code, hold.Body.String())
	replay := do(http.MethodPost, "/connected/appointment_holds", `{"slot_id":"`+next[0]+`"}`, "k1")
	assert.Equal(t, "true", replay.Header().Get("Idempotent-Replayed"))
	h := &response{}
	require.NoError(t, json.Unmarshal(hold.Body.Bytes(), &h.Body))
	confirm := do(http.MethodPost, "/connected/appointments/"+h.Str("appointment_id")+"/confirm", confirmBody("ref-1"), "k2",
		"X-Appointment-Hold-Token", h.Str("hold_token"))
	require.Equal(t, http.StatusOK, confirm.Code, confirm.Body.String())
	a := &response{}
	require.NoError(t, json.Unmarshal(confirm.Body.Bytes(), &a.Body))
	id := a.Str("id")
	for _, tc := range []struct{ method, path, body string }{
		{http.MethodGet, "/connected/account", ""},
		{http.MethodGet, "/connected/slots?limit=100", ""},
		{http.MethodPost, "/connected/slots/validate", `{"slot_id":"` + slotID + `"}`},
		{http.MethodGet, "/connected/appointments?limit=100", ""},
		{http.MethodGet, "/connected/appointments?partner_reference=ref-1", ""},
		{http.MethodGet, "/connected/appointments/" + id, ""},
		{http.MethodGet, "/connected/patients/" + a.Str("patient", "id"), ""},
		{http.MethodPost, "/connected/appointments/" + id + "/reschedule", `{"slot_id":"` + next[2] + `"}`},
		{http.MethodPost, "/connected/appointments/" + id + "/cancel", ""},
		{http.MethodPost, "/connected/appointments/" + id + "/cancel", ""}, // a 409
		{http.MethodGet, "/connected/appointments/apt_nope", ""},           // a 404
	} {
		w := do(tc.method, tc.path, tc.body, "")
		assert.NotZero(t, w.Code, tc.path)
	}
}
