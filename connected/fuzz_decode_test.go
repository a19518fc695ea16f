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
		// A body that is not JSON cannot be the envelope, and nothing of it
		// may reach the message: the message is the one the same response
		// gets with no body at all. (A test for the body's text inside the
		// message was wrong both ways: "(0000000" is in the message for a
		// content type of "0000000000000000A", which the message names in
		// parentheses, without a byte of the body in it.)
		if !json.Valid(body) {
			if want := decodeError(resp, nil).Message; e.Message != want {
				t.Fatalf("the body changed the message: %q, with no body %q", e.Message, want)
			}
		}
	})
}
