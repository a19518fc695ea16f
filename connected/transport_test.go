package connected_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// Clients made without WithHTTPClient do not share a connection cap: two
// of them, 100 concurrent calls each to a server that answers none until
// all have arrived, get all 200 calls to the server at once.
func TestClientsDoNotQueueBehindEachOther(t *testing.T) {
	const clients, calls = 2, 100
	var arrived sync.WaitGroup
	arrived.Add(clients * calls)
	all := make(chan struct{})
	go func() { arrived.Wait(); close(all) }()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived.Done()
		select {
		case <-all:
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"acct_1","object":"account"}`))
	}))
	defer srv.Close()

	// The deadline only turns a queue that never drains into a failure
	// instead of a hang; the calls succeed as soon as all have arrived.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, clients*calls)
	for range clients {
		c, err := connected.NewClient(testKey, connected.WithBaseURL(srv.URL+"/v1"), connected.WithMaxRetries(0), connected.WithAttemptTimeout(0))
		require.NoError(t, err)
		defer c.CloseIdleConnections()
		for range calls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := c.Account.Get(ctx)
				errs <- err
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

// Each Client has its own connections: CloseIdleConnections closes those
// of the Client it is called on, and no other's.
func TestCloseIdleConnections(t *testing.T) {
	opened := make(chan string, 4)
	closed := make(chan string, 4)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"acct_1","object":"account"}`))
	}))
	srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			opened <- c.RemoteAddr().String()
		case http.StateClosed:
			closed <- c.RemoteAddr().String()
		}
	}
	srv.Start()
	defer srv.Close()

	get := func(c *connected.Client) {
		_, err := c.Account.Get(context.Background())
		require.NoError(t, err)
	}
	a, err := connected.NewClient(testKey, connected.WithBaseURL(srv.URL+"/v1"))
	require.NoError(t, err)
	b, err := connected.NewClient(testKey, connected.WithBaseURL(srv.URL+"/v1"))
	require.NoError(t, err)
	get(a)
	get(b)
	connA, connB := <-opened, <-opened

	a.CloseIdleConnections()
	first := <-closed // the server sees a connection close
	get(b)            // b still has its own: no new connection
	b.CloseIdleConnections()
	second := <-closed

	assert.ElementsMatch(t, []string{connA, connB}, []string{first, second})
	assert.NotEqual(t, first, second)
	assert.Empty(t, opened, "b reused its connection after a closed its own")
}
