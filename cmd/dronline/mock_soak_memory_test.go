package main

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The long soak's bound on the mock's memory: the most resident memory of
// the second half of the run at most rssGrowth times the most of the
// first half, plus rssSlack for what a garbage-collected heap may hold on
// to for a while, plus rssPerAppointment for each appointment booked in
// the second half. A mock that keeps something for every request grows in
// proportion to the requests and exceeds it; one that levels off once its
// journal is full and its idempotency keys lapse stays within it.
//
// The appointments are what the mock must keep: every one stays, as the
// API keeps it, and as the clock moves new slots come into the catalogue's
// 28 days and are booked. An appointment takes some 0.9 KB of live heap
// (its record, indexes, busy interval, the confirmed hold's id), about
// 1.8 KB of resident memory with the collector's headroom; a 10-minute run
// books some 14,000, a steady 3 MiB a minute. Without the allowance a
// longer run would fail for keeping what it must.
const (
	rssGrowth         = 1.3
	rssSlack          = 16 << 20
	rssPerAppointment = 3 << 10
)

type rssSample struct {
	at           time.Duration // since the series began
	rss          int64         // bytes
	appointments int64         // booked so far
}

// rssSeries samples a mock process's resident memory over a run, and
// how many appointments were booked by then.
type rssSeries struct {
	p            *mockProcess
	appointments func() int64
	began        time.Time

	mu      sync.Mutex
	samples []rssSample
	peak    int64 // VmHWM at the last sample
	missing bool  // no /proc here
}

func newRSSSeries(p *mockProcess, appointments func() int64) *rssSeries {
	return &rssSeries{p: p, appointments: appointments, began: time.Now()}
}

// sample reads the process's memory now.
func (s *rssSeries) sample() {
	rss, peak, ok := s.p.rss()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !ok {
		s.missing = true
		return
	}
	s.samples = append(s.samples, rssSample{at: time.Since(s.began), rss: rss, appointments: s.appointments()})
	s.peak = peak
}

// every samples every interval until the returned function is called.
func (s *rssSeries) every(interval time.Duration) (stop func()) {
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				s.sample()
			}
		}
	}()
	return func() {
		close(done)
		<-exited
	}
}

// maxIn is the most memory sampled in [from, to), how many samples there
// were, and the appointments booked by the last of them.
func (s *rssSeries) maxIn(from, to time.Duration) (rss int64, n int, appointments int64) {
	for _, x := range s.samples {
		if x.at >= from && x.at < to {
			rss = max(rss, x.rss)
			n++
			appointments = x.appointments
		}
	}
	return rss, n, appointments
}

// requireLevelsOff checks the bound on a run of the given duration.
func (s *rssSeries) requireLevelsOff(t *testing.T, duration time.Duration) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	require.False(t, s.missing, "the mock's memory cannot be read from /proc here")
	half := duration / 2
	first, n1, bookedFirst := s.maxIn(0, half)
	second, n2, bookedEnd := s.maxIn(half, time.Duration(1<<62))
	require.GreaterOrEqual(t, n1, 2, "samples in the first half")
	require.GreaterOrEqual(t, n2, 2, "samples in the second half")
	booked := bookedEnd - bookedFirst
	limit := int64(rssGrowth*float64(first)) + rssSlack + rssPerAppointment*booked
	t.Logf("mock RSS bound: second half at most %s against %s, %.1f× the first half's %s + %s + %d appointments booked in the second half × %d KiB",
		mib(second), mib(limit), rssGrowth, mib(first), mib(rssSlack), booked, rssPerAppointment>>10)
	assert.LessOrEqual(t, second, limit, "the mock's memory grew beyond what the appointments it keeps explain")
}

// String summarises the series: start, middle, end, most, peak.
func (s *rssSeries) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.missing || len(s.samples) == 0 {
		return "not available (no /proc)"
	}
	first, last := s.samples[0], s.samples[len(s.samples)-1]
	mid := first
	for _, x := range s.samples {
		if d, best := (x.at - last.at/2).Abs(), (mid.at - last.at/2).Abs(); d < best {
			mid = x
		}
	}
	most, _, _ := s.maxIn(0, time.Duration(1<<62))
	return fmt.Sprintf("start %s, half %s (at %s), end %s, max %s, VmHWM %s; %d samples",
		mib(first.rss), mib(mid.rss), mid.at.Round(time.Second), mib(last.rss), mib(most), mib(s.peak), len(s.samples))
}

// profile is the memory at each tenth of the run, for the log.
func (s *rssSeries) profile() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.samples) < 2 {
		return ""
	}
	end := s.samples[len(s.samples)-1].at
	var b strings.Builder
	next := 0
	for _, x := range s.samples {
		if x.at >= end*time.Duration(next)/10 {
			fmt.Fprintf(&b, " %s %.0f (%d)", x.at.Round(time.Second), float64(x.rss)/(1<<20), x.appointments)
			next = int(10*x.at/end) + 1
		}
	}
	return "MiB (appointments booked) by time:" + b.String()
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
