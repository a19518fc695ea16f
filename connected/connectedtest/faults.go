package connectedtest

import (
	"bytes"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/dronline/connected-go/internal/contract"
)

// Fault makes the server misbehave on matching requests, for testing a
// client's retries, timeouts and error handling. Queue it with InjectFault.
type Fault struct {
	Method string // "" matches any method
	// Path is "" (any) or a path as connected.Client.Do takes it, relative
	// to the base URL: exact, such as "/connected/account", or a template
	// whose {…} segments match any one segment, such as
	// "/connected/appointments/{appointment_id}/confirm".
	Path  string
	Times int // how many matching requests it hits; 0 means 1

	// Status answers with this status instead of handling the request.
	// Unless Body is set, the body is the API's error envelope with the
	// code the contract gives that status: 429 connected.ErrorCodeRateLimited,
	// 503 ErrorCodeServiceUnavailable, 401 ErrorCodeAPIKeyInvalid, 404
	// ErrorCodeResourceMissing, 409 ErrorCodeSlotUnavailable, any other
	// 4xx ErrorCodeParameterInvalid, and any other status
	// ErrorCodeInternalError.
	Status      int
	RetryAfter  string // Retry-After header value
	Body        []byte // raw body, e.g. a proxy's HTML 502 page
	ContentType string // Content-Type of Body (default text/plain)

	// Drop closes the connection without any response (a connection reset).
	Drop bool
	// AfterHandler runs the real handler first, so its effects are
	// committed (and stored under the Idempotency-Key), and then applies
	// Status or Drop: the "committed but the response was lost" case.
	AfterHandler bool
	// Delay waits this long (in real time) before answering; it stops early
	// if the client goes away or the server closes.
	Delay time.Duration
	// Hang blocks until the client gives up or the server closes, for
	// per-attempt timeout tests without sleeping.
	Hang bool
	// Probability, between 0 and 1 exclusive, is the chance that a
	// matching request is hit, for chaos runs; a request it spares does
	// not count towards Times. 0 (and 1 or more) means every matching
	// request.
	Probability float64

	id string // set when queued
}

// ID is the fault's identifier once queued (as Server.Faults and
// RecordedRequest.Fault return it), "" before.
func (f Fault) ID() string { return f.id }

// InjectFault queues a fault and returns its ID, which RemoveFault takes.
// Faults are matched in the order they were queued; each request consumes
// at most one.
func (s *Server) InjectFault(f Fault) (id string) {
	if f.Times <= 0 {
		f.Times = 1
	}
	f.id = newID("flt_")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
	return f.id
}

// Faults returns the queued faults in the order they are matched, each
// with the hits it has left in Times.
func (s *Server) Faults() []Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Fault, len(s.faults))
	for i, f := range s.faults {
		out[i] = *f
	}
	return out
}

// RemoveFault removes the queued fault with the given ID and reports
// whether there was one.
func (s *Server) RemoveFault(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.id == id {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
			return true
		}
	}
	return false
}

// ClearFaults removes every queued fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// takeFault returns a copy of the first queued fault matching r and
// consumes one of its hits.
func (s *Server) takeFault(r *http.Request) *Fault {
	rel := strings.TrimPrefix(r.URL.Path, basePath)
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
			continue
		}
		if f.Path != "" && !contract.MatchPath(f.Path, rel) {
			continue
		}
		if f.Probability > 0 && f.Probability < 1 && s.chance() >= f.Probability {
			continue // spared, and the fault keeps its hits
		}
		f.Times--
		if f.Times == 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		c := *f
		return &c
	}
	return nil
}

// applyFaults serves r through next unless a fault says otherwise.
func (s *Server) applyFaults(w *bufferedWriter, r *http.Request, next http.Handler) {
	f := s.takeFault(r)
	if f == nil {
		next.ServeHTTP(w, r)
		return
	}
	w.applied = f
	if f.Delay > 0 || f.Hang {
		var timeout <-chan time.Time
		if !f.Hang {
			t := time.NewTimer(f.Delay)
			defer t.Stop()
			timeout = t.C
		}
		select {
		case <-timeout:
		case <-r.Context().Done():
			w.abandoned = true // the client is gone: nobody reads an answer
			return
		case <-s.done:
			w.abandoned = true
			return
		}
	}
	if f.AfterHandler {
		// The real handler commits its effects (and the idempotency layer
		// stores its result); its response is then thrown away.
		committed := &bufferedWriter{header: http.Header{}, body: new(bytes.Buffer)}
		next.ServeHTTP(committed, r)
		if !f.Drop && f.Status == 0 {
			w.header, w.status, w.body = committed.header, committed.status, committed.body
			return
		}
	}
	switch {
	case f.Drop:
		// The connection is closed by serveHTTP once the request is
		// recorded, so a client that sees the reset also sees the record.
		w.drop = true
		w.fault = true
	case f.Status != 0:
		w.fault = true
		if f.Body != nil {
			ct := f.ContentType
			if ct == "" {
				ct = "text/plain; charset=utf-8"
			}
			w.Header().Set("Content-Type", ct)
			if f.RetryAfter != "" {
				w.Header().Set("Retry-After", f.RetryAfter)
			}
			w.WriteHeader(f.Status)
			_, _ = w.Write(f.Body)
			return
		}
		errorForStatus(f.Status, f.RetryAfter).write(w)
	case !f.AfterHandler:
		// A pure delay: handle the request normally.
		next.ServeHTTP(w, r)
	}
}

// chance draws a number in [0, 1) for a fault's Probability: from the
// test's source when one is set, else from math/rand.
func (s *Server) chance() float64 {
	if s.cfg.chance != nil {
		return s.cfg.chance()
	}
	return rand.Float64() //nolint:gosec // chaos, not secrets
}
