package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// With the control API off, every sandbox path answers 403 in the envelope,
// with or without an API key, and says how to turn it on; the API is
// untouched.
func TestControlAPIOffSaysSo(t *testing.T) {
	s := newTestServer(t, WithControlAPIOff())
	root := strings.TrimSuffix(s.URL(), "/v1")
	hc := freshClient(t)
	for _, key := range []string{"", s.APIKey()} {
		for _, path := range []string{"/_sandbox", "/_sandbox/", "/_sandbox/clock", "/_sandbox/requests", "/_sandbox/openapi.json"} {
			req, err := http.NewRequest(http.MethodGet, root+path, nil)
			require.NoError(t, err)
			if key != "" {
				req.Header.Set("Authorization", "Bearer "+key)
			}
			resp, err := hc.Do(req)
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			require.Equal(t, http.StatusForbidden, resp.StatusCode, "%s: %s", path, body)
			var e struct {
				Error struct{ Code, Message string }
			}
			require.NoError(t, json.Unmarshal(body, &e))
			assert.Equal(t, "authentication_required", e.Error.Code, path)
			assert.Contains(t, e.Error.Message, "control API is off", path)
			assert.Contains(t, e.Error.Message, "--control-token", path)
		}
	}
	r := newClient(t, s, s.APIKey()).Get("/connected/account")
	assert.Equal(t, http.StatusOK, r.Status, "the API answers as ever")
}
