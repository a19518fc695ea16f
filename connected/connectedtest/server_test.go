package connectedtest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewServerServesOnLoopbackUnderV1(t *testing.T) {
	s := newTestServer(t)
	assert.True(t, strings.HasPrefix(s.URL(), "http://127.0.0.1:"), s.URL())
	assert.True(t, strings.HasSuffix(s.URL(), "/v1"), s.URL())
	assert.True(t, strings.HasPrefix(s.APIKey(), "sk_sandbox_"))
	assert.Equal(t, monday(), s.Now())

	c := newClient(t, s, s.APIKey())
	r := c.Get("/connected/account")
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Raw)
	assert.Equal(t, "account", r.Str("object"))
	assert.Equal(t, "gbp", r.Str("currency"))
	assert.Equal(t, "Europe/London", r.Str("timezone"))
	assert.Equal(t, "v1", r.Str("path_version"))
	assert.Equal(t, false, r.Get("livemode"))
	assert.True(t, strings.HasPrefix(string(r.Raw), `{"id":"acct_`), "id first: %s", r.Raw)
}

func TestAuthentication(t *testing.T) {
	s := newTestServer(t)
	cases := []struct {
		name, auth, code string
	}{
		{"missing", "", "authentication_required"},
		{"not bearer", "Basic " + s.APIKey(), "api_key_invalid"},
		{"malformed key", "Bearer hello", "api_key_invalid"},
		{"unknown sandbox key", "Bearer sk_sandbox_doesnotexist", "api_key_invalid"},
		{"unknown live key", "Bearer sk_live_doesnotexist", "api_key_invalid"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, s, "")
			var hs []header
			if tc.auth != "" {
				hs = append(hs, header{K: "Authorization", V: tc.auth})
			}
			r := c.Do(http.MethodGet, "/connected/account", nil, hs...)
			require.Equal(t, http.StatusUnauthorized, r.Status)
			code, _ := r.ErrCode(t)
			assert.Equal(t, tc.code, code)
			assert.Equal(t, "authentication_error", r.Str("error", "type"))
			assert.NotContains(t, string(r.Raw), s.APIKey())
		})
	}
}

func TestLiveKeyIsLivemode(t *testing.T) {
	s := newTestServer(t)
	key := s.AddCredential(WithLiveKey())
	assert.True(t, strings.HasPrefix(key, "sk_live_"))
	r := newClient(t, s, key).Get("/connected/account")
	require.Equal(t, http.StatusOK, r.Status)
	assert.Equal(t, true, r.Get("livemode"))
}

func TestRequestIDIsUniqueOnEveryResponse(t *testing.T) {
	s := newTestServer(t)
	s.InjectFault(Fault{Path: "/connected/practitioners", Status: http.StatusServiceUnavailable})
	c := newClient(t, s, s.APIKey())
	seen := map[string]bool{}
	for _, r := range []*response{
		c.Get("/connected/account"),
		c.Get("/connected/account"),
		c.Get("/connected/appointments/apt_nope"),
		newClient(t, s, "").Get("/connected/account"),
		c.Get("/connected/practitioners"),
		c.Get("/connected/nowhere"),
	} {
		id := r.Header.Get("X-Request-Id")
		assert.False(t, seen[id], "duplicate request id %s", id)
		seen[id] = true
	}
	assert.Len(t, seen, 6)
}

func TestErrorsAreJSONNeverTextPlain(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	for _, path := range []string{"/connected/appointment_types?limit=abc", "/connected/slots?start_gte=yesterday", "/connected/nowhere"} {
		r := c.Get(path)
		assert.Contains(t, r.Header.Get("Content-Type"), "application/json", path)
		code, _ := r.ErrCode(t)
		assert.NotEmpty(t, code, path)
	}
	r := c.Get("/connected/appointment_types?limit=abc")
	code, param := r.ErrCode(t)
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Equal(t, "parameter_invalid", code)
	assert.Equal(t, "limit", param)

	r = c.Post("/connected/appointment_holds", "{not json")
	assert.Equal(t, http.StatusBadRequest, r.Status)
	code, _ = r.ErrCode(t)
	assert.Equal(t, "parameter_invalid", code)
}

func TestDialsCountsConnections(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	c.Get("/connected/account")
	c.Get("/connected/account")
	assert.Equal(t, 1, s.Dials(), "keep-alive reuses the connection")
	newClient(t, s, s.APIKey()).Get("/connected/account")
	assert.Equal(t, 2, s.Dials())
}
