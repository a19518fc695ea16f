package connected_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

// TestSoakCheckouts (make soak; skipped unless DRONLINE_SOAK=1) runs
// SOAK_CHECKOUTS checkouts (default 1,000) on SOAK_WORKERS workers while
// processes crash at random points, faults hit the server, payments
// outlast holds and checkouts compete for slots. Each checkout resumes
// from its stored state alone until it settles; then what the partner
// was told is reconciled with the server: no paid checkout without an
// outcome, none booked twice, none reported not booked that was booked.
func TestSoakCheckouts(t *testing.T) {
	if os.Getenv("DRONLINE_SOAK") != "1" {
		t.Skip("set DRONLINE_SOAK=1 (make soak)")
	}
	workers, total, seed := envInt("SOAK_WORKERS", 16), envInt("SOAK_CHECKOUTS", 1000), uint64(envInt("SOAK_SEED", 1))
	srv := connectedtest.NewServer(connectedtest.WithStartTime(start), connectedtest.WithCatalogue(soakCatalogue()), connectedtest.WithRequestRecording(false))
	defer srv.Close()

	s := &checkoutSoak{srv: srv, orders: map[string]*soakOrder{}}
	var next atomic.Int64
	var wg sync.WaitGroup
	began := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(w)))
			for n := next.Add(1); n <= int64(total); n = next.Add(1) {
				s.checkout(t, rng, fmt.Sprintf("order-%05d", n))
			}
		}()
	}
	wg.Wait()
	problems := s.reconcile()
	t.Logf("checkout soak: %d checkouts on %d workers, seed %d, %s", total, workers, seed, time.Since(began).Round(time.Millisecond))
	t.Logf("paid %d: booked %d (held again %d), not booked %d; not paid (start failed) %d",
		s.paid.Load(), s.booked.Load(), s.heldAgain.Load(), s.notBooked.Load(), s.unpaid.Load())
	t.Logf("crashes %d, resumptions %d, unknown outcomes settled later %d, faults %d, slow payments %d, slots taken meanwhile %d",
		s.crashes.Load(), s.resumes.Load(), s.unknown.Load(), s.faults.Load(), s.slow.Load(), s.walkIns.Load())
	for _, p := range problems {
		t.Error(p)
	}
	require.GreaterOrEqual(t, int(s.paid.Load()), total/2, "most checkouts were paid")
	require.Positive(t, s.crashes.Load())
	require.Positive(t, s.faults.Load())
}

type checkoutSoak struct {
	srv *connectedtest.Server

	mu     sync.Mutex
	orders map[string]*soakOrder // paid checkouts, by partner reference
	slots  []string              // slots already chosen, for competing checkouts

	paid, unpaid, booked, heldAgain, notBooked       atomic.Int64
	crashes, resumes, unknown, faults, slow, walkIns atomic.Int64
}

// soakOrder is what the partner's database holds about a paid checkout.
type soakOrder struct {
	state  []byte
	result *connected.CheckoutResult
	last   string // the last round's error or outcome, for a failure's message
}

// process is a new partner process: a new client whose transport dies
// for good at its dieAt-th POST (0: never), once the server has it.
func (s *checkoutSoak) process(dieAt int) *connected.Client {
	base := &http.Transport{DisableKeepAlives: true}
	var posts atomic.Int64
	var dead atomic.Bool
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if dead.Load() {
			return nil, errProcessDied
		}
		if r.Method != http.MethodPost {
			return base.RoundTrip(r)
		}
		resp, err := base.RoundTrip(r)
		if int(posts.Add(1)) == dieAt {
			dead.Store(true)
			s.crashes.Add(1)
			if err == nil {
				_ = resp.Body.Close()
			}
			return nil, errProcessDied
		}
		return resp, err
	})
	c, err := connected.NewClient(s.srv.APIKey(), connected.WithBaseURL(s.srv.URL()),
		connected.WithHTTPClient(&http.Client{Transport: rt}), connected.WithMaxRetries(2),
		connected.WithWaitFunc(func(context.Context, time.Duration) error { return nil }))
	if err != nil {
		panic(err)
	}
	return c
}

