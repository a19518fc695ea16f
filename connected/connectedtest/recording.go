package connectedtest

import (
	"net/http"
	"strings"
)

// RecordedRequest is one request the server received.
type RecordedRequest struct {
	Method string
	// Path is the request's URL path on the host, the base URL's path
	// included, as in "/v1/connected/appointment_holds"; no query.
	Path string
	// Header is the request's headers with the secrets redacted, so that
	// recordings can be printed in test failures: Authorization keeps its
	// scheme and key prefix ("Bearer sk_sandbox_REDACTED"), and
	// X-Appointment-Hold-Token reads "REDACTED".
	Header         http.Header
	IdempotencyKey string
	RequestID      string // the X-Request-Id the server answered with
	Status         int    // status sent; 0 when none was (Drop, or Hang/Delay cut short)
}

func (s *Server) record(r *http.Request, reqID string, status int) {
	h := r.Header.Clone()
	if v := h.Get("Authorization"); v != "" {
		h.Set("Authorization", redactAuthorization(v))
	}
	if h.Get("X-Appointment-Hold-Token") != "" {
		// The hold token is a secret too.
		h.Set("X-Appointment-Hold-Token", "REDACTED")
	}
	rr := RecordedRequest{
		Method:         r.Method,
		Path:           r.URL.Path,
		Header:         h,
		IdempotencyKey: strings.TrimSpace(r.Header.Get("Idempotency-Key")),
		RequestID:      reqID,
		Status:         status,
	}
	if !s.cfg.noRecording {
		s.mu.Lock()
		s.requests = append(s.requests, rr)
		s.mu.Unlock()
	}
	s.logRequest(r, reqID, status)
}
