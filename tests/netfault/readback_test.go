package netfault

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

// proxied makes a client that reaches e's server through a fresh proxy and
// runs lift between attempts.
func proxied(t *testing.T, e *env, lift func(retry int)) (*connected.Client, *netFault) {
	t.Helper()
	n := newNetFault(t, e.srv.URL())
	opts := append([]connected.ClientOption{connected.WithBaseURL(n.url), freshConnections()}, betweenAttempts(lift)...)
	c, err := connected.NewClient(e.srv.APIKey(), opts...)
	require.NoError(t, err)
	return c, n
}

// The first attempt commits and its response is lost on the wire; by the
// retry the key's stored result has lapsed (the fake's clock passes its
// 24 h), so the retry meets the real "already cancelled" refusal. Only the
// read-back can tell that the first attempt did the work.
func TestCancelThroughNetworkFaultReadsBack(t *testing.T) {
	t.Run("first attempt took effect", func(t *testing.T) {
		e := newEnv(t)
		appt := e.book(t, "aptype_gp15", start.Add(72*time.Hour), "nc1")
		var n *netFault
		c, n := proxied(t, e, func(retry int) {
			if retry == 1 {
				n.remove(t, "lost")
				e.srv.Advance(25 * time.Hour)
			}
		})
		n.add(t, "lost", "limit_data", "downstream", `{"bytes":0}`)
		got, err := c.Appointments.Cancel(context.Background(), appt.ID)
		require.NoError(t, err)
		assert.EqualValues(t, "cancelled", got.Status)
		assert.Equal(t, 2, cancelsSeen(e), "the retry reached the server and was refused")
	})
	t.Run("first attempt did not take effect", func(t *testing.T) {
		e := newEnv(t)
		appt := e.book(t, "aptype_gp15", start.Add(72*time.Hour), "nc2")
		refusal := []byte(`{"error":{"type":"invalid_request_error","code":"appointment_already_cancelled","message":"already cancelled"}}`)
		var n *netFault
		c, n := proxied(t, e, func(retry int) {
			if retry == 1 {
				n.remove(t, "reset")
				e.srv.InjectFault(connectedtest.Fault{Method: "POST", Path: "/connected/appointments/{appointment_id}/cancel",
					Status: 409, Body: refusal, ContentType: "application/json"})
			}
		})
		n.add(t, "reset", "reset_peer", "upstream", `{"timeout":0}`)
		_, err := c.Appointments.Cancel(context.Background(), appt.ID)
		assert.ErrorIs(t, err, connected.ErrAlreadyCancelled, "the read-back found it still confirmed")
		got, gerr := e.c.Appointments.Get(context.Background(), appt.ID)
		require.NoError(t, gerr)
		assert.EqualValues(t, "confirmed", got.Status)
	})
}

func TestRescheduleThroughNetworkFaultReadsBack(t *testing.T) {
	t.Run("first attempt took effect", func(t *testing.T) {
		e := newEnv(t)
		appt := e.book(t, "aptype_gp15", start.Add(72*time.Hour), "nr1")
		next := e.slotNear(t, appt, time.Hour)
		var n *netFault
		c, n := proxied(t, e, func(retry int) {
			if retry == 1 {
				n.remove(t, "lost")
				e.srv.Advance(25 * time.Hour)
			}
		})
		n.add(t, "lost", "limit_data", "downstream", `{"bytes":0}`)
		got, err := c.Appointments.Reschedule(context.Background(), appt.ID, &connected.RescheduleParams{SlotID: next.ID})
		require.NoError(t, err)
		assert.True(t, got.Start.Equal(next.Start))
		assert.Equal(t, 1, got.RescheduleCount)
	})
	t.Run("another reschedule took effect instead", func(t *testing.T) {
		e := newEnv(t)
		appt := e.book(t, "aptype_gp15", start.Add(72*time.Hour), "nr2")
		mine := e.slotNear(t, appt, time.Hour)
		theirs := e.slotNear(t, appt, 2*time.Hour)
		var n *netFault
		c, n := proxied(t, e, func(retry int) {
			if retry == 1 {
				// Our attempt never arrived; meanwhile another request
				// (another key) moved the appointment elsewhere.
				n.remove(t, "reset")
				_, err := e.c.Appointments.Reschedule(context.Background(), appt.ID, &connected.RescheduleParams{SlotID: theirs.ID})
				require.NoError(t, err)
			}
		})
		n.add(t, "reset", "reset_peer", "upstream", `{"timeout":0}`)
		_, err := c.Appointments.Reschedule(context.Background(), appt.ID, &connected.RescheduleParams{SlotID: mine.ID})
		assert.ErrorIs(t, err, connected.ErrRescheduleRefused, "the read-back found it at another slot")
		got, gerr := e.c.Appointments.Get(context.Background(), appt.ID)
		require.NoError(t, gerr)
		assert.True(t, got.Start.Equal(theirs.Start))
	})
}

func cancelsSeen(e *env) int {
	var n int
	for _, r := range e.srv.Requests() {
		if r.Method == http.MethodPost && len(r.Path) > 7 && r.Path[len(r.Path)-7:] == "/cancel" {
			n++
		}
	}
	return n
}