// maybeFault queues a random fault on a checkout's requests.
func (s *checkoutSoak) maybeFault(rng *rand.Rand) {
	if rng.IntN(3) != 0 {
		return
	}
	f := connectedtest.Fault{Path: confirmPath, Times: 1 + rng.IntN(3)}
	switch n := rng.IntN(10); {
	case n < 4:
		f.Path = "/connected/appointment_holds"
	case n == 9:
		// Only a checkout looking an appointment up lists them, so
		// faults here would pile up: one at a time, which a list's
		// retries outlast. (A list that keeps failing leaves the outcome
		// unknown, as it should.)
		f.Path, f.Times = "/connected/appointments", 1
	}
	switch rng.IntN(5) {
	case 0:
		f.Drop = true
	case 1:
		f.Drop, f.AfterHandler = true, true
	case 2:
		f.Status = http.StatusServiceUnavailable
	case 3:
		f.Status, f.AfterHandler = http.StatusInternalServerError, true
	case 4:
		f.Status = http.StatusTooManyRequests
	}
	s.srv.InjectFault(f)
	s.faults.Add(1)
}

func (s *checkoutSoak) chooseSlot(rng *rand.Rand) string {
	s.mu.Lock()
	if len(s.slots) > 0 && rng.IntN(10) == 0 {
		// Compete for a slot another checkout chose.
		id := s.slots[rng.IntN(len(s.slots))]
		s.mu.Unlock()
		return id
	}
	s.mu.Unlock()
	c := s.process(0)
	defer c.CloseIdleConnections()
	from := s.srv.Now().Add(time.Duration(1+rng.IntN(20*24)) * time.Hour)
	to := from.Add(12 * time.Hour) // a short range: the fake lays out every slot in it
	page, err := c.Slots.List(context.Background(), &connected.SlotListParams{StartGte: &from, StartLt: &to, Limit: connected.Ptr(20)})
	if err != nil || len(page.Data) == 0 {
		return ""
	}
	id := page.Data[rng.IntN(len(page.Data))].ID
	s.mu.Lock()
	s.slots = append(s.slots, id)
	s.mu.Unlock()
	return id
}

// checkout runs one checkout to its end through crashes.
func (s *checkoutSoak) checkout(t *testing.T, rng *rand.Rand, ref string) {
	ctx := context.Background()
	slotID := s.chooseSlot(rng)
	if slotID == "" {
		s.unpaid.Add(1)
		return
	}
	s.maybeFault(rng)
	dieAt := func() int {
		if rng.IntN(3) == 0 {
			return 1 + rng.IntN(4)
		}
		return 0
	}

	p := s.process(dieAt())
	st, err := p.Checkouts.Start(ctx, &connected.CheckoutStartParams{SlotID: slotID, PartnerReference: ref, Metadata: map[string]string{"order": ref}})
	p.CloseIdleConnections()
	if err != nil {
		// No state stored, so no payment taken: the hold, if any, lapses.
		s.unpaid.Add(1)
		return
	}
	stored, err := json.Marshal(st)
	if err != nil {
		t.Error(err)
		return
	}
	order := &soakOrder{state: stored}
	s.mu.Lock()
	s.orders[ref] = order
	s.mu.Unlock()
	s.paid.Add(1)
	if rng.IntN(20) == 0 {
		s.srv.Advance(11 * time.Minute) // a payment that outlasts the hold
		s.slow.Add(1)
		if rng.IntN(2) == 0 {
			s.walkIn(slotID, ref) // and someone else books the slot meanwhile
		}
	}
	payment := &connected.CheckoutCompleteParams{Patient: patient(), ExternalPaymentReference: "pi_" + ref}

	for round := 0; round < 20; round++ {
		if round > 0 {
			s.resumes.Add(1)
		}
		s.maybeFault(rng)
		var state connected.CheckoutState
		if err := json.Unmarshal(order.state, &state); err != nil {
			t.Error(err)
			return
		}
		p := s.process(dieAt())
		res, err := p.Checkouts.Complete(ctx, &state, payment)
		p.CloseIdleConnections()
		s.mu.Lock()
		if err != nil {
			order.last = err.Error()
		} else {
			order.last = fmt.Sprintf("%s: %v", res.Outcome, res.Err)
		}
		s.mu.Unlock()
		switch {
		case err != nil:
			continue // nothing booked (or the process died before it could): resume
		case res.Outcome == connected.CheckoutOutcomeUnknown:
			s.unknown.Add(1)
			continue
		}
		if rng.IntN(10) == 0 {
			continue // crashed before saving the result
		}
		s.mu.Lock()
		order.result = res
		s.mu.Unlock()
		switch res.Outcome {
		case connected.CheckoutOutcomeBooked:
			s.booked.Add(1)
			if res.HeldAgain {
				s.heldAgain.Add(1)
			}
		case connected.CheckoutOutcomeNotBooked:
			s.notBooked.Add(1)
		}
		return
	}
}

