package connected_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

type ctxKey string

// hookLog records what the hooks are told, in order.
type hookLog struct {
	mu       sync.Mutex
	events   []string
	calls    []connected.CallInfo
	attempts []connected.AttemptInfo
	ctxSeen  []any
}

func (l *hookLog) hooks(name string) connected.Hooks {
	return connected.Hooks{
		CallStart: func(ctx context.Context, c connected.CallInfo) context.Context {
			l.add(name+" call start", nil, &c, nil)
			return context.WithValue(ctx, ctxKey(name), "span of "+c.Operation.ID)
		},
		AttemptStart: func(ctx context.Context, a connected.AttemptInfo) context.Context {
			l.add(name+" attempt start", ctx.Value(ctxKey(name)), nil, &a)
			a.Request.Header.Set("Traceparent", "00-"+name)
			return context.WithValue(ctx, ctxKey(name+"-attempt"), a.Attempt)
		},
		AttemptEnd: func(ctx context.Context, a connected.AttemptInfo) {
			l.add(name+" attempt end", ctx.Value(ctxKey(name+"-attempt")), nil, &a)
		},
		CallEnd: func(ctx context.Context, c connected.CallInfo) {
			l.add(name+" call end", ctx.Value(ctxKey(name)), &c, nil)
		},
	}
}

func (l *hookLog) add(event string, ctxValue any, c *connected.CallInfo, a *connected.AttemptInfo) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, event)
	l.ctxSeen = append(l.ctxSeen, ctxValue)
	if c != nil {
		l.calls = append(l.calls, *c)
	}
	if a != nil {
		l.attempts = append(l.attempts, *a)
	}
}

// A confirm that meets two 503s: the hooks see one call of three attempts,
// named by the contract's operation and path template, with one
// idempotency key, each retry decision with its wait, and the contexts
// they returned; a header AttemptStart adds reaches the server on every
// attempt.
func TestHooksSeeEveryAttemptOfACall(t *testing.T) {
	var mu sync.Mutex
	var seen []http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		n := len(seen)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "req_"+string(rune('0'+n)))
		if n <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"error":{"type":"api_error","code":"service_unavailable","message":"busy"}}`))
			return
		}
		_, _ = w.Write([]byte(`{"id":"apt_1","object":"appointment"}`))
	}))
	defer srv.Close()

	var log hookLog
	var w waits
	c := newTestClient(t, srv.URL+"/v1", &w, connected.WithHooks(log.hooks("client")))
	_, err := c.Appointments.Confirm(context.Background(), "apt_blk_1", "aht_tok", confirmParams("hooks"),
		connected.WithHooks(log.hooks("call")))
	require.NoError(t, err)

	var want []string
	want = append(want, "client call start", "call call start")
	for range 3 {
		want = append(want, "client attempt start", "call attempt start", "client attempt end", "call attempt end")
	}
	want = append(want, "client call end", "call call end")
	assert.Equal(t, want, log.events)

	op := connected.Operation{ID: "confirmAppointment", Method: http.MethodPost, Path: "/connected/appointments/{appointment_id}/confirm"}
	require.Len(t, log.calls, 4)
	key := log.calls[0].IdempotencyKey
	assert.NotEmpty(t, key)
	end := log.calls[2]
	assert.Equal(t, op, end.Operation)
	assert.Equal(t, 3, end.Attempts)
	assert.NoError(t, end.Err)
	assert.False(t, end.Ambiguous)
	assert.Positive(t, end.Duration)

	var ends []connected.AttemptInfo
	for i, a := range log.attempts {
		assert.Equal(t, op, a.Operation)
		assert.Equal(t, key, a.IdempotencyKey, "one key for every attempt")
		if i%4 < 2 {
			require.NotNil(t, a.Request, "AttemptStart sees the request")
			assert.Equal(t, "/v1/connected/appointments/apt_blk_1/confirm", a.Request.URL.Path)
			continue
		}
		assert.Nil(t, a.Request)
		if i%4 == 2 {
			ends = append(ends, a)
		}
	}
	require.Len(t, ends, 3)
	for i, a := range ends {
		assert.Equal(t, i+1, a.Attempt)
		assert.True(t, a.Written)
		assert.Equal(t, "req_"+string(rune('1'+i)), a.RequestID)
		if i < 2 {
			assert.Equal(t, http.StatusServiceUnavailable, a.StatusCode)
			require.NotNil(t, a.Err)
			assert.Equal(t, connected.ErrorCodeServiceUnavailable, a.Err.Code)
			assert.True(t, a.Retry)
			assert.Equal(t, w.all()[i], a.RetryWait, "the wait the SDK then waited")
		} else {
			assert.Equal(t, http.StatusOK, a.StatusCode)
			assert.Nil(t, a.Err)
			assert.False(t, a.Retry)
		}
	}

	// The contexts: CallStart's reaches the attempts and CallEnd;
	// AttemptStart's reaches AttemptEnd.
	for i, ev := range log.events {
		switch ev {
		case "client attempt start", "client call end":
			assert.Equal(t, "span of confirmAppointment", log.ctxSeen[i], ev)
		case "client attempt end":
			assert.NotNil(t, log.ctxSeen[i], ev)
		}
	}
	require.Len(t, seen, 3)
	for _, h := range seen {
		assert.Equal(t, []string{"00-call"}, h.Values("Traceparent"), "AttemptStart's header, the last hook's value, on every attempt")
	}
}

// A call whose hooks are given only on the call leaves the client's next
// call unobserved.
func TestCallHooksAreForTheCallOnly(t *testing.T) {
	rec := newRecorder(t, okJSON(`{"id":"acct_1","object":"account"}`))
	var log hookLog
	var w waits
	c := newTestClient(t, rec.srv.URL+"/v1", &w)
	_, err := c.Account.Get(context.Background(), connected.WithHooks(log.hooks("call")))
	require.NoError(t, err)
	_, err = c.Account.Get(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"call call start", "call attempt start", "call attempt end", "call call end"}, log.events)
	assert.Equal(t, "getAccount", log.calls[0].Operation.ID)
	assert.Empty(t, log.calls[0].IdempotencyKey, "a GET has no key")
}
