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
		x.ResponseHeader = x.ResponseHeader.Clone() // shared, valid only during the call
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
	key := s.APIKey()
	assert.Equal(t, "sk_sandbox_…"+key[len(key)-4:], got[0].Request.Credential)
	assert.Equal(t, got[0].Request.RequestID, got[0].ResponseHeader.Get("X-Request-Id"), "the response's headers as sent")
	assert.Equal(t, "application/json", got[0].ResponseHeader.Get("Content-Type"))
	assert.Equal(t, http.StatusRequestEntityTooLarge, got[1].Request.Status)
	assert.Nil(t, got[1].RequestBody, "nothing of a refused body")
	assert.Contains(t, string(got[1].ResponseBody), "larger than the limit")
}

// A dropped connection sends no response: the exchange has no response
// headers, and a request with no key names no credential.
func TestExchangeWithoutResponseOrKey(t *testing.T) {
	var mu sync.Mutex
	var got []Exchange
	s := newTestServer(t, WithExchangeHook(func(x Exchange) {
		x.ResponseHeader = x.ResponseHeader.Clone()
		mu.Lock()
		got = append(got, x)
		mu.Unlock()
	}))
	s.InjectFault(Fault{Path: "/connected/account", Drop: true})
	api := newClient(t, s, s.APIKey())
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, s.URL()+"/connected/account", http.NoBody)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+s.APIKey())
	_, err = api.HC.Do(req) //nolint:bodyclose // no response: the connection is dropped
	require.Error(t, err, "the connection is dropped")
	anon := newClient(t, s, "")
	require.Equal(t, http.StatusUnauthorized, anon.Get("/connected/account").Status)

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, got, 2)
	assert.Nil(t, got[0].ResponseHeader, "no response was sent")
	assert.Equal(t, 0, got[0].Request.Status)
	assert.NotEmpty(t, got[0].Request.Credential)
	assert.Empty(t, got[1].Request.Credential, "no key sent")
	assert.NotNil(t, got[1].ResponseHeader)
}

func TestShortKey(t *testing.T) {
	for key, want := range map[string]string{
		"":                                  "",
		"sk_sandbox_0123456789abcdefWXYZ":   "sk_sandbox_…WXYZ",
		"sk_live_0123456789abcdef0123":      "sk_live_…0123",
		"sk_sandbox_short":                  "sk_sandbox_…",
		"someone-elses-token-0123456789abc": "…9abc",
		"tiny":                              "…",
	} {
		assert.Equal(t, want, shortKey(key), "%q", key)
	}
}
