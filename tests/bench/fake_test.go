package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

// fakeStart is a Monday morning, so the default catalogue has slots ahead.
var fakeStart = time.Date(2030, 1, 7, 8, 0, 0, 0, time.UTC)

// holdsPerServer is how many holds one fake takes before the benchmark
// replaces it: a credential's holds are scanned on every hold, so a fake
// that kept taking holds for all of b.N would measure an ever-growing
// state instead of a test suite's typical few.
const holdsPerServer = 100

func newFake(tb testing.TB, validate bool) (*connectedtest.Server, *connected.Client) {
	tb.Helper()
	srv := connectedtest.NewServer(connectedtest.WithStartTime(fakeStart), connectedtest.WithSpecValidation(validate))
	hc := newHTTPClient(tb)
	c, err := connected.NewClient(srv.APIKey(), connected.WithBaseURL(srv.URL()), connected.WithHTTPClient(hc))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { closeFake(tb, srv) })
	return srv, c
}

// closeFake closes a fake made by the hold benchmark, which must not have
// seen a request its contract forbids.
func closeFake(tb testing.TB, srv *connectedtest.Server) {
	if srv == nil {
		return
	}
	if v := srv.SpecViolations(); len(v) > 0 {
		tb.Errorf("spec violations: %v", v)
	}
	srv.Close()
}

// freeSlots lists the first n free GP slots of one practitioner: they do
// not overlap, so all of them can be held at once.
func freeSlots(tb testing.TB, c *connected.Client, n int) []string {
	tb.Helper()
	var ids []string
	for s, err := range c.Slots.All(context.Background(), &connected.SlotListParams{
		AppointmentTypeID: connected.Ptr("aptype_gp15"), PractitionerID: connected.Ptr("prac_ahmed"),
		Limit: connected.Ptr(pageSize),
	}) {
		if err != nil {
			tb.Fatal(err)
		}
		if ids = append(ids, s.ID); len(ids) == n {
			return ids
		}
	}
	tb.Fatalf("only %d free slots, want %d", len(ids), n)
	return nil
}

// serve runs one request through the fake's handler, in process: the
// figure is the fake's own cost, without a client or a socket (the
// per-call benchmarks measure those).
func serve(b *testing.B, h http.Handler, req *http.Request) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("%s %s: HTTP %d: %s", req.Method, req.URL.Path, rec.Code, rec.Body.String())
	}
}

// BenchmarkFakeServer measures connectedtest's handler: a GET of a booked
// appointment, and a hold, with spec validation off and on. req/s is what
// one core of a test suite can push through it.
func BenchmarkFakeServer(b *testing.B) {
	for _, validate := range []bool{false, true} {
		b.Run(fmt.Sprintf("op=get/validate=%t", validate), func(b *testing.B) {
			srv, c := newFake(b, validate)
			ctx := context.Background()
			slot := freeSlots(b, c, 1)[0]
			hold, err := c.Holds.Create(ctx, &connected.HoldParams{SlotID: slot})
			if err != nil {
				b.Fatal(err)
			}
			appt, err := c.Appointments.Confirm(ctx, hold.AppointmentID, hold.HoldToken, confirmParams())
			if err != nil {
				b.Fatal(err)
			}
			h, auth := srv.Handler(), "Bearer "+srv.APIKey()
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, "/v1/connected/appointments/"+appt.ID, nil)
				req.Header.Set("Authorization", auth)
				serve(b, h, req)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
		b.Run(fmt.Sprintf("op=hold/validate=%t", validate), func(b *testing.B) {
			// The fake's clock stands still, so every fake made with the
			// same start time has the same free slots: list them once.
			_, c := newFake(b, validate)
			slots := freeSlots(b, c, holdsPerServer)
			var cur *connectedtest.Server
			b.Cleanup(func() { closeFake(b, cur) })
			b.ReportAllocs()
			for i := range b.N {
				if i%holdsPerServer == 0 {
					b.StopTimer()
					closeFake(b, cur)
					cur = connectedtest.NewServer(connectedtest.WithStartTime(fakeStart), connectedtest.WithSpecValidation(validate))
					b.StartTimer()
				}
				req := httptest.NewRequest(http.MethodPost, "/v1/connected/appointment_holds",
					strings.NewReader(`{"slot_id":"`+slots[i%holdsPerServer]+`"}`))
				req.Header.Set("Authorization", "Bearer "+cur.APIKey())
				req.Header.Set("Content-Type", "application/json")
				serve(b, cur.Handler(), req)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
		b.Run(fmt.Sprintf("op=new-server-and-hold/validate=%t", validate), func(b *testing.B) {
			// What a test in a user's suite does: start a fake, hold a
			// slot, close the fake. Server start-up is inside the timer.
			_, c := newFake(b, validate)
			slot := freeSlots(b, c, 1)[0]
			b.ReportAllocs()
			for b.Loop() {
				srv := connectedtest.NewServer(connectedtest.WithStartTime(fakeStart), connectedtest.WithSpecValidation(validate))
				req := httptest.NewRequest(http.MethodPost, "/v1/connected/appointment_holds", strings.NewReader(`{"slot_id":"`+slot+`"}`))
				req.Header.Set("Authorization", "Bearer "+srv.APIKey())
				req.Header.Set("Content-Type", "application/json")
				serve(b, srv.Handler(), req)
				closeFake(b, srv)
			}
		})
	}
}
