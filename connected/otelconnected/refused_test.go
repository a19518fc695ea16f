package otelconnected_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/dronline/connected-go/connected"
)

// A call the SDK refuses before sending is a call on the trace and in the
// metrics: a failed call span without attempt spans, with error.type the
// refusal's code, or config_error for a bad option.
func TestRefusedCallsAreRecorded(t *testing.T) {
	r := newRig(t)
	c := r.client(t, connected.WithHooks(r.hooks))
	_, err := c.Appointments.Get(context.Background(), "../account")
	require.ErrorIs(t, err, connected.ErrInvalidRequest)
	_, err = c.Appointments.Get(context.Background(), "apt_1", connected.WithMaxRetries(-1))
	var cfgErr *connected.ConfigError
	require.ErrorAs(t, err, &cfgErr)

	calls := r.spansNamed("getAppointment")
	require.Len(t, calls, 2)
	var types []string
	for _, s := range calls {
		assert.Equal(t, codes.Error, s.Status.Code)
		types = append(types, attrs(s.Attributes)[semconv.ErrorTypeKey].AsString())
	}
	assert.Equal(t, []string{"parameter_invalid", "config_error"}, types)
	assert.Empty(t, r.spansNamed("GET /connected/appointments/{appointment_id}"), "no attempt was made")

	seen := r.metricErrorTypes(t)
	assert.True(t, seen["parameter_invalid"] && seen["config_error"], "the call metrics count both: %v", seen)
}
