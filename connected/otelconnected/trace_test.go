package otelconnected_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/trace"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

// A confirm that meets two 503s is one call span, named after the
// operation, with three CLIENT spans under it: the retries counted by
// http.request.resend_count, the 503s marked with their error code. Every
// attempt carried the same idempotency key, and its own span's trace
// context, to the server.
func TestConfirmThroughTwo503sIsOneSpanOfThreeAttempts(t *testing.T) {
	r := newRig(t)
	hold := r.hold(t)
	r.srv.InjectFault(connectedtest.Fault{Method: http.MethodPost, Path: confirmPath, Status: http.StatusServiceUnavailable, Times: 2})

	// The hooks are given to the one call: the setup's calls are not traced.
	_, err := r.plain.Appointments.Confirm(context.Background(), hold.AppointmentID, hold.HoldToken, confirmParams(), connected.WithHooks(r.hooks))
	require.NoError(t, err)

	require.Len(t, r.spans.GetSpans(), 4, "one call span and three attempt spans, nothing else")
	calls := r.spansNamed("confirmAppointment")
	require.Len(t, calls, 1)
	call := calls[0]
	assert.Equal(t, trace.SpanKindInternal, call.SpanKind)
	assert.Equal(t, codes.Unset, call.Status.Code)
	ca := attrs(call.Attributes)
	assert.Equal(t, "confirmAppointment", ca["dronline.operation"].AsString())
	assert.Equal(t, int64(3), ca["dronline.attempts"].AsInt64())
	assert.False(t, ca["dronline.replayed"].AsBool())
	assert.False(t, ca["dronline.ambiguous"].AsBool())
	assert.NotContains(t, ca, attribute.Key("error.type"))

	attempts := r.spansNamed("POST " + confirmPath)
	require.Len(t, attempts, 3)
	received := r.confirms()
	require.Len(t, received, 3, "the server saw three attempts")
	host, port := r.serverAddr(t)
	for i, a := range attempts {
		t.Run(fmt.Sprintf("attempt %d", i+1), func(t *testing.T) {
			assert.Equal(t, trace.SpanKindClient, a.SpanKind)
			assert.Equal(t, call.SpanContext.TraceID(), a.SpanContext.TraceID())
			assert.Equal(t, call.SpanContext.SpanID(), a.Parent.SpanID(), "a child of the call span")
			aa := attrs(a.Attributes)
			assert.Equal(t, "POST", aa["http.request.method"].AsString())
			assert.Equal(t, confirmPath, aa["url.template"].AsString())
			assert.Equal(t, host, aa["server.address"].AsString())
			assert.Equal(t, int64(port), aa["server.port"].AsInt64())
			if i == 0 {
				assert.NotContains(t, aa, attribute.Key("http.request.resend_count"), "the first attempt is no resend")
			} else {
				assert.Equal(t, int64(i), aa["http.request.resend_count"].AsInt64())
			}
			if i < 2 {
				assert.Equal(t, int64(503), aa["http.response.status_code"].AsInt64())
				assert.Equal(t, string(connected.ErrorCodeServiceUnavailable), aa["error.type"].AsString())
				assert.Equal(t, codes.Error, a.Status.Code)
			} else {
				assert.Equal(t, int64(200), aa["http.response.status_code"].AsInt64())
				assert.NotContains(t, aa, attribute.Key("error.type"))
				assert.Equal(t, codes.Unset, a.Status.Code)
			}

			// What reached the server: the call's one key, and this
			// attempt's span as the parent of whatever the server traces.
			assert.NotEmpty(t, received[i].IdempotencyKey)
			assert.Equal(t, received[0].IdempotencyKey, received[i].IdempotencyKey)
			want := fmt.Sprintf("00-%s-%s-01", a.SpanContext.TraceID(), a.SpanContext.SpanID())
			assert.Equal(t, want, received[i].Header.Get("Traceparent"))
		})
	}

	m := r.collect(t)
	hist, ok := m["http.client.request.duration"].(metricdata.Histogram[float64])
	require.True(t, ok, "http.client.request.duration is a float histogram: %T", m["http.client.request.duration"])
	counts := map[string]uint64{}
	for _, dp := range hist.DataPoints {
		s := dp.Attributes
		method, _ := s.Value("http.request.method")
		tmpl, _ := s.Value("url.template")
		addr, _ := s.Value("server.address")
		p, _ := s.Value("server.port")
		assert.Equal(t, "POST", method.AsString())
		assert.Equal(t, confirmPath, tmpl.AsString())
		assert.Equal(t, host, addr.AsString())
		assert.Equal(t, int64(port), p.AsInt64())
		status, _ := s.Value("http.response.status_code")
		errType, _ := s.Value("error.type")
		counts[strconv.FormatInt(status.AsInt64(), 10)+" "+errType.AsString()] += dp.Count
	}
	assert.Equal(t, map[string]uint64{"503 service_unavailable": 2, "200 ": 1}, counts)

	callDur, ok := m["dronline.client.call.duration"].(metricdata.Histogram[float64])
	require.True(t, ok)
	require.Len(t, callDur.DataPoints, 1)
	assert.Equal(t, uint64(1), callDur.DataPoints[0].Count)
	op, _ := callDur.DataPoints[0].Attributes.Value("dronline.operation")
	assert.Equal(t, "confirmAppointment", op.AsString())
	assert.False(t, callDur.DataPoints[0].Attributes.HasValue("error.type"))

	callAttempts, ok := m["dronline.client.call.attempts"].(metricdata.Histogram[int64])
	require.True(t, ok)
	require.Len(t, callAttempts.DataPoints, 1)
	assert.Equal(t, int64(3), callAttempts.DataPoints[0].Sum)
}

