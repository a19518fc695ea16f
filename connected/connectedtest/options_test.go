package connectedtest

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWithListenerAndHandler(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := newTestServer(t, WithListener(l))
	assert.Equal(t, "http://"+l.Addr().String()+"/v1", s.URL())
	assert.Equal(t, http.StatusOK, newClient(t, s, s.APIKey()).Get("/connected/account").Status)

	// The same fake served elsewhere, e.g. by a CLI's mock command.
	other := httptest.NewServer(s.Handler())
	defer other.Close()
	req, err := http.NewRequest(http.MethodGet, other.URL+"/v1/connected/account", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+s.APIKey())
	resp, err := other.Client().Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.True(t, strings.HasPrefix(resp.Header.Get("X-Request-Id"), "req_"))
}

func TestWithClockAndAdvance(t *testing.T) {
	base := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	s := newTestServer(t, WithClock(func() time.Time { return base }))
	assert.Equal(t, base, s.Now())
	s.Advance(90 * time.Minute)
	assert.Equal(t, base.Add(90*time.Minute), s.Now())
}

func TestInvalidCatalogueCredentialPanics(t *testing.T) {
	s := newTestServer(t)
	bad := DefaultCatalogue()
	bad.Timezone = "Mars/Olympus_Mons"
	assert.Panics(t, func() { s.AddCredential(WithCredentialCatalogue(bad)) })
}

func TestWithRequestRecordingOff(t *testing.T) {
	var logged strings.Builder
	on := newTestServer(t)
	off := newTestServer(t, WithRequestRecording(false), WithLogger(slog.New(slog.NewTextHandler(&logged, nil))))
	for _, s := range []*Server{on, off} {
		assert.Equal(t, http.StatusOK, newClient(t, s, s.APIKey()).Get("/connected/account").Status)
	}
	assert.Len(t, on.Requests(), 1)
	assert.Empty(t, off.Requests(), "nothing kept")
	assert.Contains(t, logged.String(), "path=/v1/connected/account", "still logged")
}