// walkIn books slotID for another patient, outside any checkout. It may
// fail (a fault, the checkout's hold still there): so much the better.
func (s *checkoutSoak) walkIn(slotID, ref string) {
	c := s.process(0)
	defer c.CloseIdleConnections()
	ctx := context.Background()
	h, err := c.Holds.Create(ctx, &connected.HoldParams{SlotID: slotID})
	if err != nil {
		return
	}
	params := &connected.ConfirmParams{Patient: patient(), ExternalPaymentReference: "pi_walkin", PartnerReference: connected.Ptr(walkInPrefix + ref)}
	if _, err := c.Appointments.Confirm(ctx, h.AppointmentID, h.HoldToken, params); err == nil {
		s.walkIns.Add(1)
	}
}

const walkInPrefix = "walkin-"

// reconcile compares the partner's database with the server.
func (s *checkoutSoak) reconcile() []string {
	var problems []string
	byRef := map[string][]connected.Appointment{}
	bySlot := map[string]int{}
	for _, a := range s.srv.Appointments(s.srv.APIKey()) {
		if a.PartnerReference != nil {
			byRef[*a.PartnerReference] = append(byRef[*a.PartnerReference], a)
		}
		if a.Status == connected.AppointmentStatusConfirmed {
			bySlot[a.PractitionerID+a.Start.String()]++
		}
	}
	for slot, n := range bySlot {
		if n > 1 {
			problems = append(problems, fmt.Sprintf("slot %s booked %d times", slot, n))
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for ref, o := range s.orders {
		got := byRef[ref]
		switch {
		case o.result == nil:
			problems = append(problems, fmt.Sprintf("%s: paid, and no outcome after every resumption (%d appointments; last: %s)", ref, len(got), o.last))
		case len(got) > 1:
			problems = append(problems, fmt.Sprintf("%s: booked %d times", ref, len(got)))
		case o.result.Outcome == connected.CheckoutOutcomeBooked && (len(got) != 1 || got[0].ID != o.result.Appointment.ID):
			problems = append(problems, fmt.Sprintf("%s: told booked as %s, the server has %d", ref, o.result.Appointment.ID, len(got)))
		case o.result.Outcome == connected.CheckoutOutcomeNotBooked && len(got) != 0:
			problems = append(problems, fmt.Sprintf("%s: told not booked, the server has %s", ref, got[0].ID))
		}
	}
	for ref, got := range byRef {
		if _, ok := s.orders[ref]; !ok && len(got) > 0 && !strings.HasPrefix(ref, walkInPrefix) {
			problems = append(problems, fmt.Sprintf("%s: booked without a paid checkout", ref))
		}
	}
	return problems
}
