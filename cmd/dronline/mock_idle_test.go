package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// heldDeadline bounds dialling the held connections and waiting for the
// mock to accept them, for a mock that stopped accepting: it takes about a
// second under -race on an idle machine, and took over ten with the rest
// of make test (Chromium included) on the same two cores.
const heldDeadline = 2 * time.Minute

// servePromptly bounds the real requests made while the connections are
// held. It is under the mock's ReadHeaderTimeout (10 s): a mock that served
// a bounded number of connections at a time would be freed by the stalled
// ones timing out only after it, and so fails here.
const servePromptly = 5 * time.Second

// What a held connection sends before it stalls.
const (
	sendNothing = ""
	// The request line and a header, and never the blank line: slowloris.
	sendPartHeaders = "GET /v1/connected/account HTTP/1.1\r\nHost: mock\r\nAuthorization: Bea"
	// Whole headers promising a body, and part of it: the mock's handler
	// has the request and waits for the rest of its body.
	sendPartBody = "POST /v1/connected/appointment_holds HTTP/1.1\r\nHost: mock\r\n" +
		"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"slot_id\":"
)

// heldBatch is n connections that each send sent and then stall.
type heldBatch struct {
	n    int
	sent string
}

// The mock gives every connection its own goroutine, so connections that
// send nothing, or stall mid-request, take no service from anyone else:
// with 1,300 of them open the API and the control API answer at once, and
// the mock stops cleanly once they are gone.
func TestMockServesPastIdleAndStalledConnections(t *testing.T) {
	// Not parallel: it runs before the package's parallel tests start. The
	// mock closes a connection that sends no headers within ten seconds
	// (ReadHeaderTimeout), so every connection must be open, and the
	// requests answered, within ten seconds of the first dial; beside the
	// soak test's 64 clients in this process, under make test's load,
	// dialling alone took nine.
	batches := []heldBatch{{1000, sendNothing}, {200, sendPartHeaders}, {100, sendPartBody}}
	base, key, _, stop, wait := startMock(t, "mock", "--addr", "127.0.0.1:0")
	held := holdConns(t, base, batches)

	ctx, cancel := context.WithTimeout(t.Context(), servePromptly)
	defer cancel()
	began := time.Now()
	sdk, err := connected.NewClient(key, connected.WithBaseURL(base),
		connected.WithMaxRetries(0)) // a retry would hide a failure
	require.NoError(t, err)
	defer sdk.CloseIdleConnections()
	acct, err := sdk.Account.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, "account", string(acct.Object))
	apt := bookSlot(ctx, t, sdk, slotAfter(ctx, t, sdk, time.Now(), "aptype_gp15"), "idle_conns")
	assert.Equal(t, connected.AppointmentStatusConfirmed, apt.Status)
	_, err = sandboxOf(t, base).now(ctx)
	require.NoError(t, err, "the control API answers too")
	t.Logf("with %d connections held, account, slots, hold, confirm and clock answered in %s", len(held), time.Since(began).Round(time.Millisecond))

	// The mock answered while still serving them all: none was dropped
	// to make room.
	assert.GreaterOrEqual(t, servingConns(), len(held), "connections still served after the requests")

	for _, c := range held {
		require.NoError(t, c.Close())
	}
	stop()
	code, out := wait()
	assert.Equal(t, exitOK, code)
	assert.Equal(t, "Stopped.\n", out)
}

