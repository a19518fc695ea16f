package main

import (
	"context"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// soakEnv selects the long run: a duration such as 10m (make soak-mock).
// Without it the test makes a fixed number of calls, as part of make test.
const soakEnv = "DRONLINE_MOCK_SOAK"

const (
	soakClients        = 64
	soakCallsPerClient = 50 // the short run's calls per client
	soakJournal        = 200
)

// soakAdvanceEvery is how many calls pass between two advances of the
// sandbox clock by an hour, so that holds expire (after 10 minutes) and
// idempotency keys lapse (after 24 hours) while the run goes on. The fake
// keeps every key with its response for 24 hours of its clock: on the
// real clock alone a run at full speed would keep every key it made,
// and its memory would grow with them. Tying the clock to the calls made
// rather than to the wall clock bounds the keys kept to 24 hours' worth
// of calls however fast the machine is, and keeps the short run free of
// timing.
func soakAdvanceEvery(long bool) int64 {
	if long {
		return 1000
	}
	return 200
}

// soakJournalEvery is how many clock advances pass between two listings
// of the journal: a listing of 200 entries with their bodies is some
// hundreds of kilobytes, fine now and then, not several times a second.
const soakJournalEvery = 4

// TestMockSoak runs `dronline mock` as a process of its own with a small
// journal, and 64 SDK clients against it at full speed through random
// faults: reads, bookings, a few reschedules and cancellations. Every call
// must succeed or fail as the client documents for what was done to it,
// the journal must never list more than its size, and the mock must stop
// cleanly afterwards. The long run (DRONLINE_MOCK_SOAK=10m, make
// soak-mock) also samples the mock's resident memory every second and
// requires it to level off: the most of the second half at most 1.3 times
// the most of the first plus 16 MiB, plus 3 KiB for each appointment
// booked meanwhile, which the mock keeps for good (mock_soak_memory_test.go).
// A short run's memory is noise, and is only printed.
func TestMockSoak(t *testing.T) {
	// A process of its own: it runs alongside the other tests.
	t.Parallel()
	var duration time.Duration
	if v := os.Getenv(soakEnv); v != "" {
		d, err := time.ParseDuration(v)
		require.NoError(t, err, "%s must be a duration such as 10m", soakEnv)
		require.Positive(t, d, "%s must be a duration such as 10m", soakEnv)
		duration = d
	}
	long := duration > 0
	bin := buildDronline(t)
	p := startMockProcess(t, bin, "mock", "--addr", "127.0.0.1:0", "--journal-size", strconv.Itoa(soakJournal))
	sb := sandbox{origin: p.origin, hc: &http.Client{Transport: &http.Transport{}}}
	defer sb.hc.CloseIdleConnections()

	// A deadline for the run as a whole: a wedged mock fails the test
	// instead of hanging it.
	ctx, cancel := context.WithTimeout(t.Context(), duration+3*time.Minute)
	defer cancel()
	injectSoakFaults(ctx, t, sb)
	now, err := sb.now(ctx)
	require.NoError(t, err)

	r := &soakRun{sb: sb, out: newSoakOutcomes(), advanceEvery: soakAdvanceEvery(long)}
	r.rss = newRSSSeries(p, r.booked.Load)
	r.now.Store(now.UnixNano())
	r.rss.sample()
	stopSampling := func() {}
	if long {
		stopSampling = r.rss.every(time.Second)
	} else {
		r.halfway = soakClients * soakCallsPerClient / 2
	}
	began := time.Now()
	r.runClients(ctx, t, p, duration)
	elapsed := time.Since(began)
	stopSampling()
	r.rss.sample()
	r.checkJournal(ctx)
	applied, byKind := faultsApplied(ctx, t, sb)

	code, rest := p.stop(t)
	assert.Equal(t, exitOK, code, "the mock's exit code; its stderr ends:\n%s", p.stderrEnd)
	assert.Equal(t, "Stopped.\n", rest)

	o := r.out
	secs := elapsed.Seconds()
	t.Logf("mock soak: %d clients, %s, journal size %d, clock advanced %d h (an hour every %d calls)",
		soakClients, elapsed.Round(time.Millisecond), soakJournal, r.advances.Load(), r.advanceEvery)
	t.Logf("calls: %d (%.0f/s): %d ok, %d failed by faults after retries, %d refused:%s",
		o.calls.Load(), float64(o.calls.Load())/secs, o.ok.Load(), o.faulted.Load(), o.refused.Load(), o.refusalCounts())
	t.Logf("requests: %d attempts by the clients (%.0f/s), %d retried; the mock logged %d requests (%.0f/s)",
		o.attempts.Load(), float64(o.attempts.Load())/secs, o.retried.Load(), p.logLines.Load(), float64(p.logLines.Load())/secs)
	t.Logf("bookings: %d confirmed, %d rescheduled, %d cancelled", r.booked.Load(), r.rescheduled.Load(), r.cancelled.Load())
	t.Logf("faults applied: %d%s; the clients saw %d answers 429/503 and %d attempts without an answer",
		applied, byKind, o.statusAttempts.Load(), o.lostAttempts.Load())
	t.Logf("journal: %d listings, at most %d entries (size %d)", r.journalChecks.Load(), r.journalMax.Load(), soakJournal)
	t.Logf("mock RSS: %s", r.rss)
	if long {
		t.Logf("mock RSS, %s", r.rss.profile())
	}

	n, problems := o.problems.summary()
	assert.Zero(t, n, "calls that failed otherwise than the client documents for faults and races (the first few):\n%s", problems)
	assert.Equal(t, o.calls.Load(), o.ok.Load()+o.faulted.Load()+o.refused.Load()+int64(n), "every call sorted once")
	n, problems = r.sandboxProblems.summary()
	assert.Zero(t, n, "the control API (the first few):\n%s", problems)
	if !long {
		assert.Equal(t, int64(soakClients*soakCallsPerClient), o.calls.Load(), "the short run makes a fixed number of calls")
	}
	assert.Positive(t, r.booked.Load(), "bookings were made")
	assert.Positive(t, applied, "faults were applied")
	assert.Positive(t, o.retried.Load(), "the clients retried")
	assert.Equal(t, int64(soakJournal), r.journalMax.Load(), "the journal filled up to its size, and no further")
	if long {
		r.rss.requireLevelsOff(t, duration)
	}
}
