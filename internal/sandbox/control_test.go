package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected/connectedtest"
)

func TestControlClockAdvanceExpiresAHold(t *testing.T) {
	s, ctl := newControlServer(t)
	api := newClient(t, s, s.APIKey())

	r := ctl.get("/_sandbox/clock")
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Raw)
	assert.Equal(t, monday().Format(time.RFC3339), r.Str("now"))

	h := api.Hold(api.FirstSlot("appointment_type_id=aptype_gp15")["id"].(string), nil)
	r = ctl.post("/_sandbox/clock/advance", map[string]any{"seconds": 601})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Raw)
	assert.Equal(t, monday().Add(601*time.Second).Format(time.RFC3339), r.Str("now"))
	assert.Equal(t, 601.0, r.Get("offset_seconds"))
	assert.Equal(t, monday().Add(601*time.Second), s.Now(), "the Go API sees the same clock")

	code, _ := api.Confirm(h, nil).ErrCode(t)
	assert.Equal(t, "hold_expired", code)
}

func TestControlRefusalsNameTheField(t *testing.T) {
	_, ctl := newControlServer(t)
	for _, tc := range []struct {
		path  string
		body  any
		code  string
		param string
	}{
		{"/_sandbox/clock/advance", map[string]any{}, "parameter_missing", "seconds"},
		{"/_sandbox/clock/advance", map[string]any{"seconds": -1}, "parameter_invalid", "seconds"},
		{"/_sandbox/clock/advance", map[string]any{"seconds": "ten"}, "parameter_invalid", "seconds"},
		{"/_sandbox/clock/advance", map[string]any{"seconds": 1, "minutes": 2}, "parameter_invalid", "minutes"},
		{"/_sandbox/clock/advance", "not json", "parameter_invalid", ""},
		{"/_sandbox/faults", map[string]any{}, "parameter_missing", "kind"},
		{"/_sandbox/faults", map[string]any{"kind": "explode"}, "parameter_invalid", "kind"},
		{"/_sandbox/faults", map[string]any{"kind": "status"}, "parameter_missing", "status"},
		{"/_sandbox/faults", map[string]any{"kind": "status", "status": 200}, "parameter_invalid", "status"},
		{"/_sandbox/faults", map[string]any{"kind": "drop", "status": 503}, "parameter_invalid", "status"},
		{"/_sandbox/faults", map[string]any{"kind": "delay"}, "parameter_missing", "delay_ms"},
		{"/_sandbox/faults", map[string]any{"kind": "drop", "path": "/connected/nowhere"}, "parameter_invalid", "path"},
		{"/_sandbox/faults", map[string]any{"kind": "drop", "method": "BREW"}, "parameter_invalid", "method"},
		{"/_sandbox/faults", map[string]any{"kind": "drop", "method": "get"}, "parameter_invalid", "method"},
		{"/_sandbox/faults", map[string]any{"kind": "drop", "count": 0}, "parameter_invalid", "count"},
		{"/_sandbox/faults", map[string]any{"kind": "drop", "probability": 0}, "parameter_invalid", "probability"},
		{"/_sandbox/faults", map[string]any{"kind": "drop", "probability": 1.5}, "parameter_invalid", "probability"},
		{"/_sandbox/faults", map[string]any{"kind": "drop", "retry_after_seconds": 3}, "parameter_invalid", "retry_after_seconds"},
		{"/_sandbox/credentials", map[string]any{"catalogue": map[string]any{"timezone": "Mars/Base"}}, "parameter_invalid", "catalogue.timezone"},
	} {
		r := ctl.post(tc.path, tc.body)
		assert.Equal(t, http.StatusBadRequest, r.Status, "%s %v: %s", tc.path, tc.body, r.Raw)
		code, param := r.ErrCode(t)
		assert.Equal(t, tc.code, code, "%s %v", tc.path, tc.body)
		assert.Equal(t, tc.param, param, "%s %v", tc.path, tc.body)
	}
	r := ctl.get("/_sandbox/state")
	code, param := r.ErrCode(t)
	assert.Equal(t, []string{"parameter_missing", "api_key"}, []string{code, param})
	r = ctl.get("/_sandbox/requests?since=yesterday")
	code, param = r.ErrCode(t)
	assert.Equal(t, []string{"parameter_invalid", "since"}, []string{code, param})
	r = ctl.do(http.MethodPut, "/_sandbox/clock", nil)
	assert.Equal(t, http.StatusMethodNotAllowed, r.Status)
	r = ctl.get("/_sandbox/nowhere")
	code, _ = r.ErrCode(t)
	assert.Equal(t, http.StatusNotFound, r.Status)
	assert.Equal(t, "resource_missing", code)
}

