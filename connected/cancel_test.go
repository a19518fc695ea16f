package connected_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// Whenever a call stops because its context is done, errors.Is sees the
// context's error, and the error still describes the last attempt. Each
// test places the cancel at one exact point of the call.

// stopCase is one way of calling: a GET and a POST must behave alike.
type stopCase struct {
	name string
	call func(ctx context.Context, c *connected.Client) error
	post bool
}

func stopCases() []stopCase {
	return []stopCase{
		{"GET", func(ctx context.Context, c *connected.Client) error { _, err := c.Account.Get(ctx); return err }, false},
		{"POST", func(ctx context.Context, c *connected.Client) error {
			_, err := c.Holds.Create(ctx, &connected.HoldParams{SlotID: "slot_1"})
			return err
		}, true},
	}
}

// requireStopped checks the error of a call stopped by its context after
// one 503: the context's error is visible and so is the 503.
func requireStopped(t *testing.T, err error, ctxErr error, post bool) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, ctxErr, "the context's error is visible: %v", err)
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 503, apiErr.StatusCode, "the last response is kept")
	assert.Equal(t, connected.ErrorCodeServiceUnavailable, apiErr.Code)
	assert.Equal(t, "req_1", apiErr.RequestID)
	assert.Equal(t, 1, apiErr.Attempts)
	assert.Equal(t, post, apiErr.Ambiguous, "a POST answered 503 may have taken effect; a GET is never ambiguous")
	assert.Contains(t, err.Error(), "503 service_unavailable")
	assert.Contains(t, err.Error(), "stopped", "the message says the call was stopped")
}

// The cancel lands after the SDK has read the whole 503 and before it
// decides whether to retry: the hook runs when the SDK closes the body.
func TestCancelAtTheRetryDecisionIsVisible(t *testing.T) {
	for _, tc := range stopCases() {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t, jsonError(503, "api_error", "service_unavailable"))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			hooks := newHookTransport(t)
			hooks.beforeClose = cancel
			var w waits
			c := newTestClient(t, rec.srv.URL+"/v1", &w, connected.WithHTTPClient(hooks.client()))
			err := tc.call(ctx, c)
			requireStopped(t, err, context.Canceled, tc.post)
			assert.Equal(t, 1, rec.count(), "no retry once cancelled")
			assert.Empty(t, w.all(), "no wait once cancelled")
		})
	}
}

// The same with a deadline that passes at that point.
func TestDeadlineAtTheRetryDecisionIsVisible(t *testing.T) {
	for _, tc := range stopCases() {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t, jsonError(503, "api_error", "service_unavailable"))
			ctx := newExpiringContext()
			hooks := newHookTransport(t)
			hooks.beforeClose = ctx.expire
			var w waits
			c := newTestClient(t, rec.srv.URL+"/v1", &w, connected.WithHTTPClient(hooks.client()))
			err := tc.call(ctx, c)
			requireStopped(t, err, context.DeadlineExceeded, tc.post)
			assert.NotErrorIs(t, err, context.Canceled)
			assert.Equal(t, 1, rec.count())
		})
	}
}

// A cancel with a cause: both the context's error and the cause are seen.
func TestCancelCauseIsVisible(t *testing.T) {
	rec := newRecorder(t, jsonError(503, "api_error", "service_unavailable"))
	cause := errors.New("the patient closed the booking page")
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	hooks := newHookTransport(t)
	hooks.beforeClose = func() { cancel(cause) }
	var w waits
	c := newTestClient(t, rec.srv.URL+"/v1", &w, connected.WithHTTPClient(hooks.client()))
	_, err := c.Account.Get(ctx)
	requireStopped(t, err, context.Canceled, false)
	assert.ErrorIs(t, err, cause)
}

// The wait between attempts ends as soon as the context is cancelled.
func TestCancelDuringBackoffReturnsAtOnce(t *testing.T) {
	for _, tc := range stopCases() {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t, jsonError(503, "api_error", "service_unavailable"))
			waiting := make(chan struct{})
			c, err := connected.NewClient(testKey, connected.WithBaseURL(rec.srv.URL+"/v1"),
				connected.WithBackoff(time.Hour, time.Hour), // only cancellation can end this wait
				connected.WithWaitFunc(func(ctx context.Context, _ time.Duration) error {
					close(waiting)
					<-ctx.Done()
					return ctx.Err()
				}))
			require.NoError(t, err)
			ctx, cancel := context.WithCancel(context.Background())
			go func() { <-waiting; cancel() }()
			err = tc.call(ctx, c)
			requireStopped(t, err, context.Canceled, tc.post)
			assert.Equal(t, 1, rec.count())
		})
	}
}

