package connectedtest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The scale benchmarks need a credential with a long history: tens of
// thousands of bookings that are still in the future, so that each one is a
// real busy interval. The default catalogue has about a thousand slots in
// its 28-day horizon, so they run on a larger one: scalePracs practitioners
// offering one 15-minute type around the clock, in UTC.
const (
	scalePracs = 100
	scaleType  = "aptype_s15"
	scaleDur   = 15 * time.Minute
)

// scaleStart is a Monday 08:00 UTC; the grid of the fixtures begins 48 h
// later, so every slot on it can be rescheduled (the 24 h cutoff).
func scaleStart() time.Time { return time.Date(2030, 1, 7, 8, 0, 0, 0, time.UTC) }

func scaleCatalogue() Catalogue {
	allWeek := make([]WorkingHours, 7)
	for d := range allWeek {
		allWeek[d] = WorkingHours{Weekday: time.Weekday(d), Start: 0, End: 24 * time.Hour}
	}
	cat := Catalogue{
		Timezone:         "UTC",
		AppointmentTypes: []AppointmentType{{ID: scaleType, Name: "Scale visit", Description: "A 15-minute visit.", DurationMinutes: 15, PriceInCents: 1000}},
	}
	for p := range scalePracs {
		cat.Practitioners = append(cat.Practitioners, Practitioner{
			ID: scalePrac(p), Name: "Dr Scale", Title: "GP", AppointmentTypeIDs: []string{scaleType}, WorkingHours: allWeek,
		})
	}
	return cat
}

func scalePrac(p int) string { return fmt.Sprintf("prac_%03d", p) }

// gridSlot is the idx-th slot of practitioner p from 48 h after scaleStart.
// Each practitioner has about 2,500 of them within the horizon.
func gridSlot(p, idx int) slot {
	start := scaleStart().Add(48*time.Hour + time.Duration(idx)*scaleDur)
	return slot{typeID: scaleType, pracID: scalePrac(p), start: start, end: start.Add(scaleDur)}
}

// The history takes the even grid positions, practitioner by practitioner,
// and the benchmarked operations the odd ones, so they never collide.
func historySlot(i int) slot { return gridSlot(i%scalePracs, 2*(i/scalePracs)) }
func freeSlot(i int) slot    { return gridSlot(i%scalePracs, 2*(i/scalePracs)+1) }

// movePair is the i-th (booked, target) pair for a reschedule: two odd grid
// positions of one practitioner, 30 minutes apart.
func movePair(i int) (from, to slot) {
	p, k := i%scalePracs, i/scalePracs
	return gridSlot(p, 4*k+1), gridSlot(p, 4*k+3)
}

// scaleFixture is a fake with history bookings on its default credential,
// served in process through its handler.
type scaleFixture struct {
	s    *Server
	c    *credential
	auth string
}

// newScaleFixture books history slots as hold and confirm would, without
// HTTP: through the handler a 100k history would take minutes to build.
// Every fifth booking is cancelled, so the history has both kinds.
func newScaleFixture(tb testing.TB, history int, opts ...Option) *scaleFixture {
	tb.Helper()
	s := NewServer(append([]Option{WithStartTime(scaleStart()), WithCatalogue(scaleCatalogue())}, opts...)...)
	tb.Cleanup(s.Close)
	f := &scaleFixture{s: s, c: s.creds[s.APIKey()], auth: "Bearer " + s.APIKey()}
	for i := range history {
		a := f.book(historySlot(i), fmt.Sprintf("hist-%d", i))
		if i%5 == 4 {
			f.cancel(a)
		}
	}
	return f
}

// request builds an authenticated request with an Idempotency-Key, as the
// SDK sends every write.
func (f *scaleFixture) request(method, path, body, key string) *http.Request {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, "/v1"+path, rd)
	r.Header.Set("Authorization", f.auth)
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		r.Header.Set("Idempotency-Key", key)
	}
	return r
}

// serve runs one request through the whole handler and fails unless it
// was answered 200.
func (f *scaleFixture) serve(tb testing.TB, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	f.s.Handler().ServeHTTP(rec, r)
	if rec.Code != http.StatusOK {
		tb.Fatalf("%s %s: HTTP %d: %s", r.Method, r.URL, rec.Code, rec.Body.String())
	}
	return rec
}

const scalePatient = `{"first_name":"Jane","last_name":"Doe","email":"jane@example.com","date_of_birth":"1986-04-12","sex":"female"}`

func holdBody(sl slot) string { return `{"slot_id":"` + sl.id() + `"}` }

func confirmBody(ref string) string {
	return `{"patient":` + scalePatient + `,"external_payment_reference":"pi_` + ref + `","partner_reference":"` + ref + `"}`
}
