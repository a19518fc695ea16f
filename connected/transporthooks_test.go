package connected_test

import (
	"context"
	"io"
	"net/http"
	"sync"
	"testing"
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
// Background gives it no deadline to report and no values.
type expiringContext struct {
	context.Context
	done chan struct{}
	once sync.Once
}

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