// Stopped while connections wait without a request, silent or part-way
// through their headers, the mock closes them and stops cleanly: it would
// never answer them, and waiting for them used to run out its grace period
// and exit 1.
func TestMockStopsWhileConnectionsWaitWithoutARequest(t *testing.T) {
	base, _, _, stop, wait := startMock(t, "mock", "--addr", "127.0.0.1:0")
	held := holdConns(t, base, []heldBatch{{100, sendNothing}, {100, sendPartHeaders}})
	stop()
	code, out := wait()
	assert.Equal(t, exitOK, code)
	assert.Equal(t, "Stopped.\n", out)
	for i, c := range held {
		// Closed, unanswered: an end of file, or a reset when the mock had
		// not read what was sent; not the deadline.
		require.NoError(t, c.SetReadDeadline(time.Now().Add(stopDeadline)))
		n, err := c.Read(make([]byte, 1))
		var ne net.Error
		require.False(t, n > 0 || err == nil || errors.As(err, &ne) && ne.Timeout(), "connection %d: read %d bytes, %v", i, n, err)
	}
}

// dialers is how many connections holdConns opens at a time.
const dialers = 16

// sentBy is what the i-th connection of the batches sends.
func sentBy(batches []heldBatch, i int) string {
	for _, b := range batches {
		if i < b.n {
			return b.sent
		}
		i -= b.n
	}
	return ""
}

// holdConns opens the batches' connections to the mock at base, sends
// each its bytes, and returns once the mock is serving all of them. They
// are closed when the test ends.
func holdConns(t *testing.T, base string, batches []heldBatch) []net.Conn {
	t.Helper()
	total := 0
	for _, b := range batches {
		total += b.n
	}
	// Both ends of every connection are in this process, plus a margin
	// for the clients, the listener and the test binary's own files.
	need := uint64(2*total + 256)
	if soft, hard, ok := fdLimits(); ok && soft < need {
		t.Skipf("this test holds %d connections open and needs %d open files; the limit is %d (hard limit %d): raise the hard limit (ulimit -Hn) to run it",
			total, need, soft, hard)
	}
	u, err := url.Parse(base)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), heldDeadline)
	defer cancel()
	// Dialled side by side: one at a time, 1,300 dials under -race took
	// ten seconds on a busy machine, long enough for the mock to close the
	// first silent ones (ReadHeaderTimeout) before the last were open.
	held := make([]net.Conn, total)
	t.Cleanup(func() {
		for _, c := range held {
			if c != nil {
				_ = c.Close()
			}
		}
	})
	sends := make(chan int)
	errs := make(chan error, dialers)
	var d net.Dialer
	var wg sync.WaitGroup
	began := time.Now()
	for range dialers {
		wg.Go(func() {
			for i := range sends {
				c, err := d.DialContext(ctx, "tcp", u.Host)
				if err != nil {
					errs <- fmt.Errorf("dial connection %d of %d: %w", i+1, total, err)
					return
				}
				held[i] = c
				if sent := sentBy(batches, i); sent != "" {
					if _, err := c.Write([]byte(sent)); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	// On a dialer's error no more are handed out; every dialer has
	// stopped before the test reads held or fails.
	var failed error
hand:
	for i := range total {
		select {
		case sends <- i:
		case failed = <-errs:
			break hand
		}
	}
	close(sends)
	wg.Wait()
	close(errs)
	if failed == nil {
		failed = <-errs
	}
	require.NoError(t, failed)
	dialled := time.Since(began)
	// Dialled is not accepted: the kernel queues a connection until the
	// server takes it. Wait until the mock serves every one of them.
	tick := time.NewTicker(25 * time.Millisecond) // each count stops the world
	defer tick.Stop()
	for {
		got := servingConns()
		if got >= total {
			t.Logf("%d connections dialled in %s, all served after %s", total, dialled.Round(time.Millisecond), time.Since(began).Round(time.Millisecond))
			return held
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the mock serves only %d of %d connections (dialled in %s): %v", got, total, dialled.Round(time.Millisecond), ctx.Err())
		case <-tick.C:
		}
	}
}

// servingConns counts the goroutines net/http's servers in this process
// run for accepted connections, one per connection until it closes. The
// mock runs in-process (startMock); another test's server can only add to
// the count.
func servingConns() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return bytes.Count(buf[:n], []byte("\ncreated by net/http.(*Server).Serve"))
		}
		buf = make([]byte, 2*len(buf))
	}
}
