package connectedtest

import (
	"net"
	"net/http"
	"sync"
)

// unstartedConns are the connections that have not begun a request
// (http.StateNew): accepted and silent, as a browser's preconnected
// socket is, or part-way through their first request's headers.
//
// http.Server.Shutdown counts them as busy for their first five seconds
// (golang.org/issue/22682), although once it is shutting down it would
// never serve them: a request that arrives then is dropped unanswered. So
// a mock stopped while such a connection was open waited out its whole
// grace period and reported a failed shutdown. Shutdown closes them at
// once instead, losing nothing it would have answered.
type unstartedConns struct {
	mu      sync.Mutex
	conns   map[net.Conn]struct{}
	closing bool // Shutdown has begun: a connection accepted now is closed at once
}

// track follows a connection's state changes (http.Server.ConnState).
func (u *unstartedConns) track(c net.Conn, st http.ConnState) {
	switch st {
	case http.StateNew:
		u.mu.Lock()
		defer u.mu.Unlock()
		if u.closing {
			_ = c.Close()
			return
		}
		if u.conns == nil {
			u.conns = map[net.Conn]struct{}{}
		}
		u.conns[c] = struct{}{}
	case http.StateActive, http.StateHijacked, http.StateClosed:
		u.mu.Lock()
		defer u.mu.Unlock()
		delete(u.conns, c)
	}
}

// closeAll closes them, and any accepted from now on
// (http.Server.RegisterOnShutdown).
func (u *unstartedConns) closeAll() {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.closing = true
	for c := range u.conns {
		_ = c.Close()
	}
	clear(u.conns)
}
