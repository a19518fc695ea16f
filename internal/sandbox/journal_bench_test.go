package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dronline/connected-go/connected/connectedtest"
)

// The journal's benchmarks drive the sandbox's handler in process, with
// no network, as `dronline mock` serves it: make bench-mock runs them.

// serveTB answers one request through h, from a loopback peer.
func serveTB(tb testing.TB, h http.Handler, method, path, key string, body []byte, hdr ...string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.RemoteAddr = "127.0.0.1:40000"
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// booker books slots through a handler: a hold and its confirmation.
type booker struct {
	s     *connectedtest.Server
	h     http.Handler
	slots []string
	next  int
}

func newBooker(tb testing.TB, s *connectedtest.Server, h http.Handler) *booker {
	w := serveTB(tb, h, http.MethodGet, basePath+"/connected/slots?appointment_type_id=aptype_gp15&limit=100", s.APIKey(), nil)
	var l struct{ Data []struct{ ID string } }
	if err := json.Unmarshal(w.Body.Bytes(), &l); err != nil || len(l.Data) == 0 {
		tb.Fatalf("no slots: %d %s", w.Code, w.Body)
	}
	bk := &booker{s: s, h: h}
	for _, d := range l.Data {
		bk.slots = append(bk.slots, d.ID)
	}
	return bk
}

// book makes one booking; when every slot is taken it reports true, and
// the caller resets the server (outside its timing) for the next round.
func (bk *booker) book(tb testing.TB) (full bool) {
	slot := bk.slots[bk.next]
	bk.next++
	w := serveTB(tb, bk.h, http.MethodPost, basePath+"/connected/appointment_holds", bk.s.APIKey(), []byte(`{"slot_id":"`+slot+`"}`))
	var hold struct {
		AppointmentID string `json:"appointment_id"`
		HoldToken     string `json:"hold_token"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &hold); err != nil || w.Code != http.StatusOK {
		tb.Fatalf("hold: %d %s", w.Code, w.Body)
	}
	w = serveTB(tb, bk.h, http.MethodPost, basePath+"/connected/appointments/"+hold.AppointmentID+"/confirm", bk.s.APIKey(),
		[]byte(`{"patient":{"first_name":"Jane","last_name":"Doe","email":"jane@example.com","date_of_birth":"1986-04-12","sex":"female","phone":"+447700900123"},"external_payment_reference":"pi_1"}`),
		"X-Appointment-Hold-Token", hold.HoldToken)
	if w.Code != http.StatusOK {
		tb.Fatalf("confirm: %d %s", w.Code, w.Body)
	}
	return bk.next == len(bk.slots)
}

func (bk *booker) reset() { bk.s.Reset(); bk.next = 0 }

// fill journals n requests, bookings: holds and confirmations, whose
// responses carry hold tokens.
func (bk *booker) fill(tb testing.TB, n int) {
	for range (n + 1) / 2 {
		if bk.book(tb) {
			bk.reset()
		}
	}
}

const readPath = "/_sandbox/requests?limit=100"

// read reads the journal as a client over the network would: the answer
// goes to a writer that drops it, as a socket's buffer does, not to a
// recorder that keeps it.
func read(h http.Handler) {
	req := httptest.NewRequest(http.MethodGet, readPath, nil)
	req.RemoteAddr = "127.0.0.1:40000"
	h.ServeHTTP(&discard{header: http.Header{}}, req)
}

type discard struct {
	header http.Header
	status int
}

func (d *discard) Header() http.Header         { return d.header }
func (d *discard) WriteHeader(status int)      { d.status = status }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }

// A limit=100 read costs the same whatever the journal holds beyond the
// 100 entries it returns.
func BenchmarkJournalRead(b *testing.B) {
	for _, entries := range []int{10, 100, 1000, 10000} {
		b.Run(fmt.Sprintf("entries=%d", entries), func(b *testing.B) {
			s, h, _ := newBenchSandbox(entries)
			defer s.Close()
			newBooker(b, s, h).fill(b, entries)
			b.ReportAllocs()
			if w := serveTB(b, h, http.MethodGet, readPath, "", nil); w.Code != http.StatusOK || !json.Valid(w.Body.Bytes()) {
				b.Fatalf("read: %d", w.Code)
			}
			for b.Loop() {
				read(h)
			}
		})
	}
	// A filter that matches nothing scans every entry, without copying.
	b.Run("entries=10000/no-match", func(b *testing.B) {
		s, h, _ := newBenchSandbox(10000)
		defer s.Close()
		newBooker(b, s, h).fill(b, 10000)
		b.ReportAllocs()
		for b.Loop() {
			req := httptest.NewRequest(http.MethodGet, readPath+"&idempotency_key=none", nil)
			req.RemoteAddr = "127.0.0.1:40000"
			h.ServeHTTP(&discard{header: http.Header{}}, req)
		}
	})
}

// Bookings per second through the handler, alone and while 200 readers
// poll limit=100 reads of a full journal (1,000 entries) every 100 ms
// each: 2,000 reads a second, as 200 inspector tabs polling ten times
// faster than the page does.
func BenchmarkJournalBookings(b *testing.B) {
	for _, readers := range []int{0, 200} {
		b.Run(fmt.Sprintf("readers=%d", readers), func(b *testing.B) {
			s, h, _ := newBenchSandbox(DefaultJournalEntries)
			defer s.Close()
			bk := newBooker(b, s, h)
			bk.fill(b, DefaultJournalEntries)
			bk.reset()

			stop := make(chan struct{})
			var wg sync.WaitGroup
			var reads atomic.Int64
			for range readers {
				wg.Go(func() {
					t := time.NewTicker(100 * time.Millisecond)
					defer t.Stop()
					for {
						select {
						case <-stop:
							return
						case <-t.C:
							read(h)
							reads.Add(1)
						}
					}
				})
			}
			b.ResetTimer()
			for range b.N {
				if bk.book(b) {
					b.StopTimer()
					bk.reset()
					b.StartTimer()
				}
			}
			b.StopTimer()
			close(stop)
			wg.Wait()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "bookings/s")
			if readers > 0 {
				b.ReportMetric(float64(reads.Load())/b.Elapsed().Seconds(), "reads/s")
			}
		})
	}
}

// 300 requests whose bodies are refused as too large (413) leave the
// journal, and the heap, with next to nothing of them.
func BenchmarkJournalOversize(b *testing.B) {
	huge := bytes.Repeat([]byte("x"), maxBody+1)
	var retained, accounted float64
	for b.Loop() {
		s, h, used := newBenchSandbox(DefaultJournalEntries)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for range 300 {
			if w := serveTB(b, h, http.MethodPost, basePath+"/connected/appointment_holds", s.APIKey(), huge); w.Code != http.StatusRequestEntityTooLarge {
				b.Fatalf("oversize: %d", w.Code)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		retained = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / (1 << 20)
		accounted = float64(used()) / (1 << 20)
		runtime.KeepAlive(h)
		s.Close()
	}
	b.ReportMetric(retained, "retained-MiB")
	b.ReportMetric(accounted, "journal-MiB")
}
