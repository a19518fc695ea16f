package connected_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/api"
	"github.com/dronline/connected-go/connected"
)

// Each method names its operation's path template for the logs by hand
// (the generated builders know the path but not as a template). Calling
// every method once must log exactly the contract's operations, so a path
// renamed in the contract cannot leave a stale template behind.
func TestEveryMethodLogsItsContractPath(t *testing.T) {
	srv, _ := exampleServer()
	defer srv.Close()
	var logs lockedBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := connected.NewClient(srv.APIKey(), connected.WithBaseURL(srv.URL()), connected.WithLogger(logger), connected.WithMaxRetries(0))
	require.NoError(t, err)
	ctx := context.Background()

	// Errors are fine: a refused call is logged with its path all the same.
	_, _ = c.Account.Get(ctx)
	_, _ = c.AppointmentTypes.List(ctx, nil)
	_, _ = c.Practitioners.List(ctx, nil)
	_, _ = c.Slots.List(ctx, nil)
	_, _ = c.Slots.Validate(ctx, "slot_x")
	_, _ = c.Holds.Create(ctx, &connected.HoldParams{SlotID: "slot_x"})
	_, _ = c.Appointments.Confirm(ctx, "apt_x", "aht_x", confirmParams("paths"))
	_, _ = c.Appointments.Get(ctx, "apt_x")
	_, _ = c.Appointments.List(ctx, nil)
	_, _ = c.Appointments.Cancel(ctx, "apt_x")
	_, _ = c.Appointments.Reschedule(ctx, "apt_x", &connected.RescheduleParams{SlotID: "slot_x"})
	_, _ = c.Patients.Get(ctx, "pat_x")
	_, _ = c.Questionnaires.Get(ctx, "qst_x")
	_, _ = c.Questionnaires.GetForAppointment(ctx, "apt_x")

	logged := map[string]bool{}
	for _, l := range logs.lines(t) {
		if m, ok := l["method"].(string); ok {
			logged[m+" "+l["path"].(string)] = true
		}
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(api.Spec(), &doc))
	contract := map[string]bool{}
	for path, item := range doc.Paths {
		for method := range item {
			if m := strings.ToUpper(method); m == "GET" || m == "POST" {
				contract[m+" "+path] = true
			}
		}
	}
	assert.Equal(t, sortedKeys(contract), sortedKeys(logged))
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
