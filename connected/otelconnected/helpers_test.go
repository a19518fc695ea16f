package otelconnected_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
	"github.com/dronline/connected-go/connected/otelconnected"
)

const confirmPath = "/connected/appointments/{appointment_id}/confirm"

// rig is a fake server, a client without hooks for setting the scene, and
// hooks exporting to memory.
type rig struct {
	srv    *connectedtest.Server
	plain  *connected.Client
	spans  *tracetest.InMemoryExporter
	reader *sdkmetric.ManualReader
	hooks  connected.Hooks
}

func newRig(t *testing.T) *rig {
	t.Helper()
	srv := connectedtest.NewServer(connectedtest.WithStartTime(time.Date(2030, 1, 7, 8, 0, 0, 0, time.UTC)))
	t.Cleanup(srv.Close)
	r := &rig{srv: srv, spans: tracetest.NewInMemoryExporter(), reader: sdkmetric.NewManualReader()}
	// A syncer exports each span as it ends: nothing is left to flush.
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(r.spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(r.reader))
	t.Cleanup(func() {
		require.NoError(t, tp.Shutdown(context.Background()))
		require.NoError(t, mp.Shutdown(context.Background()))
	})
	r.hooks = otelconnected.Hooks(otelconnected.WithTracerProvider(tp), otelconnected.WithMeterProvider(mp),
		otelconnected.WithPropagator(propagation.TraceContext{}))
	r.plain = r.client(t)
	return r
}

// client is a client of the fake whose retries do not wait (the 503s are
// answered at once, so no retry can meet a request still in progress) and
// that opens a connection per request: on a reused one, net/http itself
// would resend a request whose response was dropped, and the SDK would
// never see the loss.
func (r *rig) client(t *testing.T, opts ...connected.ClientOption) *connected.Client {
	t.Helper()
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	t.Cleanup(hc.CloseIdleConnections)
	c, err := connected.NewClient(r.srv.APIKey(), append([]connected.ClientOption{connected.WithBaseURL(r.srv.URL()),
		connected.WithHTTPClient(hc), connected.WithBackoff(0, 0)}, opts...)...)
	require.NoError(t, err)
	return c
}

// hold holds the first free slot.
func (r *rig) hold(t *testing.T) *connected.AppointmentHold {
	t.Helper()
	ctx := context.Background()
	slots, err := r.plain.Slots.List(ctx, &connected.SlotListParams{Limit: connected.Ptr(1)})
	require.NoError(t, err)
	require.NotEmpty(t, slots.Data)
	hold, err := r.plain.Holds.Create(ctx, &connected.HoldParams{SlotID: slots.Data[0].ID})
	require.NoError(t, err)
	return hold
}

func confirmParams() *connected.ConfirmParams {
	dob, err := connected.ParseDate("1986-04-12")
	if err != nil {
		panic(err)
	}
	return &connected.ConfirmParams{ExternalPaymentReference: "pi_otel_3141",
		PartnerReference: connected.Ptr("case-otel-2718"),
		Patient: connected.PatientInput{FirstName: "Jane", LastName: "Doe", Email: "jane.doe@example.com",
			Sex: connected.SexFemale, DateOfBirth: dob}}
}

// confirms is what the server received on the confirm path, in order.
func (r *rig) confirms() []connectedtest.RecordedRequest {
	var out []connectedtest.RecordedRequest
	for _, q := range r.srv.Requests() {
		if q.Method == http.MethodPost && strings.HasSuffix(q.Path, "/confirm") {
			out = append(out, q)
		}
	}
	return out
}

// spansNamed is the ended spans of that name, in the order they ended.
func (r *rig) spansNamed(name string) tracetest.SpanStubs {
	var out tracetest.SpanStubs
	for _, s := range r.spans.GetSpans() {
		if s.Name == name {
			out = append(out, s)
		}
	}
	return out
}

// attrs is a span's attributes by key.
func attrs(kvs []attribute.KeyValue) map[attribute.Key]attribute.Value {
	m := make(map[attribute.Key]attribute.Value, len(kvs))
	for _, kv := range kvs {
		m[kv.Key] = kv.Value
	}
	return m
}

// collect reads every metric the hooks recorded so far.
func (r *rig) collect(t *testing.T) map[string]metricdata.Aggregation {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, r.reader.Collect(context.Background(), &rm))
	out := map[string]metricdata.Aggregation{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			out[m.Name] = m.Data
		}
	}
	return out
}

// serverAddr is the fake's host and port, as server.address and
// server.port should read.
func (r *rig) serverAddr(t *testing.T) (string, int) {
	t.Helper()
	u, err := url.Parse(r.srv.URL())
	require.NoError(t, err)
	port, err := strconv.Atoi(u.Port())
	require.NoError(t, err)
	return u.Hostname(), port
}

// metricErrorTypes is every error.type value on the points of the
// metrics collected so far.
func (r *rig) metricErrorTypes(t *testing.T) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	for _, data := range r.collect(t) {
		sets, ok := pointAttributes(data)
		require.True(t, ok)
		for _, set := range sets {
			for _, kv := range set {
				if kv.Key == semconv.ErrorTypeKey {
					seen[kv.Value.AsString()] = true
				}
			}
		}
	}
	return seen
}
