package otelconnected_test

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
	"github.com/dronline/connected-go/connected/otelconnected"
)

// A call that meets a 503 and succeeds on its retry: one span for the call,
// named after the operation, and one CLIENT span per attempt under it. In
// production, pass your TracerProvider and MeterProvider, or set the global
// ones and call Hooks with no option.
func ExampleHooks() {
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	defer func() { _ = tp.Shutdown(context.Background()) }()

	srv := connectedtest.NewServer()
	defer srv.Close()
	srv.InjectFault(connectedtest.Fault{Path: "/connected/account", Status: http.StatusServiceUnavailable})

	client, err := connected.NewClient(srv.APIKey(), connected.WithBaseURL(srv.URL()),
		connected.WithBackoff(time.Millisecond, time.Millisecond), // a short wait for the example
		connected.WithHooks(otelconnected.Hooks(otelconnected.WithTracerProvider(tp))))
	if err != nil {
		panic(err)
	}
	if _, err := client.Account.Get(context.Background()); err != nil {
		panic(err)
	}

	// Each span is exported as it ends: the attempts, then the call.
	show := []attribute.Key{"http.request.resend_count", "http.response.status_code", "error.type", "dronline.attempts"}
	for _, s := range spans.GetSpans() {
		fmt.Printf("%-6s %s", s.SpanKind, s.Name)
		for _, kv := range s.Attributes {
			for _, k := range show {
				if kv.Key == k {
					fmt.Printf(" %s=%s", kv.Key, kv.Value.String())
				}
			}
		}
		fmt.Println()
	}
	// Output:
	// client GET /connected/account http.response.status_code=503 error.type=service_unavailable
	// client GET /connected/account http.request.resend_count=1 http.response.status_code=200
	// internal getAccount dronline.attempts=2
}
