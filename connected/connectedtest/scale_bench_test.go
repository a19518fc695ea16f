package connectedtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dronline/connected-go/internal/proccpu"
)

// Issue 14's benchmarks: the fake at scale. They live in the package,
// not in bench/, because they seed a long history without HTTP (see
// scaleFixture). BENCHMARKS.md records runs and their commands.

var histories = []int{0, 10_000, 100_000}

// BenchmarkWrites measures each write through the whole handler (auth,
// idempotency, canonical JSON, recording) on a credential with a history
// of prior bookings. Flat means the cost does not depend on the history.
// Each op also adds to the state (a hold, an appointment), so runs use a
// fixed -benchtime=Nx: the state an op sees is history plus at most N.
func BenchmarkWrites(b *testing.B) {
	for _, op := range []string{"hold", "confirm", "cancel", "reschedule"} {
		for _, history := range histories {
			b.Run(fmt.Sprintf("op=%s/history=%d", op, history), func(b *testing.B) {
				f := newScaleFixture(b, history)
				next := f.prepareWrites(op, b.N)
				b.ReportAllocs()
				b.ResetTimer()
				cpu := proccpu.Used()
				for i := range b.N {
					f.serve(b, next(i))
				}
				reportCPU(b, cpu, b.N)
			})
		}
	}
}

// reportCPU reports the process's CPU time per op since cpu.
func reportCPU(b *testing.B, cpu time.Duration, ops int) {
	if ops > 0 {
		b.ReportMetric(float64(proccpu.Used()-cpu)/float64(ops), "cpu-ns/op")
	}
}

// prepareWrites seeds what n operations of kind op need (pending holds for
// confirm, bookings for cancel and reschedule) and returns the i-th request.
func (f *scaleFixture) prepareWrites(op string, n int) func(i int) *http.Request {
	key := func(i int) string { return op + "-" + strconv.Itoa(i) }
	switch op {
	case "hold":
		return func(i int) *http.Request {
			return f.request(http.MethodPost, "/connected/appointment_holds", holdBody(freeSlot(i)), key(i))
		}
	case "confirm":
		ids, tokens := make([]string, n), make([]string, n)
		for i := range n {
			ids[i], tokens[i] = f.hold(freeSlot(i))
		}
		return func(i int) *http.Request {
			r := f.request(http.MethodPost, "/connected/appointments/"+ids[i]+"/confirm", confirmBody(key(i)), key(i))
			r.Header.Set("X-Appointment-Hold-Token", tokens[i])
			return r
		}
	case "cancel":
		ids := make([]string, n)
		for i := range n {
			ids[i] = f.book(freeSlot(i), key(i))
		}
		return func(i int) *http.Request {
			return f.request(http.MethodPost, "/connected/appointments/"+ids[i]+"/cancel", "", key(i))
		}
	case "reschedule":
		ids, targets := make([]string, n), make([]slot, n)
		for i := range n {
			var from slot
			from, targets[i] = movePair(i)
			ids[i] = f.book(from, key(i))
		}
		return func(i int) *http.Request {
			return f.request(http.MethodPost, "/connected/appointments/"+ids[i]+"/reschedule", holdBody(targets[i]), key(i))
		}
	}
	panic("unknown op " + op)
}

// BenchmarkListAppointments measures one page of 100 appointments, the
// first and one in the middle of the list (a starting_after cursor), and
// reconciliation by partner_reference and external_payment_reference.
func BenchmarkListAppointments(b *testing.B) {
	for _, history := range histories[1:] {
		b.Run(fmt.Sprintf("history=%d", history), func(b *testing.B) {
			f := newScaleFixture(b, history)
			mid := f.s.Appointments(f.s.APIKey())[history/2].ID
			ref := "hist-" + strconv.Itoa(history/2)
			for _, tc := range []struct{ name, query string }{
				{"page=first", "limit=100"},
				{"page=middle", "limit=100&starting_after=" + mid},
				{"by=partner_reference", "partner_reference=" + url.QueryEscape(ref)},
				{"by=external_payment_reference", "external_payment_reference=" + url.QueryEscape("pi_"+ref)},
			} {
				b.Run(tc.name, func(b *testing.B) {
					b.ReportAllocs()
					cpu := proccpu.Used()
					for b.Loop() {
						f.serve(b, f.request(http.MethodGet, "/connected/appointments?"+tc.query, "", ""))
					}
					reportCPU(b, cpu, b.N)
				})
			}
		})
	}
}

