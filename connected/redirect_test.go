package connected_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// The key goes only to the base URL's origin. The API never redirects, so
// the SDK follows no redirect at all: it returns an *Error that names the
// Location (without its query), and nothing reaches the redirect's target
// — not the key, not a POST's body or idempotency key. net/http on its own
// would follow, and would keep Authorization whenever the host name is the
// same, whatever the scheme and port.

// sink is a server a redirect points to. It records everything that
// reaches it.
type sink struct {
	srv  *httptest.Server
	mu   sync.Mutex
	seen []string
}

func newSink(t *testing.T, tls bool) *sink {
	t.Helper()
	s := &sink{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.seen = append(s.seen, fmt.Sprintf("%s %s Authorization=%q Idempotency-Key=%q", r.Method, r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("Idempotency-Key")))
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(holdJSON))
	})
	if tls {
		s.srv = httptest.NewTLSServer(h)
	} else {
		s.srv = httptest.NewServer(h)
	}
	t.Cleanup(s.srv.Close)
	return s
}

func (s *sink) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.seen...)
}

// redirector is the API's origin answering every request with a redirect
// to target, which carries a query a log must not show.
func redirector(t *testing.T, tls bool, status int, target string) (*httptest.Server, *recorder) {
	t.Helper()
	rec := &recorder{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.attempts = append(rec.attempts, attemptRecord{method: r.Method, path: r.URL.Path})
		rec.mu.Unlock()
		w.Header().Set("Location", target+r.URL.Path+"?token=s3cr3t-in-query")
		w.WriteHeader(status)
	})
	var srv *httptest.Server
	if tls {
		srv = httptest.NewTLSServer(h)
	} else {
		srv = httptest.NewServer(h)
	}
	t.Cleanup(srv.Close)
	rec.srv = srv
	return srv, rec
}

// otherHost names the same loopback server by another host name, so that
// net/http sees a different host.
func otherHost(t *testing.T, rawURL string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	require.NoError(t, err)
	u.Host = "localhost:" + u.Port()
	return u.String()
}

var redirectStatuses = []int{301, 302, 303, 307, 308}

// checkRefused checks one call that met a redirect.
func checkRefused(t *testing.T, err error, status int, target string, api *recorder, sk *sink) {
	t.Helper()
	assert.Empty(t, sk.requests(), "nothing reached the redirect's target")
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, status, apiErr.StatusCode)
	assert.Equal(t, 1, apiErr.Attempts, "a redirect is not retried")
	assert.False(t, apiErr.Ambiguous, "a redirect is an answer: the request was not processed")
	assert.Contains(t, err.Error(), target+"/v1/connected/", "the error names the Location")
	assert.Contains(t, err.Error(), "redirect")
	assert.NotContains(t, err.Error(), "s3cr3t", "never the Location's query")
	assert.NotContains(t, err.Error(), "token=")
	assert.Equal(t, 1, api.count(), "one request to the API, not followed, not retried")
}

func redirectCalls() map[string]func(c *connected.Client) error {
	return map[string]func(c *connected.Client) error{
		"GET": func(c *connected.Client) error { _, err := c.Account.Get(context.Background()); return err },
		"POST": func(c *connected.Client) error {
			p := patient()
			_, err := c.Holds.Create(context.Background(), &connected.HoldParams{SlotID: "slot_1", Patient: &p})
			return err
		},
	}
}

// https API, a client of the caller's (WithHTTPClient) that trusts the
// test certificate: https→http on the same host, https→https on another
// port, https→http on another host.
func TestRedirectsAreNotFollowedWithTheCallersClient(t *testing.T) {
	targets := map[string]struct {
		tls       bool
		otherHost bool
	}{
		"https to http, same host":   {false, false},
		"https to https, other port": {true, false},
		"https to http, other host":  {false, true},
	}
	for name, target := range targets {
		for _, status := range redirectStatuses {
			for method, call := range redirectCalls() {
				t.Run(fmt.Sprintf("%s/%d/%s", name, status, method), func(t *testing.T) {
					sk := newSink(t, target.tls)
					to := sk.srv.URL
					if target.otherHost {
						to = otherHost(t, to)
					}
					srv, api := redirector(t, true, status, to)
					hc := srv.Client()
					var w waits
					c := newTestClient(t, srv.URL+"/v1", &w, connected.WithHTTPClient(hc))
					checkRefused(t, call(c), status, to, api, sk)
					assert.Nil(t, hc.CheckRedirect, "the caller's client is not changed")
				})
			}
		}
	}
}

