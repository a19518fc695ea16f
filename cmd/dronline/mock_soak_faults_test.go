package main

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// soakFaultCount is the control API's largest count: the faults never run
// out, and what each has left tells how often it hit.
const soakFaultCount = 1_000_000

// The fault mix: every kind the control API has, on the reads and on
// every write of a booking, each hitting a few percent of its requests.
// Status faults ask for an immediate retry (Retry-After 0).
var soakFaults = []sandboxFault{
	{Path: "/connected/account", Kind: "status", Status: 503, Probability: 0.05},
	{Path: "/connected/appointment_types", Kind: "status", Status: 429, Probability: 0.05},
	{Path: "/connected/slots", Kind: "delay", DelayMS: 2, Probability: 0.05},
	{Path: "/connected/slots", Kind: "status", Status: 503, Probability: 0.03},
	{Path: "/connected/slots/validate", Kind: "lost_response", Probability: 0.03},
	{Method: http.MethodGet, Path: "/connected/appointments", Kind: "drop", Probability: 0.03},
	{Path: "/connected/appointment_holds", Kind: "drop", Probability: 0.03},
	{Path: "/connected/appointment_holds", Kind: "status", Status: 429, Probability: 0.03},
	{Path: "/connected/appointments/{appointment_id}/confirm", Kind: "lost_response", Probability: 0.05},
	{Path: "/connected/appointments/{appointment_id}/confirm", Kind: "status", Status: 503, Probability: 0.03},
	{Path: "/connected/appointments/{appointment_id}/reschedule", Kind: "lost_response", Probability: 0.1},
	{Path: "/connected/appointments/{appointment_id}/cancel", Kind: "status", Status: 503, Probability: 0.1},
	{Kind: "delay", DelayMS: 1, Probability: 0.01},
}

// injectSoakFaults queues the fault mix on the mock.
func injectSoakFaults(ctx context.Context, t *testing.T, sb sandbox) {
	t.Helper()
	zero := 0
	for _, f := range soakFaults {
		f.Count = soakFaultCount
		if f.Kind == "status" {
			f.RetryAfterSeconds = &zero
		}
		got, err := sb.addFault(ctx, f)
		require.NoError(t, err)
		require.Equal(t, soakFaultCount, got.Count)
		require.InDelta(t, f.Probability, got.Probability, 1e-9)
	}
}

// faultsApplied is how many times the soak's faults hit, in all and by
// kind: each was queued with soakFaultCount hits and lists what it has left.
func faultsApplied(ctx context.Context, t *testing.T, sb sandbox) (int, string) {
	t.Helper()
	fs, err := sb.faults(ctx)
	require.NoError(t, err)
	require.Len(t, fs, len(soakFaults), "no fault ran out")
	total, byKind := 0, map[string]int{}
	for _, f := range fs {
		hits := soakFaultCount - f.Count
		total += hits
		byKind[f.Kind] += hits
	}
	s := " ("
	for i, k := range []string{"status", "drop", "lost_response", "delay"} {
		if i > 0 {
			s += ", "
		}
		s += k + " " + strconv.Itoa(byKind[k])
	}
	return total, s + ")"
}
