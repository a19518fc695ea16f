package connected

import (
	"encoding/json"
	"net/http"
	"testing"
)

// FuzzDecodeError feeds arbitrary error responses to decodeError: it must
// always give a typed error with the status and a type, and never copy a
// body that is not the error envelope into the message.
func FuzzDecodeError(f *testing.F) {
	f.Add(409, "application/json", []byte(`{"error":{"type":"invalid_request_error","code":"slot_unavailable","message":"taken","param":"slot_id"}}`))
	f.Add(503, "text/html", []byte(`<html>Bad gateway</html>`))
	f.Add(400, "application/problem+json", []byte(`{"error":{"code":""}}`))
	f.Add(429, "application/json; charset=utf-8", []byte(`{"error":null}`))
	f.Add(500, "", []byte{0xff, 0xfe, '{'})
	f.Add(404, "application/json", []byte(`{"error":{"type":1,"param":[]}}`))
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		resp := &http.Response{StatusCode: status, Header: http.Header{}}
		resp.Header.Set("Content-Type", contentType)
		e := decodeError(resp, body)
		if e == nil {
			t.Fatal("nil error")
		}
		if e.StatusCode != status || e.Type == "" {
			t.Fatalf("status %d type %q for a %d", e.StatusCode, e.Type, status)
		}
		_ = e.Error()
		_ = e.Retryable()
		// Nothing of the body reaches the message but the envelope's own
		// message: any other body leaves the message the one the same
		// response gets with no body at all. (Looking for the body's bytes
		// in the message gave false alarms: "(0000000" is in the message
		// for a content type of "0000000000000000A", which the message
		// names in parentheses.)
		var env struct {
			Error struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		_ = json.Unmarshal(body, &env) // the envelope's message, if there is one
		if want := decodeError(resp, nil).Message; e.Message != want && e.Message != env.Error.Message {
			t.Fatalf("the message is neither the envelope's nor the one with no body (%q): %q", want, e.Message)
		}
	})
}
