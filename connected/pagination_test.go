package connected_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

func slotRequests(srv *connectedtest.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/connected/slots") {
			n++
		}
	}
	return n
}

func slotWindow() *connected.SlotListParams {
	from, until := start.Add(24*time.Hour), start.Add(48*time.Hour)
	return &connected.SlotListParams{AppointmentTypeID: connected.Ptr("aptype_gp30"), StartGte: &from, StartLt: &until, Limit: connected.Ptr(3)}
}

// The iterator yields exactly what a hand-written page loop sees, in order.
func TestAllFollowsEveryPage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	var manual []string
	p := *slotWindow()
	for {
		page, err := e.c.Slots.List(ctx, &p)
		require.NoError(t, err)
		for _, s := range page.Data {
			manual = append(manual, s.ID)
		}
		if !page.HasMore {
			break
		}
		p.StartingAfter = &page.Data[len(page.Data)-1].ID
	}
	require.Greater(t, len(manual), 6, "several pages")
	before := slotRequests(e.srv)

	var iterated []string
	for s, err := range e.c.Slots.All(ctx, slotWindow()) {
		require.NoError(t, err)
		iterated = append(iterated, s.ID)
	}
	assert.Equal(t, manual, iterated)
	assert.Equal(t, (len(manual)+2)/3, slotRequests(e.srv)-before, "one request per page")
}

func TestAllStopsWhenTheLoopBreaks(t *testing.T) {
	e := newEnv(t)
	n := 0
	for _, err := range e.c.Slots.All(context.Background(), slotWindow()) {
		require.NoError(t, err)
		n++
		if n == 4 {
			break
		}
	}
	assert.Equal(t, 2, slotRequests(e.srv), "no page is fetched after the break")
}

func TestAllStopsAtTheFirstError(t *testing.T) {
	e := newEnv(t)
	var ids []string
	var errs []error
	calls := 0
	for s, err := range e.c.Slots.All(context.Background(), slotWindow()) {
		calls++
		if calls == 3 {
			// The next fetch, the second page, is refused.
			e.srv.InjectFault(connectedtest.Fault{Path: "/connected/slots", Status: 400})
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, s.ID)
	}
	assert.Len(t, ids, 3, "the first page")
	require.Len(t, errs, 1, "the error is yielded once, then iteration ends")
	assert.ErrorIs(t, errs[0], connected.ErrInvalidRequest)
}

// With EndingBefore the iterator walks toward the start of the list.
func TestAllBackwards(t *testing.T) {
	e := newEnv(t)
	var forward []string
	for s, err := range e.c.Slots.All(context.Background(), slotWindow()) {
		require.NoError(t, err)
		forward = append(forward, s.ID)
	}
	require.Greater(t, len(forward), 4)
	p := slotWindow()
	p.EndingBefore = &forward[len(forward)-1]
	var backward []string
	for s, err := range e.c.Slots.All(context.Background(), p) {
		require.NoError(t, err)
		backward = append(backward, s.ID)
	}
	require.Len(t, backward, len(forward)-1)
	for i, id := range backward {
		assert.Equal(t, forward[len(forward)-2-i], id)
	}
}

// Page.URL is documented as the list's path on the host, the base URL's
// path included, without the page's query: what the contract's examples
// show and the fake sends.
func TestPageURLIsTheListsPathOnTheHost(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	types, err := e.c.AppointmentTypes.List(ctx, &connected.AppointmentTypeListParams{Limit: connected.Ptr(1)})
	require.NoError(t, err)
	assert.Equal(t, "/v1/connected/appointment_types", types.URL)
	practitioners, err := e.c.Practitioners.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, "/v1/connected/practitioners", practitioners.URL)
	slots, err := e.c.Slots.List(ctx, slotWindow())
	require.NoError(t, err)
	assert.Equal(t, "/v1/connected/slots", slots.URL)
	appointments, err := e.c.Appointments.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, "/v1/connected/appointments", appointments.URL)
}