// A wait that returns without error although the context was cancelled
// while it ran (a timer that fired at the same moment) must not lead to
// another attempt: the call stops with the last response.
func TestCancelAtTheEndOfTheWaitSendsNoMore(t *testing.T) {
	for _, tc := range stopCases() {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t, jsonError(503, "api_error", "service_unavailable"))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			c, err := connected.NewClient(testKey, connected.WithBaseURL(rec.srv.URL+"/v1"),
				connected.WithWaitFunc(func(context.Context, time.Duration) error { cancel(); return nil }))
			require.NoError(t, err)
			err = tc.call(ctx, c)
			requireStopped(t, err, context.Canceled, tc.post)
			assert.Equal(t, 1, rec.count(), "nothing sent after the cancel")
		})
	}
}

// retryLogged is a log destination that tells when the SDK has decided to
// retry: it logs the attempt, retry decision included, before it waits.
type retryLogged struct {
	once sync.Once
	ch   chan struct{}
}

func (r *retryLogged) Write(p []byte) (int, error) {
	if strings.Contains(string(p), `"retry":true`) {
		r.once.Do(func() { close(r.ch) })
	}
	return len(p), nil
}

// The SDK's own wait (a real timer of an hour) ends on cancel.
func TestRealWaitStopsOnCancel(t *testing.T) {
	for _, tc := range stopCases() {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t, jsonError(503, "api_error", "service_unavailable"))
			decided := &retryLogged{ch: make(chan struct{})}
			c, err := connected.NewClient(testKey, connected.WithBaseURL(rec.srv.URL+"/v1"), connected.WithBackoff(time.Hour, time.Hour),
				connected.WithLogger(slog.New(slog.NewJSONHandler(decided, nil))))
			require.NoError(t, err)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- tc.call(ctx, c) }()
			<-decided.ch // the 503 was read and a retry in an hour decided
			cancel()
			select {
			case err = <-done:
			case <-time.After(time.Minute): // a deadline guard: the wait is an hour
				t.Fatal("the call is still waiting after the cancel")
			}
			requireStopped(t, err, context.Canceled, tc.post)
			assert.Equal(t, 1, rec.count())
		})
	}
}

// The cancel lands while the server holds the request: the attempt is cut,
// its error says so, and a POST that was written may have taken effect.
func TestCancelDuringAnAttemptIsVisible(t *testing.T) {
	for _, tc := range stopCases() {
		t.Run(tc.name, func(t *testing.T) {
			arrived := make(chan struct{}, 1)
			rec := newRecorder(t, func(_ http.ResponseWriter, r *http.Request) {
				arrived <- struct{}{}
				<-r.Context().Done() // until the client goes away
			})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go func() { <-arrived; cancel() }()
			var w waits
			c := newTestClient(t, rec.srv.URL+"/v1", &w, freshConnections())
			err := tc.call(ctx, c)
			require.Error(t, err)
			assert.ErrorIs(t, err, context.Canceled)
			var apiErr *connected.Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, connected.ErrorTypeConnection, apiErr.Type)
			assert.Zero(t, apiErr.StatusCode, "no response arrived")
			assert.Equal(t, 1, apiErr.Attempts)
			assert.Equal(t, tc.post, apiErr.Ambiguous, "the server had the request")
			assert.Equal(t, 1, rec.count())
			assert.Empty(t, w.all())
		})
	}
}

// The cancel lands after a 503's headers arrived and before its body did:
// the status is kept, and the context's error is visible.
func TestCancelWhileReadingTheBodyKeepsTheStatus(t *testing.T) {
	for _, tc := range stopCases() {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Length", "1000")
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = w.Write([]byte(`{"error":`))
				w.(http.Flusher).Flush()
				<-r.Context().Done() // the rest of the body never comes
			})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			hooks := newHookTransport(t)
			hooks.afterResponse = func(*http.Response) { cancel() }
			var w waits
			c := newTestClient(t, rec.srv.URL+"/v1", &w, connected.WithHTTPClient(hooks.client()))
			err := tc.call(ctx, c)
			require.Error(t, err)
			assert.ErrorIs(t, err, context.Canceled)
			var apiErr *connected.Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 503, apiErr.StatusCode)
			assert.Equal(t, "req_1", apiErr.RequestID)
			assert.Equal(t, tc.post, apiErr.Ambiguous)
			assert.Equal(t, 1, rec.count())
			assert.Empty(t, w.all())
		})
	}
}

// A response that arrived in full is the call's result even if the
// context is cancelled the moment after: a booking that was made is never
// reported as an error.
func TestSuccessJustBeforeTheCancelIsASuccess(t *testing.T) {
	rec := newRecorder(t, okJSON(holdJSON))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hooks := newHookTransport(t)
	hooks.beforeClose = cancel
	var w waits
	c := newTestClient(t, rec.srv.URL+"/v1", &w, connected.WithHTTPClient(hooks.client()))
	hold, err := c.Holds.Create(ctx, &connected.HoldParams{SlotID: "slot_1"})
	require.NoError(t, err)
	assert.Equal(t, "apt_blk_1", hold.AppointmentID)
	assert.Error(t, ctx.Err(), "the cancel did land")
}
