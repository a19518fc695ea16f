package connected_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// closingServer is a plain HTTP/1.1 server on loopback that answers the
// first request of each connection, keeps the connection open, and closes
// it after reading the second request in full, without a byte of answer:
// what a server (or a proxy) that drops idle connections does to a client
// that reuses one at that moment.
type closingServer struct {
	ln       net.Listener
	mu       sync.Mutex
	requests []*http.Request // every request read, in order
	wg       sync.WaitGroup
}

func newClosingServer(t *testing.T) *closingServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &closingServer{ln: ln}
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(func() { _ = ln.Close(); s.wg.Wait() })
	return s
}

func (s *closingServer) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() { _ = c.Close() }()
			br := bufio.NewReader(c)
			for n := 1; ; n++ {
				req, err := http.ReadRequest(br)
				if err != nil {
					return
				}
				_, _ = io.Copy(io.Discard, req.Body)
				s.mu.Lock()
				s.requests = append(s.requests, req)
				s.mu.Unlock()
				if n == 2 {
					return // read, never answered
				}
				body := `{"id":"apt_1","object":"appointment"}`
				if req.Method == http.MethodPost {
					body = holdJSON
				}
				_, _ = fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
			}
		}()
	}
}

func (s *closingServer) received() []*http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*http.Request(nil), s.requests...)
}

// Every request the server receives is an attempt the caller sees: in the
// hooks, in ResponseInfo.Attempts and in the logger's lines. net/http would
// otherwise send a GET, or a POST with an Idempotency-Key, a second time by
// itself when its reused connection closes before any answer, and only the
// server would know.
func TestEveryRequestOnTheWireIsAnAttempt(t *testing.T) {
	for _, tc := range []struct {
		name string
		call func(c *connected.Client, info *connected.ResponseInfo) error
	}{
		{"keep-alive GET", func(c *connected.Client, info *connected.ResponseInfo) error {
			_, err := c.Appointments.Get(context.Background(), "apt_1", connected.WithResponseInfo(info))
			return err
		}},
		{"keyed POST", func(c *connected.Client, info *connected.ResponseInfo) error {
			_, err := c.Holds.Create(context.Background(), &connected.HoldParams{SlotID: "s"}, connected.WithResponseInfo(info))
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newClosingServer(t)
			var mu sync.Mutex
			var starts, ends int
			hooks := connected.Hooks{
				AttemptStart: func(ctx context.Context, _ connected.AttemptInfo) context.Context {
					mu.Lock()
					starts++
					mu.Unlock()
					return ctx
				},
				AttemptEnd: func(context.Context, connected.AttemptInfo) { mu.Lock(); ends++; mu.Unlock() },
			}
			tr := &http.Transport{}
			defer tr.CloseIdleConnections()
			c, err := connected.NewClient(testKey, connected.WithBaseURL("http://"+srv.ln.Addr().String()+"/v1"),
				connected.WithHTTPClient(&http.Client{Transport: tr}), connected.WithBackoff(0, 0), connected.WithHooks(hooks))
			require.NoError(t, err)

			var first, second connected.ResponseInfo
			require.NoError(t, tc.call(c, &first)) // opens the connection, which stays idle
			require.NoError(t, tc.call(c, &second))

			got := srv.received()
			require.Len(t, got, 3, "the first call, the request the server dropped, the retry")
			assert.Equal(t, 1, first.Attempts)
			assert.Equal(t, 2, second.Attempts, "the dropped request is an attempt the caller sees")
			assert.Equal(t, 3, starts)
			assert.Equal(t, 3, ends)
			if tc.name == "keyed POST" {
				assert.Equal(t, got[1].Header.Get("Idempotency-Key"), got[2].Header.Get("Idempotency-Key"), "the SDK's retry keeps the key")
			}
			for _, r := range got {
				assert.Empty(t, r.TransferEncoding, "no chunked body for %s", r.Method)
				if r.Method == http.MethodGet {
					assert.Zero(t, r.ContentLength, "a GET goes without a body")
					assert.Empty(t, r.Header.Get("Content-Length"))
				}
			}
		})
	}
}
