package connected_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

func TestNewClientRefusesBadKeys(t *testing.T) {
	for name, key := range map[string]string{
		"empty":           "",
		"publishable":     "pk_live_abc",
		"hold token":      "aht_Zp4Xc8Vb1Nm2",
		"prefix only":     "sk_live_",
		"spaces":          "sk_sandbox_abc def",
		"newline":         "sk_sandbox_abc\r\nX-Evil: 1",
		"wrong case":      "SK_LIVE_abc",
		"unknown mode":    "sk_test_abc",
		"leading space":   " sk_live_abc",
		"sandbox no rest": "sk_sandbox_",
	} {
		t.Run(name, func(t *testing.T) {
			c, err := connected.NewClient(key)
			require.Error(t, err)
			assert.Nil(t, c)
			var cfgErr *connected.ConfigError
			require.ErrorAs(t, err, &cfgErr)
			assert.Equal(t, "API key", cfgErr.Setting)
			assert.NotErrorIs(t, err, connected.ErrInvalidRequest, "a setup mistake is not the API's refusal")
			var apiErr *connected.Error
			assert.False(t, errors.As(err, &apiErr))
			if len(key) > 4 {
				assert.NotContains(t, err.Error(), key[3:], "the key is never echoed")
			}
		})
	}
}

func TestModeFollowsThePrefix(t *testing.T) {
	live, err := connected.NewClient("sk_live_abc123")
	require.NoError(t, err)
	assert.Equal(t, connected.ModeLive, live.Mode())
	sandbox, err := connected.NewClient("sk_sandbox_abc123")
	require.NoError(t, err)
	assert.Equal(t, connected.ModeSandbox, sandbox.Mode())
}

func TestBaseURLMustBeHTTPSExceptOnLoopback(t *testing.T) {
	for _, ok := range []string{"https://api.dronline.uk/v1", "https://api.dronline.uk/v1/", "http://127.0.0.1:8080/v1", "http://localhost:1/v1", "http://[::1]:9/v1"} {
		_, err := connected.NewClient(testKey, connected.WithBaseURL(ok))
		assert.NoError(t, err, ok)
	}
	for _, bad := range []string{"http://api.dronline.uk/v1", "http://10.0.0.1/v1", "ftp://api.dronline.uk/v1", "api.dronline.uk/v1", "https://user:pw@api.dronline.uk/v1", "://", "https://api.dronline.uk/v1?x=1"} {
		_, err := connected.NewClient(testKey, connected.WithBaseURL(bad))
		var cfgErr *connected.ConfigError
		require.ErrorAs(t, err, &cfgErr, bad)
		assert.Equal(t, "base URL", cfgErr.Setting, bad)
		assert.NotErrorIs(t, err, connected.ErrInvalidRequest, bad)
	}
}

func TestNewClientFromEnv(t *testing.T) {
	rec := newRecorder(t, okJSON(`{"id":"acct_1","object":"account"}`))
	t.Setenv(connected.EnvAPIKey, testKey)
	t.Setenv(connected.EnvBaseURL, rec.srv.URL+"/v1")
	c, err := connected.NewClientFromEnv()
	require.NoError(t, err)
	_, err = c.Account.Get(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "/v1/connected/account", rec.records()[0].path)

	t.Setenv(connected.EnvAPIKey, "")
	_, err = connected.NewClientFromEnv()
	require.Error(t, err)
	assert.Contains(t, err.Error(), connected.EnvAPIKey)
}

func TestKeyNeverPrinted(t *testing.T) {
	const key = "sk_live_VerySecretValue42"
	c, err := connected.NewClient(key)
	require.NoError(t, err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out := fmt.Sprintf(verb, c)
		assert.NotContains(t, out, "VerySecretValue42", verb)
		out = fmt.Sprintf(verb, *c)
		assert.NotContains(t, out, "VerySecretValue42", verb+" of the value")
	}
	assert.Contains(t, c.String(), "sk_live_REDACTED")
	assert.Contains(t, c.String(), "mode: live")
}

func TestRequestHeaders(t *testing.T) {
	rec := newRecorder(t, okJSON(`{"id":"acct_1","object":"account"}`))
	var w waits
	c := newTestClient(t, rec.srv.URL+"/v1", &w, connected.WithHeader("X-Partner-Trace", "abc"))
	_, err := c.Account.Get(context.Background(), connected.WithHeader("X-Call", "1"))
	require.NoError(t, err)
	_, err = c.Account.Get(context.Background())
	require.NoError(t, err)
	recs := rec.records()
	h := recs[0].header
	assert.Equal(t, "Bearer "+testKey, h.Get("Authorization"))
	ua := h.Get("User-Agent")
	assert.True(t, strings.HasPrefix(ua, "dronline-connected-go/"+connected.Version+" "), ua)
	assert.Contains(t, ua, runtime.Version())
	assert.Equal(t, "abc", h.Get("X-Partner-Trace"))
	assert.Equal(t, "1", h.Get("X-Call"))
	assert.Empty(t, recs[1].header.Get("X-Call"), "a call's header does not stick to the client")
	assert.Empty(t, h.Get("Idempotency-Key"), "GETs carry no idempotency key")

	_, err = connected.NewClient(testKey, connected.WithHeader("Authorization", "Bearer other"))
	require.Error(t, err, "the SDK's own headers cannot be overridden")
	_, err = connected.NewClient(testKey, connected.WithHeader("X-A", "v\r\nX-B: injected"))
	require.Error(t, err)
}

func TestIdempotencyKeyOption(t *testing.T) {
	rec := newRecorder(t, okJSON(holdJSON))
	var w waits
	c := newTestClient(t, rec.srv.URL+"/v1", &w)
	_, err := createHold(c, connected.WithIdempotencyKey("order-8812-hold"))
	require.NoError(t, err)
	_, err = createHold(c)
	require.NoError(t, err)
	recs := rec.records()
	assert.Equal(t, "order-8812-hold", recs[0].idempotencyKey)
	assert.NotEqual(t, "order-8812-hold", recs[1].idempotencyKey, "a caller's key is per call")
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, recs[1].idempotencyKey)

	for _, bad := range []string{"", "k\r\nX-Evil: 1", strings.Repeat("k", 256)} {
		_, err := createHold(c, connected.WithIdempotencyKey(bad))
		var apiErr *connected.Error
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "Idempotency-Key", apiErr.Param)
	}
	assert.Len(t, rec.records(), 2, "refused calls send nothing")
}

func TestHTTPClientOptionIsUsed(t *testing.T) {
	rec := newRecorder(t, okJSON(`{"id":"acct_1","object":"account"}`))
	var used bool
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used = true
		return http.DefaultTransport.RoundTrip(r)
	})}
	var w waits
	c := newTestClient(t, rec.srv.URL+"/v1", &w, connected.WithHTTPClient(hc))
	_, err := c.Account.Get(context.Background())
	require.NoError(t, err)
	assert.True(t, used)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
