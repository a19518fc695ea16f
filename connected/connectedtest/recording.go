package connectedtest

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/dronline/connected-go/internal/contract"
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
	Header http.Header
	// Credential names the API key the request sent, shortened: its
	// prefix, an ellipsis and its last four characters (sk_sandbox_…abcd),
	// enough to tell credentials apart and too little to use; "" when no
	// Bearer key was sent.
	Credential     string
	IdempotencyKey string
	RequestID      string // the X-Request-Id the server answered with
	Status         int    // status sent; 0 when none was (Drop, or Hang/Delay cut short)

	// Time is when the request arrived, on the server's clock.
	Time time.Time
	// Duration is how long the server took to answer, in real time.
	Duration time.Duration
	// Replayed reports whether the response was a stored one replayed for
	// a repeated Idempotency-Key.
	Replayed bool
	// Fault is the injected fault that hit the request, or nil.
	Fault *Fault
}

// outcome is what serveHTTP learned about a request by answering it.
type outcome struct {
	status   int
	start    time.Time // real time, for the duration
	arrived  time.Time // server clock
	replayed bool
	fault    *Fault
	reqBody  []byte
	respBody []byte
	// respHeader is the response's headers as sent; nil when none was.
	respHeader http.Header
}

func (s *Server) record(r *http.Request, reqID string, o outcome) {
	hook := s.cfg.exchangeHook
	if !s.cfg.noRecording || hook != nil {
		h := r.Header.Clone()
		if v := h.Get("Authorization"); v != "" {
			h.Set("Authorization", redactAuthorization(v))
		}
		if h.Get(contract.HoldTokenHeader) != "" {
			// The hold token is a secret too.
			h.Set(contract.HoldTokenHeader, contract.Redacted)
		}
		rr := RecordedRequest{
			Method:         r.Method,
			Path:           r.URL.Path,
			Header:         h,
			Credential:     shortKey(bearerKey(r.Header.Get("Authorization"))),
			IdempotencyKey: strings.TrimSpace(r.Header.Get(contract.IdempotencyKeyHeader)),
			RequestID:      reqID,
			Status:         o.status,
			Time:           o.arrived,
			Duration:       time.Since(o.start),
			Replayed:       o.replayed,
			Fault:          o.fault,
		}
		if hook != nil {
			// Before the record, so that a test that finds the request in
			// Requests finds it wherever the hook put it too.
			hook(Exchange{Request: rr, RequestBody: o.reqBody, ResponseBody: o.respBody, ResponseHeader: o.respHeader})
		}
		if !s.cfg.noRecording {
			s.mu.Lock()
			s.requests = append(s.requests, rr)
			s.mu.Unlock()
		}
	}
	s.logRequest(r, reqID, o.status)
}

// Requests returns the requests received so far, in order of arrival (none
// with WithRequestRecording(false)).
func (s *Server) Requests() []RecordedRequest {
	s.mu.Lock()
	out := slices.Clone(s.requests)
	s.mu.Unlock()
	for i := range out {
		out[i].Header = out[i].Header.Clone()
	}
	return out
}

// ClearRequests forgets the recorded requests.
func (s *Server) ClearRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}