// BenchmarkPageAllAppointments walks the whole list, 100 per page: one op
// is every page, the server time of a reconciliation job.
func BenchmarkPageAllAppointments(b *testing.B) {
	for _, history := range histories[1:] {
		b.Run(fmt.Sprintf("history=%d", history), func(b *testing.B) {
			f := newScaleFixture(b, history)
			b.ReportAllocs()
			cpu := proccpu.Used()
			for b.Loop() {
				query, n := "limit=100", 0
				for {
					rec := f.serve(b, f.request(http.MethodGet, "/connected/appointments?"+query, "", ""))
					var page struct {
						HasMore bool `json:"has_more"`
						Data    []struct {
							ID string `json:"id"`
						} `json:"data"`
					}
					if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
						b.Fatal(err)
					}
					n += len(page.Data)
					if !page.HasMore {
						break
					}
					query = "limit=100&starting_after=" + page.Data[len(page.Data)-1].ID
				}
				if n != history {
					b.Fatalf("walked %d appointments, want %d", n, history)
				}
			}
			reportCPU(b, cpu, b.N)
		})
	}
}

// mockOptions are the options cmd/dronline's mock serves with, less the
// listener, logger and real clock.
func mockOptions() []Option { return []Option{WithRequestRecording(false)} }

// BenchmarkHeapAfterHolds serves holds as a long-running mock sees them:
// one a second of fake time, each with an Idempotency-Key, none confirmed,
// so every hold expires ten minutes later. heap-B is the live heap the
// server keeps afterwards (after a GC, less the heap before it started).
func BenchmarkHeapAfterHolds(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("holds=%d", n), func(b *testing.B) {
			var heap uint64
			for range b.N {
				heap = heapAfterHolds(b, n)
			}
			b.ReportMetric(float64(heap), "heap-B")
			b.ReportMetric(float64(heap)/float64(n), "heap-B/hold")
		})
	}
}

func heapAfterHolds(b *testing.B, n int) uint64 {
	before := liveHeap()
	s := NewServer(append([]Option{WithStartTime(scaleStart()), WithCatalogue(scaleCatalogue())}, mockOptions()...)...)
	defer s.Close()
	f := &scaleFixture{s: s, c: s.creds[s.APIKey()], auth: "Bearer " + s.APIKey()}
	for i := range n {
		s.Advance(time.Second)
		// Practitioner i%100 gets a hold every 100 s; its last few holds
		// (ten minutes' worth) are still active, each on its own slot.
		base := s.Now().Add(48 * time.Hour).Truncate(scaleDur).Add(scaleDur)
		start := base.Add(time.Duration(i/scalePracs%16) * scaleDur)
		sl := slot{typeID: scaleType, pracID: scalePrac(i % scalePracs), start: start, end: start.Add(scaleDur)}
		f.serve(b, f.request(http.MethodPost, "/connected/appointment_holds", holdBody(sl), "heap-"+strconv.Itoa(i)))
	}
	after := liveHeap()
	runtime.KeepAlive(s)
	if after < before {
		return 0
	}
	return after - before
}

func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkConcurrentBooking has clients goroutines book (hold, then
// confirm) against one fake over loopback HTTP, each with its own
// keep-alive connection. One op is one booking.
func BenchmarkConcurrentBooking(b *testing.B) {
	for _, clients := range []int{1, 16, 256} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			s := NewServer(WithStartTime(scaleStart()), WithCatalogue(scaleCatalogue()))
			defer s.Close()
			tr := &http.Transport{MaxIdleConnsPerHost: clients}
			defer tr.CloseIdleConnections()
			hc := &http.Client{Transport: tr}
			var next atomic.Int64
			var failed atomic.Pointer[error]
			b.ReportAllocs()
			b.ResetTimer()
			cpu := proccpu.Used()
			began := time.Now()
			var wg sync.WaitGroup
			for range clients {
				wg.Go(func() {
					for {
						i := int(next.Add(1)) - 1
						if i >= b.N {
							return
						}
						if err := bookOver(hc, s, i); err != nil {
							failed.CompareAndSwap(nil, &err)
							return
						}
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(began)
			b.StopTimer()
			if err := failed.Load(); err != nil {
				b.Fatal(*err)
			}
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "bookings/s")
			reportCPU(b, cpu, b.N)
		})
	}
}

// bookOver holds and confirms freeSlot(i) over HTTP.
func bookOver(hc *http.Client, s *Server, i int) error {
	var h struct {
		AppointmentID string `json:"appointment_id"`
		HoldToken     string `json:"hold_token"`
	}
	key := "conc-" + strconv.Itoa(i)
	if err := postJSON(hc, s, "/connected/appointment_holds", holdBody(freeSlot(i)), key+"-h", nil, &h); err != nil {
		return err
	}
	return postJSON(hc, s, "/connected/appointments/"+h.AppointmentID+"/confirm", confirmBody(key), key+"-c",
		map[string]string{"X-Appointment-Hold-Token": h.HoldToken}, nil)
}

func postJSON(hc *http.Client, s *Server, path, body, key string, headers map[string]string, out any) error {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, s.URL()+path, bytes.NewReader([]byte(body)))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+s.APIKey())
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("POST %s: HTTP %d: %s", path, resp.StatusCode, buf.Bytes())
	}
	if out != nil {
		return json.Unmarshal(buf.Bytes(), out)
	}
	return nil
}
