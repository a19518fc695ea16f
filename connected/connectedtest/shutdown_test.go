package connectedtest

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

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
		resp, err := c.HC.Do(req)
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

// Shutdown does not wait for connections that have not begun a request,
// silent or part-way through their headers: net/http would never serve
// them once shutting down, yet counts them as busy for five seconds. A
// deadline under those five seconds shows it: with it, Shutdown failed.
func TestShutdownClosesConnectionsWithoutARequest(t *testing.T) {
	s := NewServer(WithStartTime(monday()))
	defer s.Close()
	addr := strings.TrimPrefix(strings.TrimSuffix(s.URL(), basePath), "http://")
	var conns []net.Conn
	for _, sent := range []string{"", "GET /v1/connected/account HTTP/1.1\r\nHost: x\r\n"} {
		c, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		defer func() { _ = c.Close() }()
		if sent != "" {
			_, err = c.Write([]byte(sent))
			require.NoError(t, err)
		}
		conns = append(conns, c)
	}
	// Dialled is not yet accepted: wait until the server has both.
	require.Eventually(t, func() bool { return s.Dials() == len(conns) }, 10*time.Second, time.Millisecond,
		"the server accepts both connections")

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	require.NoError(t, s.Shutdown(ctx))
	for i, c := range conns {
		// Closed, unanswered: an end of file, or a reset when the server
		// had not read what was sent; not the deadline.
		require.NoError(t, c.SetReadDeadline(time.Now().Add(10*time.Second)))
		n, err := c.Read(make([]byte, 1))
		var ne net.Error
		assert.False(t, n > 0 || err == nil || errors.As(err, &ne) && ne.Timeout(), "connection %d: read %d bytes, %v", i, n, err)
	}
}
