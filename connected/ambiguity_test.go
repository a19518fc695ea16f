package connected_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

// "Ambiguous" means the request may have reached the server. The SDK
// learns it from what the transport did (were the request's headers
// written?), not from the type of the error: these tests fail requests at
// every point, from outside, and check the verdict.

// everyPOST calls each write of the API once.
func everyPOST(ctx context.Context, c *connected.Client) map[string]error {
	p := patient()
	out := map[string]error{}
	_, out["hold"] = c.Holds.Create(ctx, &connected.HoldParams{SlotID: "slot_1", Patient: &p})
	_, out["confirm"] = c.Appointments.Confirm(ctx, "apt_1", "aht_1", &connected.ConfirmParams{Patient: p, ExternalPaymentReference: "pi_1"})
	_, out["cancel"] = c.Appointments.Cancel(ctx, "apt_1")
	_, out["reschedule"] = c.Appointments.Reschedule(ctx, "apt_1", &connected.RescheduleParams{SlotID: "slot_2"})
	_, out["validate"] = c.Slots.Validate(ctx, &connected.SlotValidateParams{SlotID: "slot_1"})
	return out
}

// countingServer counts the requests that arrive, and answers 200.
func countingServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func requireNotSent(t *testing.T, name string, err error) {
	t.Helper()
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr, name)
	assert.False(t, apiErr.Ambiguous, "%s: nothing was sent, so nothing can have taken effect: %v", name, err)
	assert.NotErrorIs(t, err, connected.ErrAmbiguous, name)
	assert.Equal(t, connected.ErrorTypeConnection, apiErr.Type, name)
	assert.NotEmpty(t, apiErr.IdempotencyKey, name)
	assert.Contains(t, err.Error(), "not sent", name)
}

func TestCancelledBeforeSendingIsNotAmbiguous(t *testing.T) {
	srv, arrived := countingServer(t)
	var w waits
	c := newTestClient(t, srv.URL+"/v1", &w)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for name, err := range everyPOST(ctx, c) {
		requireNotSent(t, name, err)
		assert.ErrorIs(t, err, context.Canceled, name)
	}
	assert.Zero(t, arrived.Load(), "nothing reached the server")
	assert.Empty(t, w.all(), "a cancelled call is not retried")
}

// Dial failures of every kind: refused, a name that does not resolve, a
// dialer of the caller's that fails with an error of its own.
func TestDialFailuresAreNotAmbiguous(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := l.Addr().String()
	require.NoError(t, l.Close()) // nothing listens there now

	dialers := map[string]func(ctx context.Context, network, addr string) (net.Conn, error){
		"connection refused": func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, closed)
		},
		"no such host": func(context.Context, string, string) (net.Conn, error) {
			return nil, &net.DNSError{Err: "no such host", Name: "api.example.invalid", IsNotFound: true}
		},
		"dialer's own error": func(context.Context, string, string) (net.Conn, error) {
			return nil, errors.New("egress policy: destination not allowed")
		},
	}
	for name, dial := range dialers {
		t.Run(name, func(t *testing.T) {
			tr := &http.Transport{DialContext: dial}
			t.Cleanup(tr.CloseIdleConnections)
			var w waits
			c := newTestClient(t, "http://127.0.0.1:9/v1", &w, connected.WithHTTPClient(&http.Client{Transport: tr}))
			for call, err := range everyPOST(context.Background(), c) {
				requireNotSent(t, call, err)
				var apiErr *connected.Error
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, 3, apiErr.Attempts, "%s: a failed dial is retried", call)
			}
		})
	}
}

// A RoundTripper of the caller's (a circuit breaker, a rate limiter) that
// refuses the request sends nothing.
func TestRefusedByARoundTripperIsNotAmbiguous(t *testing.T) {
	srv, arrived := countingServer(t)
	refuse := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
		return nil, errors.New("circuit open")
	})}
	var w waits
	c := newTestClient(t, srv.URL+"/v1", &w, connected.WithHTTPClient(refuse))
	for name, err := range everyPOST(context.Background(), c) {
		requireNotSent(t, name, err)
	}
	assert.Zero(t, arrived.Load())
}

// The same RoundTripper error after the request went out through a real
// transport is ambiguous: what counts is what was written, not the error.
func TestAnErrorAfterTheRequestWasWrittenIsAmbiguous(t *testing.T) {
	srv, arrived := countingServer(t)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	lose := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := tr.RoundTrip(r)
		if err == nil {
			_ = resp.Body.Close()
		}
		return nil, errors.New("circuit open")
	})}
	var w waits
	c := newTestClient(t, srv.URL+"/v1", &w, connected.WithHTTPClient(lose))
	for name, err := range everyPOST(context.Background(), c) {
		var apiErr *connected.Error
		require.ErrorAs(t, err, &apiErr, name)
		assert.True(t, apiErr.Ambiguous, "%s: the server had the request", name)
		assert.ErrorIs(t, err, connected.ErrAmbiguous, name)
	}
	assert.Positive(t, arrived.Load())
}

// Written, then the connection is cut before any answer: ambiguous.
func TestWrittenThenCutIsAmbiguous(t *testing.T) {
	var arrived atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		arrived.Add(1)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}))
	t.Cleanup(srv.Close)
	var w waits
	c := newTestClient(t, srv.URL+"/v1", &w, freshConnections(), connected.WithMaxRetries(1))
	for name, err := range everyPOST(context.Background(), c) {
		var apiErr *connected.Error
		require.ErrorAs(t, err, &apiErr, name)
		assert.True(t, apiErr.Ambiguous, "%s: %v", name, err)
		assert.Equal(t, 2, apiErr.Attempts)
		assert.Contains(t, err.Error(), "request failed", name)
	}
	_, err := c.Account.Get(context.Background())
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr)
	assert.False(t, apiErr.Ambiguous, "a GET is never ambiguous")
	assert.Equal(t, int64(12), arrived.Load(), "every attempt reached the server")
}