// A lost response on confirm: the booking is made, the client sees the
// connection close, and the confirm repeated with the same key replays it.
func TestControlLostResponseAndTheJournal(t *testing.T) {
	s, ctl := newControlServer(t)
	api := newClient(t, s, s.APIKey())

	r := ctl.post("/_sandbox/faults", map[string]any{"method": "POST", "path": "/connected/appointments/{appointment_id}/confirm", "kind": "lost_response"})
	require.Equal(t, http.StatusCreated, r.Status, "%s", r.Raw)
	faultID := r.Str("id")
	assert.Equal(t, "lost_response", r.Str("kind"))
	assert.Equal(t, 1.0, r.Get("count"))
	assert.Len(t, ctl.get("/_sandbox/faults").Data(), 1)

	h := api.Hold(api.FirstSlot("appointment_type_id=aptype_gp15")["id"].(string), nil)
	// The body api.confirm sends, so that its repetition replays.
	body, err := json.Marshal(map[string]any{"patient": patient("jane@example.com"), "external_payment_reference": "pi_1"})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/connected/appointments/"+h.Str("appointment_id")+"/confirm", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+s.APIKey())
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", "idem-lost-1")
	req.Header.Set("X-Appointment-Hold-Token", h.Str("hold_token"))
	_, err = freshClient(t).Do(req) //nolint:bodyclose // no response: the connection is closed
	require.Error(t, err, "the response is lost")
	assert.Empty(t, ctl.get("/_sandbox/faults").Data(), "the fault has hit")
	require.Len(t, s.Appointments(s.APIKey()), 1, "the confirm took effect")

	again := api.Confirm(h, nil, header{K: "Idempotency-Key", V: "idem-lost-1"})
	require.Equal(t, http.StatusOK, again.Status, "%s", again.Raw)
	assert.Equal(t, "true", again.Header.Get("Idempotent-Replayed"))

	j := ctl.get("/_sandbox/requests?idempotency_key=idem-lost-1")
	require.Equal(t, http.StatusOK, j.Status, "%s", j.Raw)
	entries := j.Data()
	require.Len(t, entries, 2)
	newest, lost := entries[0], entries[1]
	assert.Equal(t, true, newest["replayed"])
	assert.EqualValues(t, 200, newest["status"])
	assert.Nil(t, lost["status"], "no answer was sent")
	assert.Equal(t, map[string]any{"id": faultID, "kind": "lost_response"}, lost["fault"])
	assert.Equal(t, "/connected/appointments/{appointment_id}/confirm", lost["template"])
	assert.Equal(t, "jane@example.com", lost["request_body"].(map[string]any)["patient"].(map[string]any)["email"], "sandbox data is kept")

	// By template, by status, newest first.
	assert.Len(t, ctl.get("/_sandbox/requests?path=/connected/appointments/{appointment_id}/confirm").Data(), 2)
	assert.Len(t, ctl.get("/_sandbox/requests?status=0").Data(), 1)
	assert.Len(t, ctl.get("/_sandbox/requests?method=GET").Data(), 1, "the slot search")
	assert.Len(t, ctl.get("/_sandbox/requests?limit=1").Data(), 1)
	assert.Empty(t, ctl.get("/_sandbox/requests?since="+monday().Add(time.Second).Format(time.RFC3339)).Data())

	// Redacted everywhere: neither the key nor the hold token appear.
	all := ctl.get("/_sandbox/requests")
	assert.Len(t, all.Data(), 4)
	assert.NotContains(t, string(all.Raw), strings.TrimPrefix(s.APIKey(), sandboxPrefix))
	assert.NotContains(t, string(all.Raw), h.Str("hold_token"))
	assert.Contains(t, string(all.Raw), `"hold_token":"REDACTED"`)
	assert.Contains(t, string(all.Raw), `"authorization":"Bearer sk_sandbox_REDACTED"`)

	assert.Equal(t, http.StatusNoContent, ctl.do(http.MethodDelete, "/_sandbox/requests", nil).Status)
	assert.Empty(t, ctl.get("/_sandbox/requests").Data())
}

