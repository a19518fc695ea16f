package connected_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

// The checkout's promise, proved by crashing it: at every step boundary,
// under every fault the fake can inject, a checkout resumed from its
// stored state alone books exactly one appointment, or reports that the
// paid slot could not be booked, and never books two.

const confirmPath = "/connected/appointments/{appointment_id}/confirm"

// checkoutFault is a fault on the checkout's confirms.
type checkoutFault struct {
	name string
	// arm prepares the server before the first Complete.
	arm func(w *checkoutWorld)
	// notBooked is true when the slot is gone: the checkout cannot book.
	notBooked bool
	// heldAgain is true when the first hold expires before its confirm.
	heldAgain bool
}

func checkoutFaults() []checkoutFault {
	onConfirm := func(f connectedtest.Fault) func(w *checkoutWorld) {
		return func(w *checkoutWorld) {
			g := f // each world its own copy
			g.Method, g.Path = http.MethodPost, confirmPath
			w.srv.InjectFault(g)
		}
	}
	// Times is larger than the attempts of one Complete (three by the SDK,
	// three more by Complete), so a first Complete meets nothing but the
	// fault, and a later one gets through.
	const times = 8
	return []checkoutFault{
		{name: "no fault", arm: func(*checkoutWorld) {}},
		{name: "response lost after commit", arm: onConfirm(connectedtest.Fault{AfterHandler: true, Drop: true, Times: times})},
		{name: "connection dropped before handling", arm: onConfirm(connectedtest.Fault{Drop: true, Times: times})},
		{name: "503 before handling", arm: onConfirm(connectedtest.Fault{Status: http.StatusServiceUnavailable, Times: times})},
		{name: "500 after commit", arm: onConfirm(connectedtest.Fault{AfterHandler: true, Status: http.StatusInternalServerError, Times: times})},
		{name: "429 rate limited", arm: onConfirm(connectedtest.Fault{Status: http.StatusTooManyRequests, Times: times})},
		{
			// The confirm reaches the server after the hold's expiry.
			name: "confirm delayed past the hold's expiry", heldAgain: true,
			arm: func(w *checkoutWorld) { w.beforeFirstConfirm = 11 * time.Minute },
		},
		{
			// The confirm's answer is lost, and the partner resumes after
			// the server has forgotten the idempotency key (24 hours): the
			// replay is gone, and only the partner reference finds the
			// appointment.
			name: "answer lost, resumed after the key is forgotten",
			arm: func(w *checkoutWorld) {
				w.srv.InjectFault(connectedtest.Fault{Method: http.MethodPost, Path: confirmPath, AfterHandler: true, Drop: true})
				w.afterFirstConfirm = 25 * time.Hour
			},
		},
		{
			// The payment takes longer than the hold.
			name: "payment slower than the hold", heldAgain: true,
			arm: func(w *checkoutWorld) { w.srv.Advance(11 * time.Minute) },
		},
		{
			// The payment takes longer than the hold, and another patient
			// books the slot meanwhile.
			name: "payment slower than the hold, slot taken", heldAgain: true, notBooked: true,
			arm: func(w *checkoutWorld) {
				w.srv.Advance(11 * time.Minute)
				w.takeSlot()
			},
		},
		{
			// The confirms are lost on the way, and the hold expires meanwhile.
			name: "connection dropped, then the hold expires", heldAgain: true,
			arm: func(w *checkoutWorld) {
				w.srv.InjectFault(connectedtest.Fault{Method: http.MethodPost, Path: confirmPath, Drop: true, Times: times})
				w.afterFirstConfirm = 11 * time.Minute
			},
		},
	}
}

// crashPoint is where the first process dies.
type crashPoint int

const (
	crashAfterStart        crashPoint = iota // state stored, no payment yet
	crashBeforeComplete                      // paid, Complete not called
	crashConfirmInFlight                     // the confirm was sent, its answer never read
	crashHoldAgainInFlight                   // the second hold was sent, its answer never read
	crashBeforeResultSave                    // Complete answered, the answer not stored
)

func (c crashPoint) String() string {
	return [...]string{"after start", "before complete", "confirm in flight", "second hold in flight", "before the result is saved"}[c]
}

func TestCheckoutSurvivesCrashesAndFaults(t *testing.T) {
	for _, fault := range checkoutFaults() {
		for _, crash := range []crashPoint{crashAfterStart, crashBeforeComplete, crashConfirmInFlight, crashHoldAgainInFlight, crashBeforeResultSave} {
			t.Run(fault.name+"/"+crash.String(), func(t *testing.T) {
				t.Parallel()
				w := newCheckoutWorld(t)
				w.run(t, fault, crash)
			})
		}
	}
}