// One attempt that may have reached the server makes the whole call
// ambiguous, whatever later attempts meet: a refused connection proves
// nothing about an earlier attempt.
func TestAmbiguityIsKeptAcrossLaterUnsentAttempts(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			_ = conn.Close()
		}
	}))
	t.Cleanup(srv.Close)
	tr := &http.Transport{DisableKeepAlives: true}
	var n atomic.Int64
	first := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if n.Add(1) == 1 {
			return tr.RoundTrip(r) // written, then cut
		}
		return nil, errors.New("circuit open") // never sent
	})}
	var w waits
	c := newTestClient(t, srv.URL+"/v1", &w, connected.WithHTTPClient(first))
	_, err := createHold(c)
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 3, apiErr.Attempts)
	assert.True(t, apiErr.Ambiguous)
	assert.Contains(t, err.Error(), "not sent", "the last attempt's own error")
}

// Cancel reads the appointment back only when an earlier attempt may have
// done the cancelling. Here the first attempt is refused by the caller's
// RoundTripper (nothing sent) and someone else has cancelled meanwhile:
// the retry's "already cancelled" is the answer, with no read-back.
func TestCancelReadsBackOnlyWhenAnEarlierAttemptWasSent(t *testing.T) {
	e := newEnv(t)
	appt := e.book(t, "aptype_gp15", start.Add(72*time.Hour), "rb1")
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	var n atomic.Int64
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if n.Add(1) == 1 {
			_, err := e.c.Appointments.Cancel(context.Background(), appt.ID) // someone else's cancel
			require.NoError(t, err)
			return nil, errors.New("circuit open")
		}
		return tr.RoundTrip(r)
	})}
	c, err := connected.NewClient(e.srv.APIKey(), connected.WithBaseURL(e.srv.URL()), connected.WithHTTPClient(hc),
		connected.WithWaitFunc(e.w.wait))
	require.NoError(t, err)
	before := len(e.srv.Requests())
	_, err = c.Appointments.Cancel(context.Background(), appt.ID)
	assert.ErrorIs(t, err, connected.ErrAlreadyCancelled, "this call cancelled nothing")
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr)
	assert.False(t, apiErr.Ambiguous)
	for _, r := range e.srv.Requests()[before:] {
		assert.NotEqual(t, http.MethodGet, r.Method, "no read-back: %s %s", r.Method, r.Path)
	}
}

// The same for reschedule: a first attempt that was never sent cannot
// have moved the appointment, so "limit reached" is not read back.
func TestRescheduleReadsBackOnlyWhenAnEarlierAttemptWasSent(t *testing.T) {
	e := newEnv(t)
	appt := e.book(t, "aptype_gp15", start.Add(72*time.Hour), "rb2")
	next := e.slotNear(t, appt, time.Hour)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	var n atomic.Int64
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if n.Add(1) == 1 {
			// Someone else moves it to the very slot this call asks for.
			_, err := e.c.Appointments.Reschedule(context.Background(), appt.ID, &connected.RescheduleParams{SlotID: next.ID})
			require.NoError(t, err)
			return nil, errors.New("circuit open")
		}
		return tr.RoundTrip(r)
	})}
	c, err := connected.NewClient(e.srv.APIKey(), connected.WithBaseURL(e.srv.URL()), connected.WithHTTPClient(hc),
		connected.WithWaitFunc(e.w.wait))
	require.NoError(t, err)
	before := len(e.srv.Requests())
	_, err = c.Appointments.Reschedule(context.Background(), appt.ID, &connected.RescheduleParams{SlotID: next.ID})
	assert.ErrorIs(t, err, connected.ErrRescheduleRefused, "this call moved nothing")
	for _, r := range e.srv.Requests()[before:] {
		assert.NotEqual(t, http.MethodGet, r.Method, "no read-back: %s %s", r.Method, r.Path)
	}
}

// The fake server's own faults: a dropped connection after the request
// was read is ambiguous, a refused one is not.
func TestFakeServerDropIsAmbiguous(t *testing.T) {
	e := newEnv(t, freshConnections(), connected.WithMaxRetries(0))
	e.srv.InjectFault(connectedtest.Fault{Method: "POST", Path: "/connected/appointment_holds", Drop: true})
	_, err := createHold(e.c)
	assert.ErrorIs(t, err, connected.ErrAmbiguous)
}

// A ClientTrace of the caller's in the context (their own tracing, an
// OpenTelemetry transport) still sees every event: the SDK's trace is
// composed with it, not put in its place.
func TestTheCallersClientTraceStillFires(t *testing.T) {
	srv, _ := countingServer(t)
	var w waits
	c := newTestClient(t, srv.URL+"/v1", &w, freshConnections())
	var wrote, gotConn atomic.Int64
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
		GotConn:      func(httptrace.GotConnInfo) { gotConn.Add(1) },
		WroteHeaders: func() { wrote.Add(1) },
	})
	_, err := c.Holds.Create(ctx, &connected.HoldParams{SlotID: "slot_1"})
	require.NoError(t, err)
	_, err = c.Account.Get(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 2, wrote.Load(), "the caller's WroteHeaders, on the POST and the GET")
	assert.EqualValues(t, 2, gotConn.Load())
}