func TestControlFaultKindsCountAndRemoval(t *testing.T) {
	s, ctl := newControlServer(t)
	api := newClient(t, s, s.APIKey())

	r := ctl.post("/_sandbox/faults", map[string]any{"path": "/connected/account", "kind": "status", "status": 429, "retry_after_seconds": 2, "count": 2})
	require.Equal(t, http.StatusCreated, r.Status, "%s", r.Raw)
	for range 2 {
		got := api.Get("/connected/account")
		assert.Equal(t, http.StatusTooManyRequests, got.Status)
		assert.Equal(t, "2", got.Header.Get("Retry-After"))
		code, _ := got.ErrCode(t)
		assert.Equal(t, "rate_limited", code)
	}
	assert.Equal(t, http.StatusOK, api.Get("/connected/account").Status, "two hits, then none")

	// drop: a reset, journaled with no status.
	ctl.post("/_sandbox/faults", map[string]any{"path": "/connected/account", "kind": "drop"})
	req, err := http.NewRequest(http.MethodGet, s.URL()+"/connected/account", nil)
	require.NoError(t, err)
	_, err = freshClient(t).Do(req) //nolint:bodyclose // no response
	assert.Error(t, err)

	// delay: answered normally once the delay is over (0 ms here: the
	// test checks the plumbing, not the wall clock).
	r = ctl.post("/_sandbox/faults", map[string]any{"path": "/connected/account", "kind": "delay", "delay_ms": 0})
	assert.Equal(t, "delay", r.Str("kind"))
	assert.Equal(t, http.StatusOK, api.Get("/connected/account").Status)

	a := ctl.post("/_sandbox/faults", map[string]any{"kind": "status", "status": 503})
	b := ctl.post("/_sandbox/faults", map[string]any{"kind": "drop", "method": "DELETE"})
	assert.Equal(t, []string{a.Str("id"), b.Str("id")}, ctl.get("/_sandbox/faults").IDs())
	assert.Equal(t, http.StatusNoContent, ctl.do(http.MethodDelete, "/_sandbox/faults/"+a.Str("id"), nil).Status)
	assert.Equal(t, http.StatusNotFound, ctl.do(http.MethodDelete, "/_sandbox/faults/"+a.Str("id"), nil).Status)
	assert.Equal(t, []string{b.Str("id")}, ctl.get("/_sandbox/faults").IDs())
	assert.Equal(t, http.StatusNoContent, ctl.do(http.MethodDelete, "/_sandbox/faults", nil).Status)
	assert.Empty(t, ctl.get("/_sandbox/faults").Data())
}

// A probability reaches the queued fault, which spares some matching
// requests (the draws are tested with the fake's own faults).
func TestControlFaultProbability(t *testing.T) {
	s, ctl := newControlServer(t)
	r := ctl.post("/_sandbox/faults", map[string]any{"path": "/connected/account", "kind": "status", "status": 503, "count": 1, "probability": 0.5})
	require.Equal(t, http.StatusCreated, r.Status, "%s", r.Raw)
	assert.Equal(t, 0.5, r.Get("probability"))
	queued := s.Faults()
	require.Len(t, queued, 1)
	assert.Equal(t, connectedtest.Fault{Path: "/connected/account", Status: 503, Times: 1, Probability: 0.5}, withoutID(queued[0]))
	assert.Equal(t, r.Str("id"), queued[0].ID())
	assert.Equal(t, 0.5, ctl.get("/_sandbox/faults").Data()[0]["probability"])
	r = ctl.post("/_sandbox/faults", map[string]any{"kind": "drop", "probability": 1})
	assert.Equal(t, 1.0, r.Get("probability"))
	assert.Zero(t, s.Faults()[1].Probability, "1 is every request")
}

// withoutID is f as it was before it was queued.
func withoutID(f connectedtest.Fault) connectedtest.Fault {
	return connectedtest.Fault{Method: f.Method, Path: f.Path, Times: f.Times, Status: f.Status, RetryAfter: f.RetryAfter,
		Body: f.Body, ContentType: f.ContentType, Drop: f.Drop, AfterHandler: f.AfterHandler, Delay: f.Delay, Hang: f.Hang,
		Probability: f.Probability}
}

