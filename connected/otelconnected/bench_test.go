package otelconnected_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/otelconnected"
)

// BenchmarkHooks is what the hooks add to a call of one attempt, without
// the call itself: with no-op providers (instrumented but not exporting),
// and with the SDK's providers recording every span and metric.
func BenchmarkHooks(b *testing.B) {
	req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:8080/v1/connected/appointments/apt_1/confirm", nil)
	if err != nil {
		b.Fatal(err)
	}
	op := connected.Operation{ID: "confirmAppointment", Method: http.MethodPost, Path: "/connected/appointments/{appointment_id}/confirm"}
	run := func(h connected.Hooks) func(*testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			ctx := context.Background()
			for b.Loop() {
				req.Header = http.Header{}
				cctx := h.CallStart(ctx, connected.CallInfo{Operation: op})
				actx := h.AttemptStart(cctx, connected.AttemptInfo{Operation: op, Attempt: 1, Request: req})
				h.AttemptEnd(actx, connected.AttemptInfo{Operation: op, Attempt: 1, StatusCode: 200, Written: true, Duration: time.Millisecond})
				h.CallEnd(cctx, connected.CallInfo{Operation: op, Attempts: 1, Duration: time.Millisecond})
			}
		}
	}
	b.Run("providers=noop", run(otelconnected.Hooks(
		otelconnected.WithTracerProvider(tracenoop.NewTracerProvider()),
		otelconnected.WithMeterProvider(metricnoop.NewMeterProvider()),
		otelconnected.WithPropagator(propagation.TraceContext{}))))

	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(tracetest.NewNoopExporter()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	b.Run("providers=sdk", run(otelconnected.Hooks(otelconnected.WithTracerProvider(tp),
		otelconnected.WithMeterProvider(mp), otelconnected.WithPropagator(propagation.TraceContext{}))))
}
