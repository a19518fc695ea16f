// A user who traces: one call through otelconnected, its spans read back
// from OpenTelemetry's in-memory exporter.
package tracing_test

import (
	"context"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
	"github.com/dronline/connected-go/connected/otelconnected"
)

func TestTraceACall(t *testing.T) {
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	defer func() { _ = tp.Shutdown(context.Background()) }()
	srv := connectedtest.NewServer()
	defer srv.Close()
	client, err := connected.NewClient(srv.APIKey(), connected.WithBaseURL(srv.URL()),
		connected.WithHooks(otelconnected.Hooks(otelconnected.WithTracerProvider(tp))))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Account.Get(context.Background()); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range spans.GetSpans() {
		names = append(names, s.Name)
	}
	if len(names) != 2 || names[1] != "getAccount" {
		t.Fatalf("spans %q; want the attempt, then getAccount", names)
	}
}
