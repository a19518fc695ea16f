package connected_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

// One line per attempt, with the path template and the retry decision.
func TestOneLogLinePerAttempt(t *testing.T) {
	buf := &lockedBuffer{}
	logger := slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := newEnv(t, connected.WithLogger(logger))
	appt := e.book(t, "aptype_gp15", start.Add(72*time.Hour), "log")
	buf.Reset()

	e.srv.InjectFault(connectedtest.Fault{Path: "/connected/appointments/{appointment_id}", Status: 503})
	_, err := e.c.Appointments.Get(context.Background(), appt.ID)
	require.NoError(t, err)

	lines := buf.lines(t)
	require.Len(t, lines, 2)
	first, second := lines[0], lines[1]
	assert.Equal(t, "WARN", first["level"])
	assert.Equal(t, "GET", first["method"])
	assert.Equal(t, "/connected/appointments/{appointment_id}", first["path"], "the template, never the id")
	assert.EqualValues(t, 503, first["status"])
	assert.EqualValues(t, 1, first["attempt"])
	assert.Equal(t, true, first["retry"])
	assert.Contains(t, first, "retry_in")
	assert.Equal(t, "service_unavailable", first["error_code"])
	assert.NotEmpty(t, first["request_id"])
	assert.Contains(t, first, "duration")

	assert.Equal(t, "INFO", second["level"])
	assert.EqualValues(t, 200, second["status"])
	assert.EqualValues(t, 2, second["attempt"])
	assert.NotContains(t, second, "retry")
	assert.NotContains(t, buf.String(), appt.ID)
}
