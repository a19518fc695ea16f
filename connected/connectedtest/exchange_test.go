package connectedtest

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The hook sees every request once, with its bodies as sent, whether or
// not the server records requests; nothing of a body refused as too large.
func TestExchangeHook(t *testing.T) {
	var mu sync.Mutex
	var got []Exchange
	hook := func(x Exchange) {
		x.RequestBody, x.ResponseBody = append([]byte(nil), x.RequestBody...), append([]byte(nil), x.ResponseBody...)
		mu.Lock()
		got = append(got, x)
		mu.Unlock()
	}
	s := newTestServer(t, WithExchangeHook(hook), WithRequestRecording(false))
	api := newClient(t, s, s.APIKey())
	require.Equal(t, http.StatusOK, api.Get("/connected/account").Status)

	body := io.MultiReader(strings.NewReader(`{"slot_id":"`), &repeatReader{b: 'a', n: maxBody + 1})
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, s.URL()+"/connected/appointment_holds", body)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+s.APIKey())
	resp, err := api.HC.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)

	assert.Empty(t, s.Requests(), "recording off")
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, got, 2, "once per request")
	assert.Equal(t, "/v1/connected/account", got[0].Request.Path)
	assert.Equal(t, http.StatusOK, got[0].Request.Status)
	assert.Contains(t, string(got[0].ResponseBody), `"object":"account"`)
	assert.Equal(t, "Bearer sk_sandbox_REDACTED", got[0].Request.Header.Get("Authorization"))
	assert.Equal(t, http.StatusRequestEntityTooLarge, got[1].Request.Status)
	assert.Nil(t, got[1].RequestBody, "nothing of a refused body")
	assert.Contains(t, string(got[1].ResponseBody), "larger than the limit")
}
