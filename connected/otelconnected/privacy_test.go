package otelconnected_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

// No span name, attribute, status or event, and no metric attribute, holds
// the API key, a hold token, an idempotency key, an id, a query value or a
// patient's data, over a booking that meets every kind of outcome: a 503
// retried, a lost response, a replay, a 404, a raw call with a query.
func TestNoSecretOrPatientDataInTelemetry(t *testing.T) {
	r := newRig(t)
	client := r.client(t, connected.WithHooks(r.hooks))
	ctx := context.Background()
	params := confirmParams()

	slots, err := client.Slots.List(ctx, &connected.SlotListParams{Limit: connected.Ptr(20)})
	require.NoError(t, err)
	require.NotEmpty(t, slots.Data)
	first, err := client.Holds.Create(ctx, &connected.HoldParams{SlotID: slots.Data[0].ID})
	require.NoError(t, err)
	// Slots of one practitioner overlap: the first that the first hold
	// leaves free. Its refusals are traced too, and scanned.
	var second *connected.AppointmentHold
	for _, slot := range slots.Data[1:] {
		if second, err = client.Holds.Create(ctx, &connected.HoldParams{SlotID: slot.ID}); err == nil {
			break
		}
	}
	require.NoError(t, err)

	r.srv.InjectFault(connectedtest.Fault{Method: http.MethodPost, Path: confirmPath, Status: http.StatusServiceUnavailable})
	appt, err := client.Appointments.Confirm(ctx, first.AppointmentID, first.HoldToken, params)
	require.NoError(t, err)

	// A lost response: ambiguous, and its error's message quotes the key.
	r.srv.InjectFault(connectedtest.Fault{Method: http.MethodPost, Path: confirmPath, AfterHandler: true, Drop: true})
	_, err = client.Appointments.Confirm(ctx, second.AppointmentID, second.HoldToken, params, connected.WithMaxRetries(0))
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr)
	require.True(t, apiErr.Ambiguous, "%v", err)
	replayed, err := client.Appointments.Confirm(ctx, second.AppointmentID, second.HoldToken, params, connected.WithIdempotencyKey(apiErr.IdempotencyKey))
	require.NoError(t, err)

	_, err = client.Appointments.Get(ctx, appt.ID)
	require.NoError(t, err)
	_, err = client.Appointments.Get(ctx, "apt_nosuchappointment0001")
	require.ErrorIs(t, err, connected.ErrNotFound)
	_, err = client.Appointments.List(ctx, &connected.AppointmentListParams{PartnerReference: params.PartnerReference})
	require.NoError(t, err)
	var raw json.RawMessage
	require.NoError(t, client.Do(ctx, http.MethodGet, "/connected/appointments/{appointment_id}",
		&connected.RawParams{Path: map[string]string{"appointment_id": appt.ID}, Query: url.Values{"expand": {"rawquerysecret"}}}, nil, &raw))

	secrets := map[string]string{
		"API key":           r.srv.APIKey(),
		"first hold token":  first.HoldToken,
		"second hold token": second.HoldToken,
		"hold id":           first.ID,
		"slot id":           slots.Data[0].ID,
		"appointment id":    appt.ID,
		"replayed id":       replayed.ID,
		"hold's appt id":    first.AppointmentID,
		"2nd hold id":       second.ID,
		"2nd hold appt id":  second.AppointmentID,
		"missing id":        "apt_nosuchappointment0001",
		"query value":       "rawquerysecret",
		"patient email":     params.Patient.Email,
		"patient last name": params.Patient.LastName,
		"partner reference": *params.PartnerReference,
		"payment reference": params.ExternalPaymentReference,
	}
	for i, q := range r.srv.Requests() {
		if q.IdempotencyKey != "" {
			secrets[fmt.Sprintf("idempotency key of request %d", i)] = q.IdempotencyKey
		}
	}
	spans := r.spans.GetSpans()
	require.Greater(t, len(spans), 20, "every call was traced")
	var rm metricdata.ResourceMetrics
	require.NoError(t, r.reader.Collect(ctx, &rm))

	for _, leak := range leaks(spans, rm, secrets) {
		t.Error(leak)
	}
}

// The scan finds what it looks for: a span carrying the filled-in URL, as
// url.full would, and a metric attribute carrying an id, are both caught.
func TestLeakScanCatchesAFilledInURL(t *testing.T) {
	secrets := map[string]string{"appointment id": "apt_0123"}
	spans := tracetest.SpanStubs{{Name: "POST /connected/appointments/{appointment_id}/confirm",
		Attributes: []attribute.KeyValue{attribute.String("url.full", "http://127.0.0.1/v1/connected/appointments/apt_0123/confirm")}}}
	rm := metricdata.ResourceMetrics{ScopeMetrics: []metricdata.ScopeMetrics{{Metrics: []metricdata.Metrics{{
		Name: "dronline.client.call.attempts",
		Data: metricdata.Histogram[int64]{DataPoints: []metricdata.HistogramDataPoint[int64]{{
			Attributes: attribute.NewSet(attribute.String("x", "id apt_0123"))}}},
	}}}}}
	found := leaks(spans, rm, secrets)
	assert.Len(t, found, 2, "%q", found)
}

// leaks lists every place of the spans and metrics where one of the
// secrets appears.
func leaks(spans tracetest.SpanStubs, rm metricdata.ResourceMetrics, secrets map[string]string) []string {
	var out []string
	check := func(where, text string) {
		for what, s := range secrets {
			if s != "" && strings.Contains(text, s) {
				out = append(out, fmt.Sprintf("%s holds the %s: %q", where, what, text))
			}
		}
	}
	checkAttrs := func(where string, kvs []attribute.KeyValue) {
		for _, kv := range kvs {
			check(where+" attribute key", string(kv.Key))
			check(where+" attribute "+string(kv.Key), kv.Value.String())
		}
	}
	for _, s := range spans {
		where := "span " + s.Name
		check("span name", s.Name)
		checkAttrs(where, s.Attributes)
		check(where+" status", s.Status.Description)
		for _, e := range s.Events {
			check(where+" event", e.Name)
			checkAttrs(where+" event "+e.Name, e.Attributes)
		}
		for _, l := range s.Links {
			checkAttrs(where+" link", l.Attributes)
		}
		if s.Resource != nil {
			checkAttrs("resource", s.Resource.Attributes())
		}
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			sets, ok := pointAttributes(m.Data)
			if !ok {
				out = append(out, fmt.Sprintf("metric %s: %T is not scanned", m.Name, m.Data))
			}
			for i, set := range sets {
				checkAttrs(fmt.Sprintf("metric %s point %d", m.Name, i), set)
			}
		}
	}
	return out
}

// pointAttributes is the attributes of every data point of a metric, its
// exemplars' included; false for a kind of metric it cannot read.
func pointAttributes(data metricdata.Aggregation) ([][]attribute.KeyValue, bool) {
	var out [][]attribute.KeyValue
	switch d := data.(type) {
	case metricdata.Histogram[float64]:
		for _, dp := range d.DataPoints {
			out = append(out, dp.Attributes.ToSlice())
			for _, e := range dp.Exemplars {
				out = append(out, e.FilteredAttributes)
			}
		}
	case metricdata.Histogram[int64]:
		for _, dp := range d.DataPoints {
			out = append(out, dp.Attributes.ToSlice())
			for _, e := range dp.Exemplars {
				out = append(out, e.FilteredAttributes)
			}
		}
	default:
		// The hooks record histograms only; anything else is a new
		// instrument this scan must learn to read.
		return nil, false
	}
	return out, true
}
