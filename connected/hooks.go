package connected

import (
	"context"
	"net/http"
	"time"
)

// Hooks are functions the SDK calls as a call runs, so that metrics,
// traces and logs can follow it: which operation, which attempt, whether
// the SDK will retry and after how long, and how the call ended. Every
// field is optional. Give them with WithHooks, on the client or on a call;
// the client's run first, then the call's.
//
// A hook runs on the caller's goroutine and must return quickly; it must
// not keep the *http.Request it is given. A hook that panics panics the
// call: the panic reaches the method's caller as it is, after the SDK has
// closed the attempt's response body and released its timers, and no
// further attempt or hook of that call runs. Recover in the hook if a
// failure there must not fail the call. What it is given never holds a
// body, a query value or the key: Operation.Path is the contract's
// template, never the filled-in path.
type Hooks struct {
	// CallStart is called once per call, before its first attempt (and
	// for a call refused before sending, which then ends with no attempt:
	// CallEnd is given the refusal). The
	// context it returns, if not nil, is the call's from then on: every
	// attempt's context is derived from it, and CallEnd is given it, so a
	// span opened here can be closed there.
	CallStart func(ctx context.Context, call CallInfo) context.Context

	// AttemptStart is called before each attempt is sent, with the
	// outgoing request: it may add headers to it (trace context, say). The
	// headers the SDK sets (Authorization, Idempotency-Key, Accept,
	// Content-Type, Content-Length, Host, User-Agent and an operation's
	// X-Appointment-Hold-Token) are not the hook's: whatever it does to
	// them is undone before the request is sent, as WithHeader refuses
	// them. The context it returns, if not nil, is the attempt's: the
	// request is sent with it, and AttemptEnd is given it.
	AttemptStart func(ctx context.Context, attempt AttemptInfo) context.Context

	// AttemptEnd is called after each attempt, with its result and the
	// SDK's decision to retry it or not.
	AttemptEnd func(ctx context.Context, attempt AttemptInfo)

	// CallEnd is called once per call, after its last attempt, with the
	// call's outcome.
	CallEnd func(ctx context.Context, call CallInfo)
}

// Operation names an operation of the API.
type Operation struct {
	// ID is the contract's operationId, such as "confirmAppointment"; ""
	// for a raw call (Client.Do).
	ID string
	// Method is the HTTP method.
	Method string
	// Path is the contract's path template, such as
	// "/connected/appointments/{appointment_id}/confirm": never an id.
	Path string
}

// CallInfo describes a call. CallStart is given the fields known before
// the first attempt; CallEnd is given them all.
type CallInfo struct {
	Operation Operation
	// IdempotencyKey is the key every attempt of a call other than a GET
	// carries; "" for a GET.
	IdempotencyKey string

	// Set for CallEnd.
	Attempts  int           // how many attempts were made
	Replayed  bool          // the final response was the replay of an earlier request with the same key
	Ambiguous bool          // the call may have taken effect but its result was not seen (see Error.Ambiguous)
	Err       error         // the call's error, nil on success
	Duration  time.Duration // from CallStart to CallEnd
}

// AttemptInfo describes one attempt of a call. AttemptStart is given the
// fields known before it is sent; AttemptEnd is given them all.
type AttemptInfo struct {
	Operation      Operation
	Attempt        int    // 1 for the first attempt, 2 for the first retry, …
	IdempotencyKey string // as in CallInfo
	// Request is the request about to be sent, for AttemptStart only
	// (nil for AttemptEnd). AttemptStart may set headers on it; nothing
	// else may change it, and no hook may keep it.
	Request *http.Request

	// Set for AttemptEnd.
	Written    bool          // the request was written to the connection (for a GET: a response arrived)
	StatusCode int           // 0 if no response arrived
	RequestID  string        // the response's X-Request-Id
	Replayed   bool          // the response is the replay of an earlier request with the same key
	Err        *Error        // the attempt's error, nil on success
	Retry      bool          // the SDK will send the call again, after RetryWait
	RetryWait  time.Duration // the wait before the next attempt
	Duration   time.Duration // from AttemptStart to AttemptEnd
}

// WithHooks adds hooks that observe every call (on a client) or this call
// (on a method). Several may be given; they run in the order given, the
// client's before the call's.
func WithHooks(h Hooks) Option {
	return Option{func(c *requestConfig) error {
		c.hooks = append(c.hooks[:len(c.hooks):len(c.hooks)], &h)
		return nil
	}}
}

// watched says which hooks a call has: the engine builds what hooks are
// given only for those that take it (the logger's, say, is told of the
// end of each attempt alone).
type watched struct {
	calls         bool // CallStart or CallEnd
	attempts      bool // AttemptStart or AttemptEnd
	attemptStarts bool // AttemptStart, which may add headers
}

func (c *requestConfig) watched() watched {
	var w watched
	c.eachHook(func(h *Hooks) {
		w.calls = w.calls || h.CallStart != nil || h.CallEnd != nil
		w.attempts = w.attempts || h.AttemptStart != nil || h.AttemptEnd != nil
		w.attemptStarts = w.attemptStarts || h.AttemptStart != nil
	})
	return w
}

// eachHook calls f with the logger's hooks, then every other.
func (c *requestConfig) eachHook(f func(h *Hooks)) {
	if c.logHooks != nil {
		f(c.logHooks)
	}
	for _, h := range c.hooks {
		f(h)
	}
}

func (c *requestConfig) callStart(ctx context.Context, call CallInfo) context.Context {
	c.eachHook(func(h *Hooks) {
		if h.CallStart != nil {
			if next := h.CallStart(ctx, call); next != nil {
				ctx = next
			}
		}
	})
	return ctx
}

func (c *requestConfig) callEnd(ctx context.Context, call CallInfo) {
	c.eachHook(func(h *Hooks) {
		if h.CallEnd != nil {
			h.CallEnd(ctx, call)
		}
	})
}

func (c *requestConfig) attemptStart(ctx context.Context, attempt AttemptInfo) context.Context {
	c.eachHook(func(h *Hooks) {
		if h.AttemptStart != nil {
			if next := h.AttemptStart(ctx, attempt); next != nil {
				ctx = next
			}
		}
	})
	return ctx
}

func (c *requestConfig) attemptEnd(ctx context.Context, attempt AttemptInfo) {
	c.eachHook(func(h *Hooks) {
		if h.AttemptEnd != nil {
			h.AttemptEnd(ctx, attempt)
		}
	})
}
