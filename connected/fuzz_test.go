package connected_test

import (
	"context"
	"testing"
	"time"

	"github.com/dronline/connected-go/connected"
)

// FuzzResponses serves arbitrary bytes, with a chosen status and content
// type, to every method of every resource, lists and their iteration
// included: each must return a value or a *connected.Error, never panic.
func FuzzResponses(f *testing.F) {
	f.Add(200, "application/json", []byte(`{"object":"list","url":"/v1/connected/appointments","has_more":true,"data":[{"id":"apt_1"}]}`))
	f.Add(200, "application/json", []byte(`{"id":"apt_1","object":"appointment","start":"2030-01-01T10:00:00Z","patient":{"id":"pat_1"},"metadata":{}}`))
	f.Add(200, "application/json", []byte(`{"available":true,"slot":null,"reason":null}`))
	f.Add(201, "application/json", []byte(`{"id":"hold_1","hold_token":"aht_1","appointment_id":"apt_blk_1","expires_at":"x"}`))
	f.Add(409, "application/json", []byte(`{"error":{"type":"invalid_request_error","code":"appointment_already_cancelled"}}`))
	f.Add(409, "application/json", []byte(`{"error":{"type":"invalid_request_error","code":"reschedule_limit_reached"}}`))
	f.Add(502, "text/html", []byte(`<html>`))
	f.Add(200, "application/json", []byte(`[[[[[[[[[[`))
	f.Add(200, "text/plain", []byte("{\"id\":\"\xff\"}"))
	f.Add(204, "", []byte(nil))
	s := newCanned(f)
	c := s.client(f, connected.WithAttemptTimeout(5*time.Second))
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		if status < 200 || status > 599 {
			t.Skip("net/http refuses to send other statuses")
		}
		s.answer(status, contentType, body)
		requireTyped(t, everyCall(context.Background(), c))
	})
}
