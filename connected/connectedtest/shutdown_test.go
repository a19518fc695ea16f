package connectedtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Shutdown answers the request in flight before it returns, and the server
// takes no new connection after it.
func TestShutdownFinishesRequestsInFlight(t *testing.T) {
	s := NewServer(WithStartTime(monday()))
	c := newClient(t, s, s.APIKey())
	entered, release := make(chan struct{}), make(chan struct{})
	s.mu.Lock()
	s.hook = func(_ http.ResponseWriter, r *http.Request) bool {
		if r.Header.Get("X-Test") == "slow" {
			close(entered)
			<-release
		}
		return false
	}
	s.mu.Unlock()

	answered := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodGet, s.URL()+"/connected/account", nil)
		req.Header.Set("Authorization", "Bearer "+s.APIKey())
		req.Header.Set("X-Test", "slow")
		resp, err := c.hc.Do(req)
		if err != nil {
			answered <- 0
			return
		}
		_ = resp.Body.Close()
		answered <- resp.StatusCode
	}()
	<-entered

	shut := make(chan error, 1)
	go func() { shut <- s.Shutdown(context.Background()) }()
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned before the request in flight was answered: %v", err)
	case code := <-answered:
		t.Fatalf("the request was answered (%d) before it was released", code)
	default:
	}
	close(release)
	assert.Equal(t, http.StatusOK, <-answered, "the request in flight is answered")
	require.NoError(t, <-shut)

	resp, err := http.Get(s.URL() + "/connected/account") //nolint:noctx // a refused dial is the point
	if err == nil {
		_ = resp.Body.Close()
	}
	assert.Error(t, err, "no new connections after Shutdown")
}

// A request that reaches the handler once Close has begun is answered with
// the error envelope and never joins the handlers Close waits for: a
// WaitGroup must not grow from zero while Wait runs (the race detector
// caught a request arriving during Close under load).
func TestARequestDuringCloseIsRefused(t *testing.T) {
	s := NewServer(WithStartTime(monday()))
	s.Close()
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/v1/connected/account", nil)
	r.Header.Set("Authorization", "Bearer "+s.APIKey())
	s.handler.ServeHTTP(w, r)
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.Contains(t, w.Body.String(), `"internal_error"`)
	assert.Empty(t, s.Requests(), "not handled, not recorded")
}
