package connected_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// WithResponseBody keeps the successful body as sent, fields the contract
// lacks included, and leaves dst alone when the call fails.
func TestWithResponseBody(t *testing.T) {
	const sent = `{"id":"apt_1","object":"appointment","video_url":"https://video.example/r/1"}`
	rec := newRecorder(t, okJSON(sent), func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such appointment."}}`))
	})
	c, err := connected.NewClient(testKey, connected.WithBaseURL(rec.srv.URL+"/v1"))
	require.NoError(t, err)

	var raw json.RawMessage
	_, err = c.Appointments.Get(context.Background(), "apt_1", connected.WithResponseBody(&raw))
	require.NoError(t, err)
	assert.JSONEq(t, sent, string(raw))

	_, err = c.Appointments.Get(context.Background(), "apt_2", connected.WithResponseBody(&raw))
	require.ErrorIs(t, err, connected.ErrNotFound)
	assert.JSONEq(t, sent, string(raw), "a failed call leaves dst alone")
}
