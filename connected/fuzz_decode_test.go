package connected

import (
	"bytes"
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
		// A body that is not JSON cannot be the envelope; its text must not
		// reach the message (unless it merely repeats the content type,
		// which the message names).
		if len(body) >= 8 && !json.Valid(body) && !bytes.Contains(bytes.ToLower([]byte(contentType)), bytes.ToLower(body)) && bytes.Contains([]byte(e.Message), body) {
			t.Fatalf("a non-envelope body was copied into the message: %q", e.Message)
		}
	})
}
