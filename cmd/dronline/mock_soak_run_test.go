package main

import (
	"context"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// soakRun is the state the clients share.
type soakRun struct {
	sb           sandbox
	out          *soakOutcomes
	rss          *rssSeries
	advanceEvery int64
	halfway      int64 // the short run samples memory when its calls pass this; 0: not

	calls    atomic.Int64 // made so far, for the clock and the half-way sample
	now      atomic.Int64 // the sandbox clock as last read, Unix nanoseconds
	advances atomic.Int64

	journalChecks, journalMax atomic.Int64
	sandboxProblems           problemList // the control API failed, or the journal was over its size

	booked, rescheduled, cancelled atomic.Int64
}

func (r *soakRun) outcome(op string, err error) { r.out.record(op, err) }

// sandboxNow is the sandbox clock as of its last advance: close enough to
// pick slots days ahead.
func (r *soakRun) sandboxNow() time.Time { return time.Unix(0, r.now.Load()).UTC() }

// runClients runs the clients until each has made its calls (short run)
// or duration has passed (long run), and waits for them.
func (r *soakRun) runClients(ctx context.Context, t *testing.T, p *mockProcess, duration time.Duration) {
	t.Helper()
	// The long run ends between calls, never by cancelling one: a
	// cancelled call would be an error of the test's making.
	timeUp := make(chan struct{})
	if duration > 0 {
		timer := time.AfterFunc(duration, func() { close(timeUp) })
		defer timer.Stop()
	}
	var wg sync.WaitGroup
	for i := range soakClients {
		sdk, err := connected.NewClient(p.key, connected.WithBaseURL(p.base),
			connected.WithMaxRetries(4), connected.WithBackoff(time.Millisecond, 10*time.Millisecond),
			connected.WithMaxRetryAfter(10*time.Millisecond), connected.WithHooks(r.out.hooks()))
		require.NoError(t, err)
		c := &soakClient{run: r, sdk: sdk, rng: rand.New(rand.NewPCG(1, uint64(i))), patient: soakPatient(i)}
		wg.Go(func() {
			defer sdk.CloseIdleConnections()
			for made := 0; ; {
				budget := soakCallsPerClient - made
				if duration > 0 {
					select {
					case <-timeUp:
						return
					default:
					}
					budget = maxBookCalls
				} else if budget <= 0 {
					return
				}
				n := c.step(ctx, budget)
				made += n
				r.after(ctx, int64(n))
			}
		})
	}
	wg.Wait()
}

// after counts n more calls and, as they pass the marks, advances the
// sandbox clock, lists the journal and samples the short run's memory.
func (r *soakRun) after(ctx context.Context, n int64) {
	total := r.calls.Add(n)
	if r.halfway > 0 && total >= r.halfway && total-n < r.halfway {
		r.rss.sample()
	}
	if total/r.advanceEvery == (total-n)/r.advanceEvery {
		return
	}
	now, err := r.sb.advance(ctx, time.Hour)
	if err != nil {
		r.sandboxProblems.add("advancing the sandbox clock: " + err.Error())
		return
	}
	r.now.Store(now.UnixNano())
	if r.advances.Add(1)%soakJournalEvery == 0 {
		r.checkJournal(ctx)
	}
}

// checkJournal lists as much of the journal as the control API gives at
// once, far more than its size: a journal that kept more than its size
// would show it.
func (r *soakRun) checkJournal(ctx context.Context) {
	n, more, err := r.sb.journal(ctx, 1000)
	if err != nil {
		r.sandboxProblems.add("listing the journal: " + err.Error())
		return
	}
	r.journalChecks.Add(1)
	for {
		m := r.journalMax.Load()
		if int64(n) <= m || r.journalMax.CompareAndSwap(m, int64(n)) {
			break
		}
	}
	if n > soakJournal || more {
		r.sandboxProblems.add("the journal listed " + strconv.Itoa(n) + " entries (has_more " + strconv.FormatBool(more) + "), more than its size " + strconv.Itoa(soakJournal))
	}
}
