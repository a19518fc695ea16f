package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dronline/connected-go/connected"
)

// soakOutcomes counts how the soak's calls ended, and what the SDK's hooks
// saw of their attempts.
type soakOutcomes struct {
	calls, ok, faulted, refused atomic.Int64

	attempts, retried            atomic.Int64
	statusAttempts, lostAttempts atomic.Int64 // answered 429 or 503; ended without an answer

	problems problemList // calls that failed otherwise

	mu       sync.Mutex
	refusals map[string]int // by operation and code
}

func newSoakOutcomes() *soakOutcomes {
	return &soakOutcomes{refusals: map[string]int{}}
}

// record sorts a call's result. A call may fail only as the client
// documents for what the soak does to it:
//   - the faults, once the retries are spent: an *Error that is
//     Retryable (429, 503, the network) or Ambiguous (a POST that may
//     have taken effect);
//   - the clients racing each other for slots and the clock moving under
//     them: ErrSlotUnavailable, ErrHoldExpired, ErrRescheduleRefused.
//
// Anything else is a problem the test reports.
func (o *soakOutcomes) record(op string, err error) {
	o.calls.Add(1)
	var e *connected.Error
	switch {
	case err == nil:
		o.ok.Add(1)
	case errors.As(err, &e) && (e.Retryable() || e.Ambiguous):
		o.faulted.Add(1)
	case errors.Is(err, connected.ErrSlotUnavailable), errors.Is(err, connected.ErrHoldExpired), errors.Is(err, connected.ErrRescheduleRefused):
		o.refused.Add(1)
		o.mu.Lock()
		o.refusals[op+" "+string(e.Code)]++
		o.mu.Unlock()
	case e != nil:
		// The SDK's message holds no body, patient field or key.
		o.problems.add(op + ": " + e.Error())
	default:
		o.problems.add(fmt.Sprintf("%s: an error that is not a *connected.Error: %T", op, err))
	}
}

// hooks count every attempt: retried ones, and those the faults hit.
func (o *soakOutcomes) hooks() connected.Hooks {
	return connected.Hooks{AttemptEnd: func(_ context.Context, a connected.AttemptInfo) {
		o.attempts.Add(1)
		if a.Retry {
			o.retried.Add(1)
		}
		switch {
		case a.StatusCode == http.StatusServiceUnavailable || a.StatusCode == http.StatusTooManyRequests:
			o.statusAttempts.Add(1)
		case a.StatusCode == 0 && a.Err != nil:
			o.lostAttempts.Add(1)
		}
	}}
}

// refusalCounts lists the refusals by operation and code, sorted.
func (o *soakOutcomes) refusalCounts() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(o.refusals)) {
		fmt.Fprintf(&b, " %s=%d", k, o.refusals[k])
	}
	return b.String()
}

// problemList collects what must fail the test, from any goroutine: how
// many, and the first few.
type problemList struct {
	mu    sync.Mutex
	n     int
	first []string
}

func (l *problemList) add(msg string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	if len(l.first) < 10 {
		l.first = append(l.first, msg)
	}
}

// summary is how many there were, and the first few, one a line.
func (l *problemList) summary() (int, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n, strings.Join(l.first, "\n")
}
