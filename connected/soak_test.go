package connected_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
	"github.com/dronline/connected-go/gen"
)

// TestSoak (make soak; skipped unless DRONLINE_SOAK=1) has workers book,
// reschedule and cancel through one client while random faults hit the
// server, then reconciles what the client was told with what the server
// holds: no booking lost, none doubled, no slot booked twice.
func TestSoak(t *testing.T) {
	if os.Getenv("DRONLINE_SOAK") != "1" {
		t.Skip("set DRONLINE_SOAK=1 (make soak)")
	}
	cfg := soakConfig{workers: envInt("SOAK_WORKERS", 16), ops: envInt("SOAK_OPS", 20000), seed: uint64(envInt("SOAK_SEED", 1))}
	cfg.duration, _ = time.ParseDuration(envOr("SOAK_DURATION", "5m"))

	srv := connectedtest.NewServer(connectedtest.WithStartTime(start), connectedtest.WithCatalogue(soakCatalogue()))
	defer srv.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: cfg.workers}
	defer tr.CloseIdleConnections()
	c, err := connected.NewClient(srv.APIKey(), connected.WithBaseURL(srv.URL()), connected.WithHTTPClient(&http.Client{Transport: tr}),
		connected.WithMaxRetries(3), connected.WithBackoff(time.Millisecond, 10*time.Millisecond),
		connected.WithMaxRetryAfter(10*time.Millisecond), connected.WithAttemptTimeout(250*time.Millisecond))
	require.NoError(t, err)

	s := &soak{cfg: cfg, srv: srv, c: c, booked: map[string]*soakRecord{}}
	ctx, cancel := context.WithTimeout(context.Background(), cfg.duration)
	defer cancel()
	began := time.Now()
	var wg sync.WaitGroup
	for w := range cfg.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.worker(ctx, w, rand.New(rand.NewPCG(cfg.seed, uint64(w))))
		}()
	}
	wg.Wait()
	mismatches := s.reconcile(t)
	t.Logf("soak: %d workers, seed %d, %s", cfg.workers, cfg.seed, time.Since(began).Round(time.Millisecond))
	t.Logf("operations: %d bookings tried, %d booked, %d rescheduled, %d cancelled, %d refused (slot taken or policy), %d found no free slot",
		s.tried.Load(), s.confirmed.Load(), s.rescheduled.Load(), s.cancelled.Load(), s.refused.Load(), s.noSlot.Load())
	t.Logf("faults injected: %d; requests: %d; retries: %d; replays after an ambiguous error: %d",
		s.faults.Load(), len(srv.Requests()), s.retries.Load(), s.replays.Load())
	t.Logf("server appointments: %d; mismatches: %d", len(srv.Appointments(srv.APIKey())), len(mismatches))
	for _, m := range mismatches {
		t.Error(m)
	}
	require.Positive(t, s.confirmed.Load(), "something was booked")
	require.Positive(t, s.faults.Load(), "faults were injected")
}

type soakConfig struct {
	workers, ops int
	seed         uint64
	duration     time.Duration
}

type soak struct {
	cfg soakConfig
	srv *connectedtest.Server
	c   *connected.Client

	mu     sync.Mutex
	booked map[string]*soakRecord // by partner reference: what the client was told

	tried, confirmed, rescheduled, cancelled, refused atomic.Int64
	faults, retries, replays, noSlot                  atomic.Int64
}

type soakRecord struct {
	id     string
	start  time.Time
	status gen.AppointmentStatus
}

var soakTypes = []string{"aptype_gp15", "aptype_derm20"}

// soakPracs is how many practitioners offer each soak type. The default
// catalogue has about a thousand slots in the soak's window, so 20,000
// bookings would mostly find none; with 20 GPs and 20 dermatologists
// working 08:00–20:00 every day there are about 40,000, and the run books
// what it tries.
const soakPracs = 20

func soakCatalogue() connectedtest.Catalogue {
	cat := connectedtest.DefaultCatalogue()
	var days []connectedtest.WorkingHours
	for d := range 7 {
		days = append(days, connectedtest.WorkingHours{Weekday: time.Weekday(d), Start: 8 * time.Hour, End: 20 * time.Hour})
	}
	cat.Practitioners = nil
	for i := range soakPracs {
		cat.Practitioners = append(cat.Practitioners,
			connectedtest.Practitioner{ID: fmt.Sprintf("prac_gp%02d", i), Name: "Dr GP", Title: "General Practitioner",
				AppointmentTypeIDs: []string{"aptype_gp15", "aptype_gp30"}, WorkingHours: days},
			connectedtest.Practitioner{ID: fmt.Sprintf("prac_derm%02d", i), Name: "Dr Derm", Title: "Dermatologist",
				AppointmentTypeIDs: []string{"aptype_derm20"}, WorkingHours: days})
	}
	return cat
}