// checkoutWorld is one fake Dr.Online and one partner's database; every
// process of the partner is a new client that knows only the database.
type checkoutWorld struct {
	srv  *connectedtest.Server
	slot connected.Slot

	// The partner's database: all that survives a crash.
	stored []byte // the CheckoutState as JSON
	paid   bool
	result *connected.CheckoutResult

	beforeFirstConfirm time.Duration // the clock moves this much before the first confirm arrives
	afterFirstConfirm  time.Duration // and this much once it is answered

	mu              sync.Mutex
	confirms, holds int // requests sent, over every process
}

func newCheckoutWorld(t *testing.T) *checkoutWorld {
	srv := connectedtest.NewServer(connectedtest.WithStartTime(start), connectedtest.WithSpecValidation(true))
	t.Cleanup(func() {
		assert.Empty(t, srv.SpecViolations(), "every request and response follows the contract")
		srv.Close()
	})
	w := &checkoutWorld{srv: srv}
	c := w.process(t, nil)
	from := start.Add(72 * time.Hour)
	page, err := c.Slots.List(context.Background(), &connected.SlotListParams{AppointmentTypeID: connected.Ptr("aptype_gp15"), StartGte: &from})
	require.NoError(t, err)
	require.NotEmpty(t, page.Data)
	w.slot = page.Data[0]
	return w
}

// process starts a partner process: a new client, with a transport of its
// own. crash, if set, is told of each confirm and hold once the server
// has it (confirm true for a confirm, n its count over every process) and
// decides whether the process dies before reading the answer.
func (w *checkoutWorld) process(t *testing.T, crash func(confirm bool, n int) bool) *connected.Client {
	t.Helper()
	base := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(base.CloseIdleConnections)
	var dead atomic.Bool // once dead, the process sends nothing more
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if dead.Load() {
			return nil, errProcessDied
		}
		confirm := strings.HasSuffix(r.URL.Path, "/confirm")
		if r.Method != http.MethodPost || !confirm && !strings.HasSuffix(r.URL.Path, "/appointment_holds") {
			return base.RoundTrip(r)
		}
		w.mu.Lock()
		n := &w.holds
		if confirm {
			n = &w.confirms
		}
		*n++
		count := *n
		w.mu.Unlock()
		if confirm && count == 1 {
			w.srv.Advance(w.beforeFirstConfirm)
		}
		resp, err := base.RoundTrip(r)
		if confirm && count == 1 {
			w.srv.Advance(w.afterFirstConfirm)
		}
		if crash != nil && crash(confirm, count) {
			dead.Store(true)
			// The process dies: the server has the request, and nobody
			// reads its answer.
			if err == nil {
				_ = resp.Body.Close()
			}
			return nil, errProcessDied
		}
		return resp, err
	})
	c, err := connected.NewClient(w.srv.APIKey(), connected.WithBaseURL(w.srv.URL()),
		connected.WithHTTPClient(&http.Client{Transport: rt}),
		connected.WithWaitFunc(func(context.Context, time.Duration) error { return nil }))
	require.NoError(t, err)
	return c
}

var errProcessDied = errors.New("process died")

// takeSlot books the checkout's slot for another patient.
func (w *checkoutWorld) takeSlot() {
	c, err := connected.NewClient(w.srv.APIKey(), connected.WithBaseURL(w.srv.URL()))
	if err != nil {
		panic(err)
	}
	defer c.CloseIdleConnections()
	ctx := context.Background()
	h, err := c.Holds.Create(ctx, &connected.HoldParams{SlotID: w.slot.ID})
	if err != nil {
		panic(err)
	}
	if _, err := c.Appointments.Confirm(ctx, h.AppointmentID, h.HoldToken, confirmParams("other")); err != nil {
		panic(err)
	}
}

func (w *checkoutWorld) save(t *testing.T, s *connected.CheckoutState) {
	b, err := json.Marshal(s)
	require.NoError(t, err)
	w.stored = b
}

func (w *checkoutWorld) load(t *testing.T) *connected.CheckoutState {
	var s connected.CheckoutState
	require.NoError(t, json.Unmarshal(w.stored, &s))
	return &s
}

var checkoutPayment = &connected.CheckoutCompleteParams{Patient: patient(), ExternalPaymentReference: "pi_checkout"}

