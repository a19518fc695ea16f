package bench

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/gen"
	"github.com/dronline/connected-go/internal/proccpu"
)

// pageSize is the largest page the API serves.
const pageSize = 100

// heapPeak tracks the largest HeapInuse seen. Sampling once per page is
// enough: a page is the unit the iterator holds, and ReadMemStats stops the
// world, so sampling per item would dominate the loop.
type heapPeak struct {
	ms   runtime.MemStats
	peak uint64
}

func (h *heapPeak) sample() {
	runtime.ReadMemStats(&h.ms)
	h.peak = max(h.peak, h.ms.HeapInuse)
}

// iterateSDK walks the whole list with the SDK's iterator and returns how
// many appointments it saw. keep, if not nil, receives every appointment:
// the control that proves the peak measurement sees retained memory.
func iterateSDK(ctx context.Context, c *connected.Client, h *heapPeak, keep *[]gen.Appointment) (int, error) {
	n := 0
	for a, err := range c.Appointments.All(ctx, &connected.AppointmentListParams{Limit: connected.Ptr(pageSize)}) {
		if err != nil {
			return n, err
		}
		if a.ID != listID(n) {
			return n, fmt.Errorf("item %d is %q, want %q", n, a.ID, listID(n))
		}
		if keep != nil {
			*keep = append(*keep, a)
		}
		n++
		if n%pageSize == 0 {
			h.sample()
		}
	}
	return n, nil
}

// iterateRaw walks the whole list with the hand-written page loop.
func iterateRaw(ctx context.Context, c *rawClient, h *heapPeak) (int, error) {
	n := 0
	var bad error
	err := c.eachAppointment(ctx, pageSize, func(items []gen.Appointment) {
		for _, a := range items {
			if a.ID != listID(n) && bad == nil {
				bad = fmt.Errorf("item %d is %q, want %q", n, a.ID, listID(n))
			}
			n++
		}
		h.sample()
	})
	if err == nil {
		err = bad
	}
	return n, err
}

func newPagingClients(tb testing.TB, total int) (*connected.Client, *rawClient) {
	tb.Helper()
	srv := newCannedServer(tb, total)
	hc := newHTTPClient(tb)
	c, err := connected.NewClient(apiKey, connected.WithBaseURL(srv.baseURL()), connected.WithHTTPClient(hc))
	if err != nil {
		tb.Fatal(err)
	}
	return c, &rawClient{hc: hc, base: srv.baseURL(), key: apiKey}
}

// BenchmarkPaginate iterates over the whole appointment list, in pages of
// 100, with the SDK iterator and with a hand-written loop. One op is the
// whole list; peak-heap-B is the largest HeapInuse sampled once per page
// over all ops, after a GC before the first.
func BenchmarkPaginate(b *testing.B) {
	for _, total := range []int{10_000, 100_000} {
		sdk, raw := newPagingClients(b, total)
		for _, name := range []string{"sdk", "raw"} {
			b.Run(fmt.Sprintf("total=%d/client=%s", total, name), func(b *testing.B) {
				ctx := context.Background()
				var h heapPeak
				runtime.GC()
				b.ReportAllocs()
				b.ResetTimer()
				defer reportCPU(b, proccpu.Used())
				for range b.N {
					var n int
					var err error
					if name == "sdk" {
						n, err = iterateSDK(ctx, sdk, &h, nil)
					} else {
						n, err = iterateRaw(ctx, raw, &h)
					}
					if err != nil {
						b.Fatal(err)
					}
					if n != total {
						b.Fatalf("saw %d appointments, want %d", n, total)
					}
				}
				b.ReportMetric(float64(h.peak), "peak-heap-B")
			})
		}
	}
}

// peakOf is the peak HeapInuse of one walk of a list of total appointments
// with the SDK iterator, after a GC.
func peakOf(t *testing.T, total int, keep bool) uint64 {
	t.Helper()
	c, _ := newPagingClients(t, total)
	var kept []gen.Appointment
	var keepp *[]gen.Appointment
	if keep {
		keepp = &kept
	}
	var h heapPeak
	runtime.GC()
	h.sample()
	n, err := iterateSDK(context.Background(), c, &h, keepp)
	if err != nil {
		t.Fatal(err)
	}
	if n != total {
		t.Fatalf("saw %d appointments, want %d", n, total)
	}
	runtime.KeepAlive(kept)
	return h.peak
}

// TestIteratorMemoryIsFlat is a memory check, not a timing one: the
// iterator holds one page at a time, so walking ten times more appointments
// must not raise the peak heap by more than noise (the GC's pacing). The
// control walk keeps every appointment and must fail the same bound, which
// shows the measurement would catch an iterator that accumulates.
func TestIteratorMemoryIsFlat(t *testing.T) {
	const small, large = 1_000, 10_000
	const bound = 1.5
	if peakSmall, peakLarge := peakOf(t, small, false), peakOf(t, large, false); float64(peakLarge) > bound*float64(peakSmall) {
		t.Errorf("peak heap walking %d appointments is %d B, more than %.1f× the %d B of walking %d: the iterator's memory grows with the total",
			large, peakLarge, bound, peakSmall, small)
	} else {
		t.Logf("peak heap: %d B for %d appointments, %d B for %d", peakSmall, small, peakLarge, large)
	}
	if peakSmall, peakLarge := peakOf(t, small, true), peakOf(t, large, true); float64(peakLarge) <= bound*float64(peakSmall) {
		t.Errorf("control: keeping every appointment peaked at %d B for %d and %d B for %d; the measurement cannot see growth",
			peakSmall, small, peakLarge, large)
	} else {
		t.Logf("control, keeping every appointment: %d B for %d, %d B for %d", peakSmall, small, peakLarge, large)
	}
}