func (s *soak) worker(ctx context.Context, w int, rng *rand.Rand) {
	for n := 0; ctx.Err() == nil && s.tried.Add(1) <= int64(s.cfg.ops); n++ {
		s.maybeFault(rng)
		ref := fmt.Sprintf("soak-%d-%d", w, n)
		appt := s.book(ctx, rng, ref)
		if appt == nil {
			continue
		}
		if rng.IntN(2) == 0 {
			s.maybeFault(rng)
			s.reschedule(ctx, rng, ref, appt)
		}
		if rng.IntN(3) == 0 {
			s.maybeFault(rng)
			s.cancel(ctx, ref, appt.ID)
		}
	}
	s.tried.Add(-1) // the increment that ended the loop was not an operation
}

// maybeFault queues a random fault; whichever request matches it first
// (any worker's) meets it.
func (s *soak) maybeFault(rng *rand.Rand) {
	if rng.IntN(10) >= 4 {
		return
	}
	paths := []string{"", "/connected/appointment_holds", "/connected/appointments/{appointment_id}/confirm",
		"/connected/appointments/{appointment_id}/reschedule", "/connected/appointments/{appointment_id}/cancel", "/connected/slots"}
	f := connectedtest.Fault{Path: paths[rng.IntN(len(paths))]}
	switch rng.IntN(8) {
	case 0:
		f.Status = []int{500, 502, 503, 504}[rng.IntN(4)]
	case 1:
		f.Status, f.RetryAfter = 429, "1" // seconds: capped by WithMaxRetryAfter
	case 2:
		f.Drop = true
	case 3, 4:
		f.AfterHandler, f.Drop = true, true // committed, response lost
	case 5:
		f.AfterHandler, f.Status = true, 503 // committed, answered 503
	case 6:
		f.Delay = time.Duration(1+rng.IntN(20)) * time.Millisecond
	case 7:
		f.Delay = 400 * time.Millisecond // past the attempt timeout
	}
	s.srv.InjectFault(f)
	s.faults.Add(1)
}

// write runs a POST with a key chosen before the first try, as a careful
// integration does, and replays it with that key while the outcome is
// ambiguous: it returns the definitive result.
func write[T any](ctx context.Context, s *soak, call func(opts ...connected.CallOption) (T, error)) (T, error) {
	key := connected.NewIdempotencyKey()
	for i := 0; ; i++ {
		var info connected.ResponseInfo
		v, err := call(connected.WithIdempotencyKey(key), connected.WithResponseInfo(&info))
		s.retries.Add(int64(max(info.Attempts-1, 0)))
		if !errors.Is(err, connected.ErrAmbiguous) || i == 50 || ctx.Err() != nil {
			return v, err
		}
		s.replays.Add(1)
	}
}

func (s *soak) book(ctx context.Context, rng *rand.Rand, ref string) *connected.Appointment {
	typ := soakTypes[rng.IntN(len(soakTypes))]
	// An hour of a working day 2 to 26 days ahead (start is 08:00 and the
	// catalogue's London is on UTC in January), and the slots of the next
	// four hours: 20 practitioners' worth to pick from, while a list stays
	// short enough for 20,000 bookings under -race.
	from := start.Add(time.Duration(2+rng.IntN(24))*24*time.Hour + time.Duration(rng.IntN(12))*time.Hour)
	until := from.Add(4 * time.Hour)
	var info connected.ResponseInfo
	page, err := s.c.Slots.List(ctx, &connected.SlotListParams{AppointmentTypeID: &typ, StartGte: &from, StartLt: &until,
		Limit: connected.Ptr(20)}, connected.WithResponseInfo(&info))
	s.retries.Add(int64(max(info.Attempts-1, 0)))
	if err != nil || len(page.Data) == 0 {
		s.noSlot.Add(1)
		return nil
	}
	slot := page.Data[rng.IntN(len(page.Data))]
	p := patient()
	hold, err := write(ctx, s, func(opts ...connected.CallOption) (*connected.AppointmentHold, error) {
		return s.c.Holds.Create(ctx, &connected.HoldParams{SlotID: slot.ID, Patient: &p}, opts...)
	})
	if err != nil {
		s.refused.Add(1)
		return nil
	}
	appt, err := write(ctx, s, func(opts ...connected.CallOption) (*connected.Appointment, error) {
		return s.c.Appointments.Confirm(ctx, hold.AppointmentID, hold.HoldToken,
			&connected.ConfirmParams{Patient: p, ExternalPaymentReference: "pi_" + ref, PartnerReference: &ref}, opts...)
	})
	if err != nil {
		if errors.Is(err, connected.ErrAmbiguous) {
			s.record(ref, &soakRecord{status: "unknown"})
		}
		return nil
	}
	s.confirmed.Add(1)
	s.record(ref, &soakRecord{id: appt.ID, start: appt.Start, status: appt.Status})
	return appt
}

