package otelconnected_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/dronline/connected-go/connected"
)

// A server that answers 2,000 different error codes (and error types) adds
// no more than the contract's codes and _OTHER to error.type, on spans and
// on every metric.
func TestErrorTypeIsBoundedByTheContract(t *testing.T) {
	r := newRig(t)
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		i := n.Add(1)
		code, typ := fmt.Sprintf("made_up_code_%d", i), fmt.Sprintf("made_up_type_%d", i)
		if i%100 == 0 { // now and then a code of the contract
			code, typ = string(connected.ErrorCodeResourceMissing), string(connected.ErrorTypeInvalidRequest)
		}
		if i%7 == 0 { // and now and then no code at all
			code = ""
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = fmt.Fprintf(w, `{"error":{"type":%q,"code":%q,"message":"no"}}`, typ, code)
	}))
	defer srv.Close()
	c, err := connected.NewClient("sk_sandbox_cardinality", connected.WithBaseURL(srv.URL+"/v1"), connected.WithHooks(r.hooks))
	require.NoError(t, err)
	for range 2000 {
		_, err := c.Appointments.Get(context.Background(), "apt_1")
		require.Error(t, err)
	}

	seen := map[string]bool{}
	for _, s := range r.spans.GetSpans() {
		if v, ok := attrs(s.Attributes)[semconv.ErrorTypeKey]; ok {
			seen[v.AsString()] = true
		}
	}
	for v := range r.metricErrorTypes(t) {
		seen[v] = true
	}
	assert.Equal(t, map[string]bool{"resource_missing": true, "_OTHER": true, "404": true}, seen,
		"the contract's code, the status of an error without a code, and _OTHER for the rest")
}
