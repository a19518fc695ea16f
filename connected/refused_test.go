package connected_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// A call refused before sending (a bad id, body, option or raw path) is
// still a call to the hooks: CallStart, then CallEnd with no attempt and
// the error; no AttemptStart.
func TestRefusedCallsReachTheHooks(t *testing.T) {
	rec := newRecorder(t)
	var starts, ends, attempts int
	var last connected.CallInfo
	hooks := connected.Hooks{
		CallStart: func(ctx context.Context, _ connected.CallInfo) context.Context { starts++; return ctx },
		CallEnd:   func(_ context.Context, call connected.CallInfo) { ends++; last = call },
		AttemptStart: func(ctx context.Context, _ connected.AttemptInfo) context.Context {
			attempts++
			return ctx
		},
	}
	c, err := connected.NewClient(testKey, connected.WithBaseURL(rec.srv.URL+"/v1"), connected.WithHooks(hooks))
	require.NoError(t, err)
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"bad id":             func() error { _, err := c.Appointments.Get(ctx, "../account"); return err },
		"bad body":           func() error { _, err := c.Holds.Create(ctx, &connected.HoldParams{}); return err },
		"bad call option":    func() error { _, err := c.Account.Get(ctx, connected.WithMaxRetries(-1)); return err },
		"bad raw path":       func() error { return c.Do(ctx, http.MethodGet, "/connected/../account", nil, nil, nil) },
		"nil validate":       func() error { _, err := c.Slots.Validate(ctx, nil); return err },
		"confirm, no params": func() error { _, err := c.Appointments.Confirm(ctx, "apt_1", "aht_1", nil); return err },
	} {
		starts, ends = 0, 0
		err := call()
		require.Error(t, err, name)
		assert.Equal(t, 1, starts, name)
		assert.Equal(t, 1, ends, name)
		assert.Equal(t, 0, last.Attempts, name)
		assert.Equal(t, err, last.Err, name)
	}
	assert.Zero(t, attempts)
	assert.Empty(t, rec.attempts, "nothing was sent")
}
