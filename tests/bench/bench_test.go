package bench

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/otelconnected"
	"github.com/dronline/connected-go/gen"
	"github.com/dronline/connected-go/internal/proccpu"
)

// clients are the three ways of calling the API that the per-call
// benchmarks compare, all on one *http.Client.
type clients struct {
	raw *rawClient
	gen *gen.ClientWithResponses
	// sdk has retries (the default 2) and a logger configured; neither is
	// triggered by a 200. Its logger is at Warn, as in production, so the
	// per-attempt Info line is filtered out before it is formatted.
	sdk *connected.Client
	// sdkInfo logs every attempt at Info to io.Discard: the cost of
	// formatting the line, for users who keep Info on.
	sdkInfo *connected.Client
	// sdkNoTimeout is sdk with WithAttemptTimeout(0): the cost of the
	// per-attempt timeout the SDK sets by default.
	sdkNoTimeout *connected.Client
	// sdkDefault is NewClient with no option but the base URL and HTTP
	// client: no logger, no hook.
	sdkDefault *connected.Client
	// sdkOtelNoop is sdk traced and measured by otelconnected with no-op
	// providers and the W3C propagator: the cost of the instrumentation
	// itself, for a service that has it wired but not exporting (or not
	// sampling).
	sdkOtelNoop *connected.Client
}

func newClients(tb testing.TB, base string, hc *http.Client) *clients {
	tb.Helper()
	// The generated client sends the headers the raw client and the SDK
	// send, so all three put the same request on the wire and the server's
	// share of each call (it runs in this process) is the same.
	auth := func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+apiKey)
		req.Header.Set("Accept", "application/json")
		return nil
	}
	g, err := gen.NewClientWithResponses(base, gen.WithHTTPClient(hc), gen.WithRequestEditorFn(auth))
	if err != nil {
		tb.Fatal(err)
	}
	sdk := func(level slog.Level, opts ...connected.ClientOption) *connected.Client {
		logger := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: level}))
		c, err := connected.NewClient(apiKey, append([]connected.ClientOption{connected.WithBaseURL(base), connected.WithHTTPClient(hc),
			connected.WithMaxRetries(connected.DefaultMaxRetries), connected.WithLogger(logger)}, opts...)...)
		if err != nil {
			tb.Fatal(err)
		}
		return c
	}
	return &clients{
		raw: &rawClient{hc: hc, base: base, key: apiKey},
		gen: g, sdk: sdk(slog.LevelWarn), sdkInfo: sdk(slog.LevelInfo),
		sdkNoTimeout: sdk(slog.LevelWarn, connected.WithAttemptTimeout(0)),
		sdkDefault:   sdk(slog.LevelWarn, connected.WithLogger(nil)),
		sdkOtelNoop: sdk(slog.LevelWarn, connected.WithHooks(otelconnected.Hooks(
			otelconnected.WithTracerProvider(tracenoop.NewTracerProvider()),
			otelconnected.WithMeterProvider(metricnoop.NewMeterProvider()),
			otelconnected.WithPropagator(propagation.TraceContext{})))),
	}
}

// BenchmarkGetAppointment is GET /connected/appointments/{id} against a
// canned 200, through each client.
func BenchmarkGetAppointment(b *testing.B) {
	srv := newCannedServer(b, 0)
	cs := newClients(b, srv.baseURL(), newHTTPClient(b))
	ctx := context.Background()

	run := func(get func() (*gen.Appointment, error)) func(*testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b, proccpu.Used())
			for b.Loop() {
				a, err := get()
				if err != nil {
					b.Fatal(err)
				}
				if a.ID != appointmentID {
					b.Fatalf("got appointment %q, want %q", a.ID, appointmentID)
				}
			}
		}
	}
	b.Run("client=raw", run(func() (*gen.Appointment, error) { return cs.raw.getAppointment(ctx, appointmentID) }))
	b.Run("client=raw-timeout", run(func() (*gen.Appointment, error) {
		tctx, cancel := context.WithTimeout(ctx, connected.DefaultAttemptTimeout)
		defer cancel()
		return cs.raw.getAppointment(tctx, appointmentID)
	}))
	b.Run("client=raw-handwritten", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b, proccpu.Used())
		for b.Loop() {
			a, err := cs.raw.getHandAppointment(ctx, appointmentID)
			if err != nil {
				b.Fatal(err)
			}
			if a.ID != appointmentID {
				b.Fatalf("got appointment %q, want %q", a.ID, appointmentID)
			}
		}
	})
	b.Run("client=generated", run(func() (*gen.Appointment, error) {
		resp, err := cs.gen.GetAppointmentWithResponse(ctx, appointmentID)
		if err != nil {
			return nil, err
		}
		if resp.JSON200 == nil {
			b.Fatalf("HTTP %d", resp.StatusCode())
		}
		return resp.JSON200, nil
	}))
	b.Run("client=sdk", run(func() (*gen.Appointment, error) { return cs.sdk.Appointments.Get(ctx, appointmentID) }))
	b.Run("client=sdk-notimeout", run(func() (*gen.Appointment, error) { return cs.sdkNoTimeout.Appointments.Get(ctx, appointmentID) }))
	b.Run("client=sdk-default", run(func() (*gen.Appointment, error) { return cs.sdkDefault.Appointments.Get(ctx, appointmentID) }))
	b.Run("client=sdk-infolog", run(func() (*gen.Appointment, error) { return cs.sdkInfo.Appointments.Get(ctx, appointmentID) }))
	b.Run("client=sdk-otel-noop", run(func() (*gen.Appointment, error) { return cs.sdkOtelNoop.Appointments.Get(ctx, appointmentID) }))
}

