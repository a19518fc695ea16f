package connected_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

// Every response body is read to its end and closed, errors and retried
// attempts included, so one keep-alive connection carries every call.
// A body left unread or unclosed forces a new dial on the next call.
func TestConnectionsAreReusedAcrossErrorsAndRetries(t *testing.T) {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	e := newEnv(t, connected.WithHTTPClient(&http.Client{Transport: tr}))
	ctx := context.Background()
	html := []byte("<html><body>" + string(make([]byte, 4096)) + "</body></html>")

	for i := range 5 {
		// Success, with pagination.
		for _, err := range e.c.AppointmentTypes.All(ctx, &connected.AppointmentTypeListParams{Limit: connected.Ptr(1)}) {
			require.NoError(t, err)
		}
		// 5xx and 429 retried to success.
		e.srv.InjectFault(connectedtest.Fault{Path: "/connected/account", Status: 503})
		e.srv.InjectFault(connectedtest.Fault{Path: "/connected/account", Status: 429, RetryAfter: "1"})
		_, err := e.c.Account.Get(ctx)
		require.NoError(t, err)
		// A proxy's HTML page, retried until the SDK gives up.
		e.srv.InjectFault(connectedtest.Fault{Path: "/connected/account", Status: 502, Times: 3, Body: html, ContentType: "text/html"})
		_, err = e.c.Account.Get(ctx)
		require.Error(t, err)
		// Definitive 4xx, from the server.
		_, err = e.c.Appointments.Get(ctx, "apt_missing")
		require.ErrorIs(t, err, connected.ErrNotFound)
		_, err = e.c.Holds.Create(ctx, &connected.HoldParams{SlotID: "slot_missing"})
		require.Error(t, err)
		// A 2xx body the SDK cannot use.
		e.srv.InjectFault(connectedtest.Fault{Path: "/connected/account", Status: 200, Body: []byte(`{"id":`), ContentType: "application/json"})
		_, err = e.c.Account.Get(ctx, connected.WithMaxRetries(0))
		require.Error(t, err)
		// A booking.
		e.book(t, "aptype_gp15", start.Add(time.Duration(48+i)*time.Hour), "reuse")
	}
	require.GreaterOrEqual(t, len(e.srv.Requests()), 75, "many requests went out")
	assert.Equal(t, 1, e.srv.Dials(), "one connection for %d requests", len(e.srv.Requests()))
}
