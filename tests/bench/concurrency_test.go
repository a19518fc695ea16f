package bench

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dronline/connected-go/connected"
)

// goroutines is how many callers share one client.
const goroutines = 256

// BenchmarkConcurrentGet runs GETs from 256 goroutines sharing one SDK
// client and reports throughput and the TCP connections the server
// accepted. Connections must be reused: more dials than goroutines means
// the pool closes connections it will need again a moment later.
//
// client=default is what a user gets without WithHTTPClient;
// client=http.DefaultClient is net/http's default client, measured for
// comparison and not held to the bound.
func BenchmarkConcurrentGet(b *testing.B) {
	variants := []struct {
		name string
		opts []connected.ClientOption
		// reuse is whether the variant must pass the dial bound; the
		// others are measured to show why the SDK does not use them.
		reuse bool
	}{
		{"default", nil, true},
		// net/http's default keeps 2 idle connections per host.
		{"http.DefaultClient", []connected.ClientOption{connected.WithHTTPClient(http.DefaultClient)}, false},
	}
	for _, v := range variants {
		b.Run("client="+v.name, func(b *testing.B) {
			srv := newCannedServer(b, 0)
			c, err := connected.NewClient(apiKey, append([]connected.ClientOption{connected.WithBaseURL(srv.baseURL())}, v.opts...)...)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			var next atomic.Int64
			var failed atomic.Pointer[error]
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for range goroutines {
				wg.Go(func() {
					for next.Add(1) <= int64(b.N) {
						if _, err := c.Appointments.Get(ctx, appointmentID); err != nil {
							failed.CompareAndSwap(nil, &err)
							return
						}
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			if err := failed.Load(); err != nil {
				b.Fatal(*err)
			}
			dials := srv.dials.Load()
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
			b.ReportMetric(float64(dials), "dials")
			if v.reuse && dials > goroutines {
				b.Errorf("%d goroutines dialled %d connections: connections are not reused", goroutines, dials)
			}
		})
	}
}
