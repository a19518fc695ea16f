package netfault

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
	"github.com/dronline/connected-go/connected/connectedtest"
)

// netCase is one network fault on the confirm of a hold.
type netCase struct {
	name string
	opts []connected.ClientOption
	// arm installs the fault before the confirm is sent.
	arm func(t *testing.T, n *netFault)
	// lift runs between attempts (retry 1, 2, …): it changes the network
	// for the next attempt, usually by removing the fault.
	lift func(t *testing.T, n *netFault, retry int)
	// giveUpRetries is how many retries the "gives up" variant allows
	// (lift runs between them too): its last attempt still meets a fault.
	giveUpRetries int
	// certain is true when giving up leaves no doubt: no attempt reached
	// the server. Otherwise the error must be Ambiguous.
	certain bool
	// check, if set, makes sure the fault really happened as described.
	check func(t *testing.T, attempts []map[string]any)
	// expiresOnceAnswered makes the first attempt's deadline pass when the
	// server has answered it (confirmAnswered), for a fault that would
	// otherwise hold the attempt until long after the server is done.
	expiresOnceAnswered bool
}

func netCases() []netCase {
	liftAll := func(name string) func(t *testing.T, n *netFault, retry int) {
		return func(t *testing.T, n *netFault, retry int) {
			if retry == 1 {
				n.remove(t, name)
			}
		}
	}
	return []netCase{{
		// The proxy resets both sides as soon as the request's first bytes
		// arrive: the server never reads a request.
		name: "reset before the request is read",
		arm:  func(t *testing.T, n *netFault) { n.add(t, "reset", "reset_peer", "upstream", `{"timeout":0}`) },
		lift: liftAll("reset"),
	}, {
		// Not one byte of the response gets through, and the proxy closes
		// the client's connection once the server has answered: the
		// confirm is committed but the client never hears of it.
		name: "reset after the server committed",
		arm:  func(t *testing.T, n *netFault) { n.add(t, "lost", "limit_data", "downstream", `{"bytes":0}`) },
		lift: liftAll("lost"),
	}, {
		// The response is held for an hour, and the first attempt's
		// deadline passes once the server has answered it: it times out
		// after the server committed, whatever the machine's speed, and the
		// retry finds the key's result stored, never still in use. Not once
		// its request is written: net/http reports that (WroteRequest)
		// before it flushes the request to the socket, so on a busy machine
		// the expired attempt's connection could be closed first and the
		// server never see the request. Later attempts have no deadline of
		// their own, so the retry, once the fault is lifted, cannot time
		// out on a slow machine either.
		name:                "latency beyond the attempt timeout",
		arm:                 func(t *testing.T, n *netFault) { n.add(t, "slow", "latency", "downstream", `{"latency":3600000}`) },
		lift:                liftAll("slow"),
		expiresOnceAnswered: true,
	}, {
		// The status line and headers arrive, the body is cut short.
		name: "response cut mid-body",
		arm:  func(t *testing.T, n *netFault) { n.add(t, "cut", "limit_data", "downstream", `{"bytes":400}`) },
		lift: liftAll("cut"),
		check: func(t *testing.T, attempts []map[string]any) {
			require.NotEmpty(t, attempts)
			assert.InDelta(t, 200, attempts[0]["status"], 0, "the headers got through")
			assert.Equal(t, "connection_error", attempts[0]["error_type"], "the body did not")
		},
	}, {
		// 1 KB/s: the ~2 KB response takes two seconds to trickle in; the
		// first attempt's deadline passes as its first byte arrives.
		name: "bandwidth throttled",
		opts: []connected.ClientOption{firstAttemptExpiresAt(onFirstResponseByte)},
		arm:  func(t *testing.T, n *netFault) { n.add(t, "thin", "bandwidth", "downstream", `{"rate":1}`) },
		lift: liftAll("thin"),
		check: func(t *testing.T, attempts []map[string]any) {
			require.NotEmpty(t, attempts)
			assert.Equal(t, "connection_error", attempts[0]["error_type"], "the response did not arrive in time")
		},
	}, {
		name:    "server down then back",
		certain: true,
		arm:     func(t *testing.T, n *netFault) { n.down(t) },
		lift: func(t *testing.T, n *netFault, retry int) {
			if retry == 1 {
				n.up(t)
			}
		},
	}, {
		// The worst order: the first attempt commits and its response is
		// lost, then the server is unreachable. A connection refused proves
		// nothing about the earlier attempt, so giving up there must still
		// be reported as ambiguous.
		name: "response lost then server down then back",
		arm:  func(t *testing.T, n *netFault) { n.add(t, "lost", "limit_data", "downstream", `{"bytes":0}`) },
		lift: func(t *testing.T, n *netFault, retry int) {
			switch retry {
			case 1:
				n.remove(t, "lost")
				n.down(t)
			case 2:
				n.up(t)
			}
		},
		giveUpRetries: 1,
	}}
}