func (s *soak) reschedule(ctx context.Context, rng *rand.Rand, ref string, appt *connected.Appointment) {
	from, until := appt.Start.Add(time.Hour), appt.OriginalStart.Add(47*time.Hour)
	page, err := s.c.Slots.List(ctx, &connected.SlotListParams{AppointmentTypeID: &appt.AppointmentTypeID,
		PractitionerID: &appt.PractitionerID, StartGte: &from, StartLt: &until})
	if err != nil || len(page.Data) == 0 {
		return
	}
	slot := page.Data[rng.IntN(len(page.Data))]
	moved, err := write(ctx, s, func(opts ...connected.CallOption) (*connected.Appointment, error) {
		return s.c.Appointments.Reschedule(ctx, appt.ID, &connected.RescheduleParams{SlotID: slot.ID}, opts...)
	})
	switch {
	case err == nil:
		s.rescheduled.Add(1)
		s.record(ref, &soakRecord{id: moved.ID, start: moved.Start, status: moved.Status})
	case errors.Is(err, connected.ErrAmbiguous):
		s.record(ref, &soakRecord{id: appt.ID, status: "unknown"})
	default:
		s.refused.Add(1)
	}
}

func (s *soak) cancel(ctx context.Context, ref, id string) {
	got, err := write(ctx, s, func(opts ...connected.CallOption) (*connected.Appointment, error) {
		return s.c.Appointments.Cancel(ctx, id, opts...)
	})
	switch {
	case err == nil:
		s.cancelled.Add(1)
		s.record(ref, &soakRecord{id: got.ID, start: got.Start, status: got.Status})
	case errors.Is(err, connected.ErrAmbiguous):
		s.record(ref, &soakRecord{id: id, status: "unknown"})
	}
}

func (s *soak) record(ref string, r *soakRecord) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.booked[ref] = r
}

// reconcile compares the client's records with the server's appointments.
func (s *soak) reconcile(t *testing.T) []string {
	t.Helper()
	var out []string
	byRef := map[string][]connected.Appointment{}
	slots := map[string]int{}
	for _, a := range s.srv.Appointments(s.srv.APIKey()) {
		ref := ""
		if a.PartnerReference != nil {
			ref = *a.PartnerReference
		}
		byRef[ref] = append(byRef[ref], a)
		if a.Status == connected.AppointmentStatusConfirmed {
			slots[a.PractitionerID+" "+a.Start.Format(time.RFC3339)]++
		}
	}
	for slot, n := range slots {
		if n > 1 {
			out = append(out, fmt.Sprintf("slot %s booked %d times", slot, n))
		}
	}
	for ref, as := range byRef {
		if len(as) > 1 {
			out = append(out, fmt.Sprintf("%s: doubled, %d appointments", ref, len(as)))
		}
		if s.booked[ref] == nil {
			out = append(out, fmt.Sprintf("%s: on the server but the client was told it failed", ref))
		}
	}
	for ref, r := range s.booked {
		as := byRef[ref]
		switch {
		case r.status == "unknown":
			out = append(out, fmt.Sprintf("%s: outcome still unknown after replays", ref))
		case len(as) == 0:
			out = append(out, fmt.Sprintf("%s: lost: told booked as %s", ref, r.id))
		case as[0].ID != r.id || as[0].Status != r.status || !as[0].Start.Equal(r.start):
			out = append(out, fmt.Sprintf("%s: told %s %s at %s, server has %s %s at %s", ref, r.id, r.status, r.start, as[0].ID, as[0].Status, as[0].Start))
		}
	}
	return out
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func envInt(name string, def int) int {
	n, err := strconv.Atoi(envOr(name, strconv.Itoa(def)))
	if err != nil || n <= 0 {
		return def
	}
	return n
}
