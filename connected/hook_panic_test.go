package connected_test

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// closeCounting counts the response bodies the transport hands out and
// those closed.
type closeCounting struct {
	next           http.RoundTripper
	opened, closed atomic.Int64
}

func (c *closeCounting) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(r)
	if err == nil {
		c.opened.Add(1)
		resp.Body = &countedBody{ReadCloser: resp.Body, closed: &c.closed}
	}
	return resp, err
}

type countedBody struct {
	io.ReadCloser
	closed *atomic.Int64
}

func (b *countedBody) Close() error { b.closed.Add(1); return b.ReadCloser.Close() }

// A hook that panics panics the call with its value, as documented: the
// response body is closed, and no further attempt or hook of the call
// runs. (TestMain's leak check covers the timers and goroutines.)
func TestAHookThatPanicsPanicsTheCall(t *testing.T) {
	for _, where := range []string{"CallStart", "AttemptStart", "AttemptEnd", "CallEnd"} {
		t.Run(where, func(t *testing.T) {
			rec := newRecorder(t, okJSON(`{"id":"acct_1","object":"account"}`))
			tr := &closeCounting{next: http.DefaultTransport.(*http.Transport).Clone()}
			defer tr.next.(*http.Transport).CloseIdleConnections()
			var after []string
			boom := func(name string) {
				if name == where {
					panic("boom in " + name)
				}
				after = append(after, name)
			}
			hooks := connected.Hooks{
				CallStart:    func(ctx context.Context, _ connected.CallInfo) context.Context { boom("CallStart"); return ctx },
				AttemptStart: func(ctx context.Context, _ connected.AttemptInfo) context.Context { boom("AttemptStart"); return ctx },
				AttemptEnd:   func(context.Context, connected.AttemptInfo) { boom("AttemptEnd") },
				CallEnd:      func(context.Context, connected.CallInfo) { boom("CallEnd") },
			}
			c, err := connected.NewClient(testKey, connected.WithBaseURL(rec.srv.URL+"/v1"),
				connected.WithHTTPClient(&http.Client{Transport: tr}), connected.WithHooks(hooks))
			require.NoError(t, err)
			assert.PanicsWithValue(t, "boom in "+where, func() { _, _ = c.Account.Get(context.Background()) })
			assert.Equal(t, tr.opened.Load(), tr.closed.Load(), "every response body is closed")
			order := []string{"CallStart", "AttemptStart", "AttemptEnd", "CallEnd"}
			for i, name := range order {
				if name == where {
					assert.Equal(t, order[:i], append([]string{}, after...), "no hook runs after the one that panicked")
				}
			}
			sent := 1
			if where == "CallStart" || where == "AttemptStart" {
				sent = 0
			}
			assert.Len(t, rec.attempts, sent, "no further attempt")
		})
	}
}
