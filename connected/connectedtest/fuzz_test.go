package connectedtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzHandler sends arbitrary methods, paths, bodies and headers through the
// whole fake (faults, auth, idempotency, router, handlers). It must never
// panic, and must always answer JSON: the error envelope for an error, a
// JSON body for a success.
func FuzzHandler(f *testing.F) {
	f.Add("GET", "/v1/connected/account", "", "", "", true)
	f.Add("POST", "/v1/connected/appointment_holds", `{"slot_id":"slot_x","patient":{"first_name":"A"}}`, "k1", "", true)
	f.Add("POST", "/v1/connected/appointments/apt_1/confirm", `{"patient":null}`, "k2", "aht_1", true)
	f.Add("POST", "/v1/connected/appointments/apt_1/reschedule", `{"slot_id":1}`, "k3", "", true)
	f.Add("GET", "/v1/connected/slots?appointment_type_id=aptype_gp15&limit=-1&starting_after=%ff", "", "", "", true)
	f.Add("DELETE", "/v1/connected/appointments/..%2f..", "[[[[", "", "", false)
	f.Add("POST", "/v1/connected/slots/validate", "{\"slot_id\":\"\xff\"}", "k\x01", "", true)
	srv := NewServer()
	f.Cleanup(srv.Close)
	h := srv.Handler()
	f.Fuzz(func(t *testing.T, method, target, body, key, token string, auth bool) {
		if !strings.HasPrefix(target, "/") {
			target = "/" + target
		}
		req, err := http.NewRequest(method, "http://fake.test"+target, strings.NewReader(body))
		if err != nil {
			t.Skip("not a request net/http can make")
		}
		if auth {
			req.Header.Set("Authorization", "Bearer "+srv.APIKey())
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", key)
		req.Header.Set("X-Appointment-Hold-Token", token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)

		if rec.Code < 200 || rec.Code > 599 {
			t.Fatalf("status %d", rec.Code)
		}
		out := rec.Body.Bytes()
		if rec.Code == http.StatusNoContent && len(out) == 0 {
			return
		}
		if !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Fatalf("%d with content type %q", rec.Code, rec.Header().Get("Content-Type"))
		}
		if !json.Valid(out) {
			t.Fatalf("%d with a body that is not JSON: %q", rec.Code, out)
		}
		if rec.Code >= 400 {
			var env struct {
				Error *struct {
					Type    string `json:"type"`
					Code    string `json:"code"`
					Message string `json:"message"`
				} `json:"error"`
			}
			if err := json.Unmarshal(out, &env); err != nil || env.Error == nil || env.Error.Type == "" || env.Error.Code == "" || env.Error.Message == "" {
				t.Fatalf("%d without the error envelope: %s", rec.Code, bytes.TrimSpace(out))
			}
		}
	})
}
