package connected_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync"
	"testing"
	"time"

	"github.com/dronline/connected-go/connected"
)

// hookTransport is a caller's own RoundTripper around a real
// http.Transport, with hooks that place an event (a cancel, an expiry) at
// an exact point of an attempt instead of after a sleep:
//
//   - afterResponse runs once the response's headers have arrived, before
//     the SDK reads the body;
//   - beforeClose runs when the SDK closes the body, that is once it has
//     read the whole response and before it decides what to do next.
type hookTransport struct {
	base          *http.Transport
	afterResponse func(*http.Response)
	beforeClose   func()
}

func newHookTransport(t *testing.T) *hookTransport {
	t.Helper()
	h := &hookTransport{base: &http.Transport{}}
	t.Cleanup(h.base.CloseIdleConnections)
	return h
}

func (h *hookTransport) client() *http.Client { return &http.Client{Transport: h} }

func (h *hookTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := h.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	if h.afterResponse != nil {
		h.afterResponse(resp)
	}
	if h.beforeClose != nil {
		resp.Body = &hookedBody{ReadCloser: resp.Body, beforeClose: h.beforeClose}
	}
	return resp, nil
}

type hookedBody struct {
	io.ReadCloser
	once        sync.Once
	beforeClose func()
}

func (b *hookedBody) Close() error {
	b.once.Do(b.beforeClose)
	return b.ReadCloser.Close()
}

// expiringContext is a context whose deadline passes when the test says
// so: a DeadlineExceeded placed exactly, without a clock. The embedded
// Background gives it no values. It reports deadline as its deadline when
// one is set (the moment expire is expected by), none otherwise.
type expiringContext struct {
	context.Context
	done     chan struct{}
	once     sync.Once
	deadline time.Time
}

func (c *expiringContext) Deadline() (time.Time, bool) { return c.deadline, !c.deadline.IsZero() }

func newExpiringContext() *expiringContext {
	return &expiringContext{Context: context.Background(), done: make(chan struct{})}
}

func (c *expiringContext) expire() { c.once.Do(func() { close(c.done) }) }

func (c *expiringContext) Done() <-chan struct{} { return c.done }

func (c *expiringContext) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

// firstAttemptExpiresAt makes the first attempt's deadline pass at an exact
// point of the exchange — when the httptrace hook that arm sets calls
// expire — rather than after a timer that a loaded machine may or may not
// beat. Later attempts have no deadline of their own, so a retry that
// should succeed once a fault is lifted cannot time out on a slow machine;
// the call's context still bounds them.
func firstAttemptExpiresAt(arm func(tr *httptrace.ClientTrace, expire func())) connected.Option {
	return connected.WithAttemptContext(func(ctx context.Context, attempt int) (context.Context, context.CancelFunc) {
		actx, cancel := context.WithCancelCause(ctx)
		if attempt == 1 {
			tr := &httptrace.ClientTrace{}
			arm(tr, func() { cancel(context.DeadlineExceeded) })
			actx = httptrace.WithClientTrace(actx, tr)
		}
		return actx, func() { cancel(nil) }
	})
}

// onceWritten expires when the transport has written the request in full
// to its connection's buffer. net/http reports that (WroteRequest) before
// it flushes the buffer, and the expiry closes the connection, so the
// request may never leave the process: enough for what the client decides
// (its headers were written, so the outcome is unknown), not a sign that
// the server has the request.
func onceWritten(tr *httptrace.ClientTrace, expire func()) {
	tr.WroteRequest = func(httptrace.WroteRequestInfo) { expire() }
}