// A confirm whose response is lost after the server booked it ends as an
// ambiguous call; called again with its idempotency key, the call is
// replayed. Both show on the call span and in the call metrics.
func TestLostResponseIsAmbiguousThenReplayed(t *testing.T) {
	r := newRig(t)
	hold := r.hold(t)
	client := r.client(t, connected.WithHooks(r.hooks), connected.WithMaxRetries(0))
	ctx := context.Background()

	r.srv.InjectFault(connectedtest.Fault{Method: http.MethodPost, Path: confirmPath, AfterHandler: true, Drop: true})
	_, err := client.Appointments.Confirm(ctx, hold.AppointmentID, hold.HoldToken, confirmParams())
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr)
	require.True(t, apiErr.Ambiguous, "the lost response must reach the SDK: %v", err)
	_, err = client.Appointments.Confirm(ctx, hold.AppointmentID, hold.HoldToken, confirmParams(), connected.WithIdempotencyKey(apiErr.IdempotencyKey))
	require.NoError(t, err)

	calls := r.spansNamed("confirmAppointment")
	require.Len(t, calls, 2)
	lost, replayed := attrs(calls[0].Attributes), attrs(calls[1].Attributes)
	assert.True(t, lost["dronline.ambiguous"].AsBool())
	assert.False(t, lost["dronline.replayed"].AsBool())
	assert.Equal(t, "connection_error", lost["error.type"].AsString())
	assert.Equal(t, codes.Error, calls[0].Status.Code)
	assert.Equal(t, "connection_error", calls[0].Status.Description, "described by its kind, never by a message that quotes the key")
	assert.False(t, replayed["dronline.ambiguous"].AsBool())
	assert.True(t, replayed["dronline.replayed"].AsBool())
	assert.NotContains(t, replayed, attribute.Key("error.type"))
	assert.Equal(t, codes.Unset, calls[1].Status.Code)

	attempts := r.spansNamed("POST " + confirmPath)
	require.Len(t, attempts, 2)
	first := attrs(attempts[0].Attributes)
	assert.Equal(t, "connection_error", first["error.type"].AsString())
	assert.NotContains(t, first, attribute.Key("http.response.status_code"), "no response arrived")
	assert.Equal(t, int64(200), attrs(attempts[1].Attributes)["http.response.status_code"].AsInt64())
	assert.NotEqual(t, calls[0].SpanContext.TraceID(), calls[1].SpanContext.TraceID(), "two calls, two traces")

	callDur, ok := r.collect(t)["dronline.client.call.duration"].(metricdata.Histogram[float64])
	require.True(t, ok)
	byError := map[string]uint64{}
	for _, dp := range callDur.DataPoints {
		e, _ := dp.Attributes.Value("error.type")
		byError[e.AsString()] += dp.Count
	}
	assert.Equal(t, map[string]uint64{"connection_error": 1, "": 1}, byError)
}

// The hooks of two providers on one call each end their own spans.
func TestTwoHooksKeepTheirOwnSpans(t *testing.T) {
	r, s := newRig(t), newRig(t)
	client := r.client(t, connected.WithHooks(r.hooks), connected.WithHooks(s.hooks))
	_, err := client.Account.Get(context.Background())
	require.NoError(t, err)
	for _, x := range []*rig{r, s} {
		require.Len(t, x.spans.GetSpans(), 2)
		assert.Len(t, x.spansNamed("getAccount"), 1)
		assert.Len(t, x.spansNamed("GET /connected/account"), 1)
	}
}

// A call whose context is done before it starts fails as "canceled", on
// its attempt (never sent, so without a status code) and on the call.
func TestCancelledCallIsCanceled(t *testing.T) {
	r := newRig(t)
	client := r.client(t, connected.WithHooks(r.hooks))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := client.Account.Get(ctx)
	require.True(t, errors.Is(err, context.Canceled), "%v", err)
	calls := r.spansNamed("getAccount")
	require.Len(t, calls, 1)
	assert.Equal(t, "canceled", attrs(calls[0].Attributes)["error.type"].AsString())
	attempts := r.spansNamed("GET /connected/account")
	require.Len(t, attempts, 1)
	aa := attrs(attempts[0].Attributes)
	assert.Equal(t, "canceled", aa["error.type"].AsString())
	assert.NotContains(t, aa, attribute.Key("http.response.status_code"))
	assert.Empty(t, r.srv.Requests(), "nothing was sent")
}