// TestConfirmThroughNetworkFaults runs hold → confirm through each fault
// twice: with retries that outlast the fault (the call must succeed and
// book once), and giving up while the fault holds (the error must say
// whether the outcome is known, and a replay with its key must never book
// a second time).
func TestConfirmThroughNetworkFaults(t *testing.T) {
	for _, tc := range netCases() {
		t.Run(tc.name+"/retried", func(t *testing.T) {
			r := runNetCase(t, tc, 3)
			require.NoError(t, r.err, "retries outlast the fault")
			assert.GreaterOrEqual(t, r.info.Attempts, 2, "the fault hit the first attempt")
			r.settle(t)
		})
		t.Run(tc.name+"/gives up", func(t *testing.T) {
			r := runNetCase(t, tc, tc.giveUpRetries)
			require.Error(t, r.err, "the fault hit the last attempt")
			assert.Equal(t, !tc.certain, errors.Is(r.err, connected.ErrAmbiguous), "ambiguous unless nothing reached the server")
			r.settle(t)
		})
	}
}

type netRun struct {
	e        *env
	hold     *connected.AppointmentHold
	appt     *connected.Appointment
	info     connected.ResponseInfo
	err      error
	attempts []map[string]any
}

// netDeadline bounds each call only so that an SDK that hangs (say, that
// waits out the latency fault's hour) fails its test instead of the whole
// run. Nothing waits for it: every attempt ends on an event (an answer, a
// reset, a refused dial, an expiry the test triggers on an event), and
// every wait between attempts returns at once.
const netDeadline = 20 * time.Second

func runNetCase(t *testing.T, tc netCase, retries int) *netRun {
	t.Helper()
	answered := &confirmAnswered{done: make(chan struct{})}
	e := newEnv(t, connectedtest.WithLogger(slog.New(answered)))
	n := newNetFault(t, e.srv.URL())
	r := &netRun{e: e, hold: e.hold(t, e.slot(t, "aptype_gp15", start.Add(48*time.Hour)))}

	logs := &lockedBuffer{}
	// No attempt timeout: an attempt ends on an event, and the one that
	// must time out is made to (expiry_test.go).
	opts := append([]connected.ClientOption{
		connected.WithBaseURL(n.url), freshConnections(), connected.WithAttemptTimeout(0),
		connected.WithMaxRetries(retries),
		connected.WithLogger(slog.New(slog.NewJSONHandler(logs, nil))),
	}, betweenAttempts(func(retry int) { tc.lift(t, n, retry) })...)
	opts = append(opts, tc.opts...)
	if tc.expiresOnceAnswered {
		opts = append(opts, firstAttemptExpiresWhen(answered.done))
	}
	c, err := connected.NewClient(e.srv.APIKey(), opts...)
	require.NoError(t, err)

	tc.arm(t, n)
	ctx, cancel := context.WithTimeout(context.Background(), netDeadline)
	defer cancel()
	began := time.Now()
	r.appt, r.err = c.Appointments.Confirm(ctx, r.hold.AppointmentID, r.hold.HoldToken, confirmParams("net"), connected.WithResponseInfo(&r.info))
	assert.Less(t, time.Since(began), netDeadline, "the call ended within its deadline")
	assert.NoError(t, ctx.Err(), "the call ended on its own, not by the deadline")
	r.attempts = logs.lines(t)
	assert.Len(t, r.attempts, r.info.Attempts, "one log line per attempt")
	if tc.check != nil {
		tc.check(t, r.attempts)
	}
	return r
}