func (w *checkoutWorld) run(t *testing.T, fault checkoutFault, crash crashPoint) {
	ctx := context.Background()

	// Process 1: start, store, then go as far as the crash point allows.
	p1 := w.process(t, nil)
	st, err := p1.Checkouts.Start(ctx, &connected.CheckoutStartParams{SlotID: w.slot.ID, PartnerReference: "order-1", Metadata: map[string]string{"order_id": "order-1"}})
	require.NoError(t, err)
	w.save(t, st)
	fault.arm(w)
	switch crash {
	case crashAfterStart:
		// Dies before the payment.
	case crashBeforeComplete:
		w.paid = true
	case crashConfirmInFlight:
		w.paid = true
		dying := w.process(t, func(confirm bool, _ int) bool { return confirm })
		_, _ = dying.Checkouts.Complete(ctx, w.load(t), checkoutPayment) // nothing it returns survives
	case crashHoldAgainInFlight:
		// Where no second hold is needed, the process completes and
		// dies before storing the answer.
		w.paid = true
		dying := w.process(t, func(confirm bool, n int) bool { return !confirm && n == 2 })
		_, _ = dying.Checkouts.Complete(ctx, w.load(t), checkoutPayment)
	case crashBeforeResultSave:
		w.paid = true
		_, err := p1.Checkouts.Complete(ctx, w.load(t), checkoutPayment)
		_ = err // answered, and lost with the process
	}

	// Later processes: pay if not paid, then complete until settled.
	w.paid = true
	for round := 1; w.result == nil || w.result.Outcome == connected.CheckoutOutcomeUnknown; round++ {
		require.LessOrEqual(t, round, 5, "the checkout settles within a few resumptions (last: %+v)", w.result)
		p := w.process(t, nil)
		res, err := p.Checkouts.Complete(ctx, w.load(t), checkoutPayment)
		if err != nil {
			// Nothing was booked, and the state is still good: resume.
			var apiErr *connected.Error
			require.ErrorAs(t, err, &apiErr)
			require.True(t, apiErr.Retryable(), "only a passing failure is an error here: %v", err)
			require.False(t, apiErr.Ambiguous, "an unknown outcome is CheckoutOutcomeUnknown, not an error: %v", err)
			continue
		}
		w.result = res
	}
	w.check(t, fault)
}

// check reconciles what the partner was told with what the server holds.
func (w *checkoutWorld) check(t *testing.T, fault checkoutFault) {
	var ours, onSlot []connected.Appointment
	for _, a := range w.srv.Appointments(w.srv.APIKey()) {
		if a.PartnerReference != nil && *a.PartnerReference == "order-1" {
			ours = append(ours, a)
		}
		if a.Start.Equal(w.slot.Start) && a.PractitionerID == w.slot.PractitionerID && a.Status == connected.AppointmentStatusConfirmed {
			onSlot = append(onSlot, a)
		}
	}
	assert.LessOrEqual(t, len(onSlot), 1, "the slot is booked at most once")
	res := w.result
	assert.Equal(t, w.slot.ID, res.Slot.ID)
	assert.Equal(t, "order-1", res.PartnerReference)
	assert.Equal(t, "pi_checkout", res.ExternalPaymentReference)
	if fault.notBooked {
		require.Equal(t, connected.CheckoutOutcomeNotBooked, res.Outcome, "%v", res.Err)
		assert.Empty(t, ours, "a checkout reported not booked has no appointment")
		assert.ErrorIs(t, res.Err, connected.ErrSlotUnavailable)
		return
	}
	require.Equal(t, connected.CheckoutOutcomeBooked, res.Outcome, "%v", res.Err)
	require.Len(t, ours, 1, "exactly one appointment per paid checkout")
	assert.Equal(t, ours[0].ID, res.Appointment.ID, "the partner was told of the appointment the server has")
	assert.Equal(t, "order-1", ours[0].Metadata["order_id"], "the hold's metadata reached the appointment")
	assert.Nil(t, res.Err)
	if fault.heldAgain {
		// Only a Complete that met the expiry itself says so; one that
		// resumed after the second hold was confirmed may too.
		assert.True(t, res.HeldAgain, "the slot was held a second time")
	}
}

func TestCheckoutStateRedactsTheHoldToken(t *testing.T) {
	e := newEnv(t)
	st, err := e.c.Checkouts.Start(context.Background(), &connected.CheckoutStartParams{
		SlotID: e.slot(t, "aptype_gp15", start.Add(72*time.Hour)).ID, PartnerReference: "order-9",
	})
	require.NoError(t, err)
	require.NotEmpty(t, st.HoldToken)

	var logged strings.Builder
	logger := slog.New(slog.NewJSONHandler(&logged, nil))
	logger.Info("checkout", "state", st, "by_value", *st)
	for _, out := range []string{
		fmt.Sprint(st), fmt.Sprint(*st), fmt.Sprintf("%+v", st), fmt.Sprintf("%#v", *st), fmt.Sprintf("%d", st),
		fmt.Sprintf("%x", *st), fmt.Sprintf("%q", st), st.String(), st.GoString(), logged.String(),
	} {
		assert.NotContains(t, out, st.HoldToken)
		assert.Contains(t, out, "REDACTED")
		assert.Contains(t, out, st.HoldAppointmentID, "the rest of the state is printed")
	}

	b, err := json.Marshal(st)
	require.NoError(t, err)
	assert.Contains(t, string(b), st.HoldToken, "the stored form keeps the token: Complete needs it")
	var back connected.CheckoutState
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, *st, back)
	for _, field := range []string{"first_name", "email", "date_of_birth", "patient"} {
		assert.NotContains(t, string(b), field, "no patient data in the state")
	}
}
