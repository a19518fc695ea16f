package connected

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A POST that carries no Idempotency-Key is never retried: the server could
// not tell the retry from a new request. Every SDK method sets a key, so
// only the engine can be given such a request; this drives it directly.
func TestPOSTWithoutIdempotencyKeyIsNotRetried(t *testing.T) {
	var attempts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		attempts.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"error":{"type":"api_error","code":"service_unavailable","message":"down"}}`))
	}))
	defer srv.Close()
	c, err := NewClient("sk_sandbox_engine", WithBaseURL(srv.URL+"/v1"),
		WithWaitFunc(func(context.Context, time.Duration) error { return nil }))
	require.NoError(t, err)

	post := func(withKey bool) operation {
		return operation{method: http.MethodPost, path: "/connected/slots/validate", build: func(server, key string) (*http.Request, error) {
			req, err := http.NewRequest(http.MethodPost, server+"connected/slots/validate", strings.NewReader(`{"slot_id":"s"}`))
			if err == nil && withKey {
				req.Header.Set("Idempotency-Key", key)
			}
			return req, err
		}}
	}

	_, err = c.call(context.Background(), post(false), nil, nil)
	require.Error(t, err)
	assert.EqualValues(t, 1, attempts.Load(), "no key: one attempt only")

	attempts.Store(0)
	_, err = c.call(context.Background(), post(true), nil, nil)
	require.Error(t, err)
	assert.EqualValues(t, 3, attempts.Load(), "with a key the same request is retried")
}