// settle checks what the server holds against what the caller was told,
// then replays when the outcome was ambiguous.
func (r *netRun) settle(t *testing.T) {
	t.Helper()
	srv := r.e.srv
	key := r.info.IdempotencyKey
	require.NotEmpty(t, key)
	if r.err == nil {
		appts := srv.Appointments(srv.APIKey())
		require.Len(t, appts, 1, "told it succeeded: exactly one appointment")
		assert.Equal(t, appts[0].ID, r.appt.ID)
	} else {
		var apiErr *connected.Error
		require.ErrorAs(t, r.err, &apiErr, "a typed error")
		assert.Equal(t, key, apiErr.IdempotencyKey, "the error carries the call's key")
		assert.Equal(t, r.info.Attempts, apiErr.Attempts)
		if !apiErr.Ambiguous {
			assert.Empty(t, srv.Appointments(srv.APIKey()), "told it failed for certain: no appointment")
		} else {
			assert.ErrorIs(t, r.err, connected.ErrAmbiguous)
			assert.Contains(t, r.err.Error(), key, "the message says which key to replay with")
		}
	}
	// Every confirm the server saw carried the key the caller was told.
	var seen int
	for _, req := range srv.Requests() {
		if req.Method == http.MethodPost && strings.HasSuffix(req.Path, "/confirm") {
			seen++
			assert.Equal(t, key, req.IdempotencyKey, "one key for every attempt")
		}
	}
	before := srv.Appointments(srv.APIKey())

	// Replaying with the key (as a caller would after an ambiguous error,
	// or after a crash) gives the one appointment, never a second. No
	// attempt can still be on its way to the server or in its hands, so
	// the key is never in use here: every fault ends an attempt either
	// without letting its request through or once the server has answered
	// it (a reset or cut after the response left the server, its first
	// byte, or confirmAnswered).
	again, err := r.e.c.Appointments.Confirm(context.Background(), r.hold.AppointmentID, r.hold.HoldToken, confirmParams("net"), connected.WithIdempotencyKey(key))
	require.NoError(t, err, "the replay (seen %d confirms before)", seen)
	appts := srv.Appointments(srv.APIKey())
	require.Len(t, appts, 1, "never a second booking")
	assert.Equal(t, appts[0].ID, again.ID)
	if len(before) == 1 {
		assert.Equal(t, before[0].ID, again.ID, "the replay is the original appointment")
	}
	if r.err == nil {
		assert.Equal(t, r.appt.ID, again.ID)
	}
	// And again: the key's stored result answers every repetition.
	var info connected.ResponseInfo
	third, err := r.e.c.Appointments.Confirm(context.Background(), r.hold.AppointmentID, r.hold.HoldToken, confirmParams("net"),
		connected.WithIdempotencyKey(key), connected.WithResponseInfo(&info))
	require.NoError(t, err, "a second replay")
	assert.True(t, info.Replayed)
	assert.Equal(t, again.ID, third.ID)
	assert.Len(t, srv.Appointments(srv.APIKey()), 1)
}

// confirmAnswered is a slog.Handler for the fake server's log that closes
// done when the server has answered a confirm. The fake logs each request
// once, as it answers it: after storing the result under the request's
// Idempotency-Key, before writing the response. So done is the event "the
// server has committed the confirm", seen without polling for it.
type confirmAnswered struct {
	once sync.Once
	done chan struct{}
}

func (h *confirmAnswered) Enabled(context.Context, slog.Level) bool { return true }
func (h *confirmAnswered) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *confirmAnswered) WithGroup(string) slog.Handler            { return h }

func (h *confirmAnswered) Handle(_ context.Context, rec slog.Record) error {
	var method, path string
	var status int64
	rec.Attrs(func(a slog.Attr) bool {
		switch {
		case a.Key == "method":
			method = a.Value.String()
		case a.Key == "path":
			path = a.Value.String()
		case a.Key == "status" && a.Value.Kind() == slog.KindInt64:
			status = a.Value.Int64()
		}
		return true
	})
	// Status 0 is a request the server dropped or abandoned: not answered.
	if method == http.MethodPost && strings.HasSuffix(path, "/confirm") && status != 0 {
		h.once.Do(func() { close(h.done) })
	}
	return nil
}