// The SDK's default client, on a loopback http base URL (the only place
// http is allowed): another port, another host.
func TestRedirectsAreNotFollowedWithTheDefaultClient(t *testing.T) {
	for name, toOtherHost := range map[string]bool{"other port": false, "other host": true} {
		for _, status := range redirectStatuses {
			for method, call := range redirectCalls() {
				t.Run(fmt.Sprintf("%s/%d/%s", name, status, method), func(t *testing.T) {
					sk := newSink(t, false)
					to := sk.srv.URL
					if toOtherHost {
						to = otherHost(t, to)
					}
					srv, api := redirector(t, false, status, to)
					c, err := connected.NewClient(testKey, connected.WithBaseURL(srv.URL+"/v1"))
					require.NoError(t, err)
					checkRefused(t, call(c), status, to, api, sk)
				})
			}
		}
	}
}

// The policy is the SDK's, per call too: a client given to one call
// (WithHTTPClient as a call option) does not follow either, and a caller's
// own CheckRedirect is neither called nor replaced.
func TestRedirectPolicyHoldsPerCallAndLeavesTheCallersPolicyAlone(t *testing.T) {
	plain := newSink(t, false)
	srv, api := redirector(t, true, http.StatusTemporaryRedirect, plain.srv.URL)
	var called int
	own := func(*http.Request, []*http.Request) error { called++; return nil }
	hc := srv.Client()
	hc.CheckRedirect = own
	c, err := connected.NewClient(testKey, connected.WithBaseURL(srv.URL+"/v1"))
	require.NoError(t, err)
	_, err = c.Holds.Create(context.Background(), &connected.HoldParams{SlotID: "slot_1"}, connected.WithHTTPClient(hc))
	checkRefused(t, err, http.StatusTemporaryRedirect, plain.srv.URL, api, plain)
	assert.Zero(t, called, "the SDK never asks the caller's policy")

	// The caller's client is still the caller's: used directly, it follows.
	resp, err := hc.Get(srv.URL + "/v1/connected/account")
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, 1, called, "the caller's CheckRedirect is still in place")
}

// A Location that is relative, carries credentials, or is missing. (One
// that does not parse never reaches the SDK's policy: net/http's client
// fails the request itself, which the SDK reports as a network error
// without the header's text; nothing is sent to it either.)
func TestRedirectErrorNamesTheLocationSafely(t *testing.T) {
	cases := map[string]struct {
		location string
		want     string
		not      []string
	}{
		"relative":      {"/elsewhere/v1?token=s3cr3t#frag", "/elsewhere/v1", []string{"s3cr3t", "frag"}},
		"with userinfo": {"http://admin:hunter2@127.0.0.1:1/v1", "http://127.0.0.1:1/v1", []string{"hunter2", "admin"}},
		"missing":       {"", "no Location", nil},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				if tc.location != "" {
					w.Header().Set("Location", tc.location)
				}
				w.WriteHeader(http.StatusFound)
			}))
			t.Cleanup(srv.Close)
			var w waits
			c := newTestClient(t, srv.URL+"/v1", &w)
			_, err := c.Account.Get(context.Background())
			var apiErr *connected.Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusFound, apiErr.StatusCode)
			assert.Contains(t, err.Error(), tc.want)
			for _, s := range tc.not {
				assert.NotContains(t, err.Error(), s)
			}
			assert.True(t, strings.HasPrefix(err.Error(), "dronline: 302 "), err.Error())
		})
	}
	t.Run("unparsable", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Location", "http://[::1?token=s3cr3t")
			w.WriteHeader(http.StatusFound)
		}))
		t.Cleanup(srv.Close)
		var w waits
		c := newTestClient(t, srv.URL+"/v1", &w)
		_, err := c.Account.Get(context.Background())
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "s3cr3t")
	})
}