// BenchmarkConfirmAppointment is POST …/confirm with a full patient body,
// against a canned 200. Every client encodes the body and makes a fresh
// idempotency key per call, as a real confirm does.
func BenchmarkConfirmAppointment(b *testing.B) {
	srv := newCannedServer(b, 0)
	cs := newClients(b, srv.baseURL(), newHTTPClient(b))
	ctx := context.Background()
	params := confirmParams()

	run := func(confirm func() (*gen.Appointment, error)) func(*testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b, proccpu.Used())
			for b.Loop() {
				a, err := confirm()
				if err != nil {
					b.Fatal(err)
				}
				if a.ID != appointmentID {
					b.Fatalf("got appointment %q, want %q", a.ID, appointmentID)
				}
			}
		}
	}
	b.Run("client=raw", run(func() (*gen.Appointment, error) {
		return cs.raw.confirm(ctx, appointmentID, holdToken, params)
	}))
	// What a careful partner writes: raw, with a bound on each request as
	// long as the SDK's default attempt timeout.
	b.Run("client=raw-timeout", run(func() (*gen.Appointment, error) {
		tctx, cancel := context.WithTimeout(ctx, connected.DefaultAttemptTimeout)
		defer cancel()
		return cs.raw.confirm(tctx, appointmentID, holdToken, params)
	}))
	b.Run("client=generated", run(func() (*gen.Appointment, error) {
		key := uuid.NewString()
		resp, err := cs.gen.ConfirmAppointmentWithResponse(ctx, appointmentID,
			&gen.ConfirmAppointmentParams{IdempotencyKey: &key, XAppointmentHoldToken: holdToken}, *params)
		if err != nil {
			return nil, err
		}
		if resp.JSON200 == nil {
			b.Fatalf("HTTP %d", resp.StatusCode())
		}
		return resp.JSON200, nil
	}))
	b.Run("client=sdk", run(func() (*gen.Appointment, error) {
		return cs.sdk.Appointments.Confirm(ctx, appointmentID, holdToken, params)
	}))
	b.Run("client=sdk-notimeout", run(func() (*gen.Appointment, error) {
		return cs.sdkNoTimeout.Appointments.Confirm(ctx, appointmentID, holdToken, params)
	}))
	b.Run("client=sdk-infolog", run(func() (*gen.Appointment, error) {
		return cs.sdkInfo.Appointments.Confirm(ctx, appointmentID, holdToken, params)
	}))
	b.Run("client=sdk-default", run(func() (*gen.Appointment, error) {
		return cs.sdkDefault.Appointments.Confirm(ctx, appointmentID, holdToken, params)
	}))
	b.Run("client=sdk-otel-noop", run(func() (*gen.Appointment, error) {
		return cs.sdkOtelNoop.Appointments.Confirm(ctx, appointmentID, holdToken, params)
	}))
}

// reportCPU reports the process's CPU time per op since start, client and
// server together: on a shared machine it moves with the neighbours' load
// far less than ns/op, and the server's share is the same for every client.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(proccpu.Used()-start)/float64(b.N), "cpu-ns/op")
}