func TestControlCredentialsStateAndReset(t *testing.T) {
	s, ctl := newControlServer(t)
	cat := `{"catalogue":{"timezone":"UTC","appointment_types":[{"id":"aptype_x","name":"X","duration_minutes":30,"price_in_cents":100}],
	 "practitioners":[{"id":"prac_x","name":"Dr X","appointment_type_ids":["aptype_x"],"working_hours":[{"weekday":"monday","start":"09:00","end":"12:00"}]}]}}`
	r := ctl.post("/_sandbox/credentials", cat)
	require.Equal(t, http.StatusCreated, r.Status, "%s", r.Raw)
	key := r.Str("api_key")
	require.True(t, strings.HasPrefix(key, sandboxPrefix))

	creds := ctl.get("/_sandbox/credentials").Data()
	require.Len(t, creds, 2)
	assert.Equal(t, s.APIKey(), creds[0]["api_key"], "the default credential first")

	api := newClient(t, s, key)
	slot := api.FirstSlot("appointment_type_id=aptype_x")
	assert.Equal(t, "prac_x", slot["practitioner_id"])
	booked := api.Book("appointment_type_id=aptype_x")
	held := api.Hold(api.FirstSlot("appointment_type_id=aptype_x")["id"].(string), nil)

	st := ctl.get("/_sandbox/state?api_key=" + key)
	require.Equal(t, http.StatusOK, st.Status, "%s", st.Raw)
	holds, _ := st.Body["holds"].([]any)
	apts, _ := st.Body["appointments"].([]any)
	require.Len(t, holds, 1)
	require.Len(t, apts, 1)
	assert.Equal(t, held.Str("appointment_id"), holds[0].(map[string]any)["appointment_id"])
	assert.Equal(t, "REDACTED", holds[0].(map[string]any)["hold_token"])
	assert.Equal(t, booked.Str("id"), apts[0].(map[string]any)["id"])

	other := ctl.get("/_sandbox/state?api_key=" + s.APIKey())
	assert.Empty(t, other.Body["appointments"], "credentials share nothing")
	missing := ctl.get("/_sandbox/state?api_key=sk_sandbox_nobody")
	assert.Equal(t, http.StatusNotFound, missing.Status)
	assert.NotContains(t, string(missing.Raw), "nobody", "a key is not echoed")

	r = ctl.post("/_sandbox/reset", nil)
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Raw)
	assert.Equal(t, 2.0, r.Get("credentials"))
	st = ctl.get("/_sandbox/state?api_key=" + key)
	assert.Empty(t, st.Body["holds"])
	assert.Empty(t, st.Body["appointments"])
	assert.Equal(t, http.StatusOK, api.Get("/connected/account").Status, "the key stays")
	assert.Equal(t, "prac_x", api.FirstSlot("appointment_type_id=aptype_x")["practitioner_id"], "and its catalogue")
	code, _ := api.Confirm(held, nil).ErrCode(t)
	assert.Contains(t, []string{"hold_token_invalid", "resource_missing"}, code, "a hold from before the reset does not confirm")
}

func TestControlAccess(t *testing.T) {
	t.Run("loopback only without a token", func(t *testing.T) {
		s, ctl := newControlServer(t)
		assert.Equal(t, http.StatusOK, ctl.get("/_sandbox/clock").Status)
		for _, remote := range []string{"192.0.2.7:5000", "[2001:db8::1]:5000"} {
			req := httptest.NewRequest(http.MethodGet, "/_sandbox/clock", nil)
			req.RemoteAddr = remote
			w := httptest.NewRecorder()
			handler(s, "", newJournal(JournalLimits{})).ServeHTTP(w, req)
			assert.Equal(t, http.StatusForbidden, w.Code, remote)
			assert.Contains(t, w.Body.String(), `"type":"authentication_error"`)
		}
	})
	t.Run("token", func(t *testing.T) {
		s, ctl := newControlServer(t, WithControlAPI("ctl-secret", JournalLimits{})...)
		assert.Equal(t, http.StatusUnauthorized, ctl.get("/_sandbox/clock").Status, "no token")
		ctl.token = s.APIKey()
		assert.Equal(t, http.StatusUnauthorized, ctl.get("/_sandbox/clock").Status, "an API key does not open it")
		ctl.token = "ctl-secret"
		assert.Equal(t, http.StatusOK, ctl.get("/_sandbox/clock").Status)
		assert.Equal(t, http.StatusOK, ctl.get("/_sandbox/openapi.json").Status)

		api := newClient(t, s, "ctl-secret")
		code, _ := api.Get("/connected/account").ErrCode(t)
		assert.Equal(t, "api_key_invalid", code, "the token does not open the API")

		// The page holds no data and loads without the token.
		ctl.token = ""
		page := ctl.get("/_sandbox/")
		assert.Equal(t, http.StatusOK, page.Status)
		assert.Contains(t, string(page.Raw), "Sandbox inspector")
	})
	t.Run("a token like an API key is refused", func(t *testing.T) {
		assert.Panics(t, func() { WithControlAPI("sk_sandbox_abc", JournalLimits{}) })
	})
	t.Run("off unless asked for", func(t *testing.T) {
		s := newTestServer(t)
		req, err := http.NewRequest(http.MethodGet, strings.TrimSuffix(s.URL(), basePath)+"/_sandbox/clock", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+s.APIKey())
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, "an unknown route of the API")
	})
}

// Every operation of the control API's document is served (the client
// checks answers against the document, so the reverse holds too).
func TestControlDocumentIsServedAndComplete(t *testing.T) {
	_, ctl := newControlServer(t)
	r := ctl.get("/_sandbox/openapi.json")
	require.Equal(t, http.StatusOK, r.Status)
	paths, _ := r.Body["paths"].(map[string]any)
	require.NotEmpty(t, paths)
	for p, item := range paths {
		for method := range item.(map[string]any) {
			concrete := strings.ReplaceAll(p, "{fault_id}", "flt_none")
			got := ctl.do(strings.ToUpper(method), concrete, nil)
			if got.Status == http.StatusNotFound {
				assert.NotContains(t, string(got.Raw), "sandbox route", "%s %s is documented but not served", method, p)
			}
			assert.NotEqual(t, http.StatusMethodNotAllowed, got.Status, "%s %s", method, p)
		}
	}
}
